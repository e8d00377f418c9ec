import { closeSync, openSync, rmSync, writeSync } from "node:fs";
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

function isStale(path: string, now: Date): boolean {
  const holder = readJsonIfValid(path) as { pid?: unknown; acquiredAt?: unknown } | undefined;
  if (!holder || typeof holder.pid !== "number" || typeof holder.acquiredAt !== "string") return true;
  if (now.getTime() - Date.parse(holder.acquiredAt) > STALE_LOCK_MS) return true;
  return !isProcessAlive(holder.pid);
}

/**
 * `O_EXCL` creation is atomic on every local filesystem: exactly one process wins. The folder is not
 * created here: when uninstall has removed it, a late sync must fail (ENOENT) rather than recreate it.
 */
export function tryAcquireLock(path: string, now: Date): Lock | undefined {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, acquiredAt: now.toISOString() }));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (attempt > 0 || !isStale(path, now)) return undefined;
      rmSync(path, { force: true });
    }
  }
  return undefined;
}
