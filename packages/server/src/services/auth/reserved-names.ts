/**
 * Names the board itself speaks with: `anonymous-…` stands in for a private user, the rest are system
 * words a visitor would take for the operators. Compared case-insensitively, `_` counted as `-`.
 */
const SYSTEM_WORDS = new Set([
  "admin",
  "administrator",
  "root",
  "api",
  "system",
  "support",
  "security",
  "modu-arena",
  "moduarena",
  "moderator",
  "staff",
  "help",
  "null",
  "undefined",
  "anonymous",
  "official",
  "operator",
  "webmaster",
  "postmaster",
  "noreply",
  "no-reply",
]);

const ANONYMOUS_PATTERN = /^anonymous[-\s]/;

export function isReservedName(name: string): boolean {
  const normalized = name.trim().toLowerCase().replaceAll("_", "-");
  return SYSTEM_WORDS.has(normalized) || ANONYMOUS_PATTERN.test(normalized);
}

export const RESERVED_NAME_MESSAGE = "reserved: choose another name";
