"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { THEME_COOKIE, type Theme } from "@/lib/theme";

function currentTheme(initial?: Theme): Theme {
  if (initial) return initial;
  if (typeof window === "undefined") return "light";
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function ThemeToggle({ initial }: { initial?: Theme }) {
  const t = useTranslations("nav");
  const [theme, setTheme] = useState<Theme | undefined>(initial);
  const toggle = () => {
    const next: Theme = currentTheme(theme) === "dark" ? "light" : "dark";
    document.documentElement.classList.remove("light", "dark");
    document.documentElement.classList.add(next);
    // biome-ignore lint/suspicious/noDocumentCookie: one fixed, non-sensitive value; Cookie Store API is not in every browser
    document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    setTheme(next);
  };
  return (
    <button
      type="button"
      onClick={toggle}
      aria-label={t("toggleTheme")}
      title={t("toggleTheme")}
      className="grid size-8 place-items-center rounded-md border border-border bg-surface hover:bg-surface-2"
    >
      <svg aria-hidden viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
      </svg>
    </button>
  );
}
