import { randomBytes } from "node:crypto";
import { linkSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { readJsonIfValid } from "./atomic-file";

/** A sync that has held the lock this long is assumed dead even if its pid was reused. */
const STALE_LOCK_MS = 60 * 60_000;

export interface Lock {
  release(): void;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A lock being written right now reads as empty: only an unreadable lock that stayed so is abandoned. */
const UNREADABLE_GRACE_MS = 10_000;

function isStale(path: string, now: Date): boolean {
  const holder = readJsonIfValid(path) as { pid?: unknown; acquiredAt?: unknown } | undefined;
  if (!holder || typeof holder.pid !== "number" || typeof holder.acquiredAt !== "string") {
    const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    return modified === undefined || now.getTime() - modified > UNREADABLE_GRACE_MS;
  }
  if (now.getTime() - Date.parse(holder.acquiredAt) > STALE_LOCK_MS) return true;
  return !isProcessAlive(holder.pid);
}

/** Private files of syncs killed between writing and linking them. */
function sweepLeftovers(path: string, now: Date): void {
  const prefix = `${basename(path)}.`;
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix)) continue;
    const file = join(dirname(path), name);
    const modified = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (modified !== undefined && now.getTime() - modified > 60_000) rmSync(file, { force: true });
  }
}

/**
 * The lock appears with its content at once: written to a private file, then hard-linked into place,
 * which fails with EEXIST when another process holds it (atomic on every local filesystem). The folder
 * is not created here: when uninstall has removed it, a late sync must fail (ENOENT), not recreate it.
 */
export function tryAcquireLock(path: string, now: Date): Lock | undefined {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temp, JSON.stringify({ pid: process.pid, acquiredAt: now.toISOString() }), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        linkSync(temp, path);
        sweepLeftovers(path, now);
        return { release: () => rmSync(path, { force: true }) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        if (attempt > 0 || !isStale(path, now)) return undefined;
        rmSync(path, { force: true });
      }
    }
    return undefined;
  } finally {
    rmSync(temp, { force: true });
  }
}
