/** Replaced at build time from package.json (see build.mjs); the fallback serves tests run from source. */
declare const __MODU_ARENA_VERSION__: string | undefined;

export const VERSION: string = typeof __MODU_ARENA_VERSION__ === "string" ? __MODU_ARENA_VERSION__ : "0.0.0-dev";
