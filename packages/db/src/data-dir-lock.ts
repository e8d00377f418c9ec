import { readFileSync, rmSync, writeFileSync } from "node:fs";
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
    readonly holderPid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is open in process ${holderPid} (a running "npm start"?); ` +
        "stop that process first, or set DATABASE_URL to a PostgreSQL server both can share",
    );
    this.name = "DatabaseInUseError";
  }
}

interface LockHolder {
  pid: number;
  host: string;
}

/** Folders this process holds, so that a second open in the same process is refused too. */
const heldHere = new Set<string>();

export function lockFileFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    return typeof holder.pid === "number" && typeof holder.host === "string"
      ? { pid: holder.pid, host: holder.host }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the folder's lock or throws DatabaseInUseError. A lock left by a process that is gone (a crash, a
 * kill -9) is taken over. A lock written on another host (a shared folder) is never judged stale from here.
 * Returns the release, which removes the file only while it is still ours.
 */
export function lockDataDir(dataDir: string): () => void {
  const resolved = path.resolve(dataDir);
  const file = lockFileFor(resolved);
  if (heldHere.has(resolved)) throw new DatabaseInUseError(resolved, process.pid);
  const mine: LockHolder = { pid: process.pid, host: hostname() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
    }
    const holder = readHolder(file);
    const stale = holder ? holder.host === mine.host && holder.pid !== process.pid && !isAlive(holder.pid) : false;
    if (holder && !stale) throw new DatabaseInUseError(resolved, holder.pid);
    // Dead holder, or a file torn by a crash between create and write: one retry, which loses to any
    // process that took it meanwhile (its create wins; ours then fails with EEXIST).
    rmSync(file, { force: true });
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
