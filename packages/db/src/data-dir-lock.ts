import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/**
 * PGlite is one PostgreSQL inside one process: a second process opening the same folder runs a second
 * server on the same files, which neither sees and which can corrupt them. The lock file beside the folder
 * makes the second opener fail at once, saying who holds it.
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    /** Unknown while the holder's lock cannot be read. */
    readonly holderPid: number | undefined,
  ) {
    super(
      `the embedded database in ${dataDir} is open in ${holderPid === undefined ? "another process" : `process ${holderPid}`} (a running "npm start"?); ` +
        "stop that process first, or set DATABASE_URL to a PostgreSQL server both can share",
    );
    this.name = "DatabaseInUseError";
  }
}

interface LockHolder {
  pid: number;
  host: string;
  /** When the process started (Linux: clock ticks after boot), so that a reused pid is not taken for it. */
  started?: string;
}

/** Folders this process holds, so that a second open in the same process is refused too. */
const heldHere = new Set<string>();

export function lockFileFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof holder.pid !== "number" || typeof holder.host !== "string") return undefined;
    return {
      pid: holder.pid,
      host: holder.host,
      ...(typeof holder.started === "string" ? { started: holder.started } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The process's start time from /proc (field 22, after the parenthesised name); undefined elsewhere. */
export function readProcessStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether the holder still runs. A container restarted after a crash often gives its processes the pids
 * they had before, so a pid that runs is the holder only if it started when the holder did.
 */
function isHolderRunning(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const started = readProcessStart(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

/** A lock unreadable for this long was torn (a crash, a full disk), not caught mid-write. */
const UNREADABLE_GRACE_MS = 10_000;

function isStale(file: string, holder: LockHolder | undefined, mine: LockHolder): boolean {
  if (!holder) {
    const modified = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    return modified === undefined || Date.now() - modified > UNREADABLE_GRACE_MS;
  }
  // Our own pid in a lock this process does not hold (heldHere) is a previous life's: stale too.
  return holder.host === mine.host && (holder.pid === mine.pid || !isHolderRunning(holder));
}

/**
 * Takes the folder's lock or throws DatabaseInUseError. The lock appears with its content at once (written
 * aside, then hard-linked into place, which fails when it exists), so a second opener never reads it half
 * written. A lock left by a process that is gone (a crash, a kill -9) is taken over; one written on another
 * host (a shared folder) is never judged stale from here. Returns the release, which removes the file only
 * while it is still ours.
 */
export function lockDataDir(dataDir: string): () => void {
  const resolved = path.resolve(dataDir);
  const file = lockFileFor(resolved);
  if (heldHere.has(resolved)) throw new DatabaseInUseError(resolved, process.pid);
  const started = readProcessStart(process.pid);
  const mine: LockHolder = { pid: process.pid, host: hostname(), ...(started ? { started } : {}) };
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temp, JSON.stringify(mine), { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = readHolder(file);
      // One retry after removing a stale lock: it loses to any process that took the lock meanwhile.
      if (attempt > 0 || !isStale(file, holder, mine)) throw new DatabaseInUseError(resolved, holder?.pid);
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(temp, { force: true });
  }
  heldHere.add(resolved);
  const onExit = () => release();
  process.once("exit", onExit);
  let released = false;
  function release(): void {
    if (released) return;
    released = true;
    heldHere.delete(resolved);
    process.removeListener("exit", onExit);
    const holder = readHolder(file);
    if (holder?.pid === mine.pid && holder.host === mine.host) rmSync(file, { force: true });
  }
  return release;
}
