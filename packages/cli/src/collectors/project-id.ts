import { createHash } from "node:crypto";

/** Trailing separators and `.` segments must not split one project into two ids. */
function normalizeProjectPath(path: string): string {
  const trimmed = path.trim().replace(/[\\/]+$/, "");
  return trimmed === "" ? path.trim() : trimmed;
}

/**
 * The anonymous project id sent to the server: a salted SHA-256 of the project path, never the path.
 * The salt is per user (from the config), so the same path of two users yields unrelated ids.
 */
export function hashProjectPath(path: string, salt = ""): string {
  const digest = createHash("sha256").update(salt).update("\0").update(normalizeProjectPath(path)).digest("hex");
  return `proj_${digest.slice(0, 40)}`;
}

/** A short local-only key for a file path (state stores which files a session touched, not their names). */
export function hashFilePath(path: string): string {
  return createHash("sha1").update(path).digest("base64url").slice(0, 16);
}
