import { createHash } from "node:crypto";

/** A stable stand-in name for a privacy-mode user, derived from their private salt (not linkable to the name). */
export function anonymousName(userSalt: string): string {
  return `anonymous-${createHash("sha256").update(`anon:${userSalt}`).digest("hex").slice(0, 8)}`;
}
