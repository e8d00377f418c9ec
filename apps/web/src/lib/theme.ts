export const THEME_COOKIE = "modu_theme";
export type Theme = "light" | "dark";
