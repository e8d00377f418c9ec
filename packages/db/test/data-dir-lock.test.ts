import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../src/client";
import { DatabaseInUseError, lockDataDir, lockFileFor, readProcessStart } from "../src/data-dir-lock";
import { queryRows } from "../src/rows";

const root = mkdtempSync(path.join(tmpdir(), "modu-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const newFolder = () => path.join(root, `data-${++folders}`);

function writeHolder(dataDir: string, pid: number, host = hostname()): void {
  writeFileSync(lockFileFor(dataDir), JSON.stringify({ pid, host }));
}

/** A pid that certainly belongs to no running process: one that just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid!;
}

describe("lockDataDir", () => {
  it("refuses a folder held by a live process, naming it", () => {
    const dataDir = newFolder();
    const sleeper = spawn("sleep", ["30"]);
    try {
      writeHolder(dataDir, sleeper.pid!);
      let thrown: unknown;
      try {
        lockDataDir(dataDir);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DatabaseInUseError);
      expect((thrown as DatabaseInUseError).holderPid).toBe(sleeper.pid);
      expect((thrown as Error).message).toContain(`process ${sleeper.pid}`);
      // The holder's lock is left as it was.
      expect(JSON.parse(readFileSync(lockFileFor(dataDir), "utf8")).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill();
    }
  });

  it("takes over the lock of a process that is gone, and of a torn lock file", () => {
    const dataDir = newFolder();
    writeHolder(dataDir, deadPid());
    const release = lockDataDir(dataDir);
    expect(JSON.parse(readFileSync(lockFileFor(dataDir), "utf8")).pid).toBe(process.pid);
    release();
    expect(existsSync(lockFileFor(dataDir))).toBe(false);

    // Unreadable: being written (refused), or torn long ago (taken over).
    writeFileSync(lockFileFor(dataDir), '{"pi');
    expect(() => lockDataDir(dataDir)).toThrow(/open in another process/);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lockFileFor(dataDir), longAgo, longAgo);
    lockDataDir(dataDir)();
    // No private file of the attempts is left beside the lock.
    expect(readdirSync(root).filter((name) => name.startsWith(path.basename(dataDir)))).toEqual([]);
  });

  it("takes over a lock whose pid now belongs to another process, or to this one (a restarted container)", () => {
    const dataDir = newFolder();
    const sleeper = spawn("sleep", ["30"]);
    try {
      // The pid runs, but started after the holder did: it is not the holder.
      writeFileSync(lockFileFor(dataDir), JSON.stringify({ pid: sleeper.pid, host: hostname(), started: "1" }));
      lockDataDir(dataDir)();
      // The same pid with its own start time is the holder.
      const started = readProcessStart(sleeper.pid!);
      expect(started).toMatch(/^\d+$/);
      writeFileSync(lockFileFor(dataDir), JSON.stringify({ pid: sleeper.pid, host: hostname(), started }));
      expect(() => lockDataDir(dataDir)).toThrow(DatabaseInUseError);
    } finally {
      sleeper.kill();
    }
    writeHolder(dataDir, process.pid);
    lockDataDir(dataDir)();
  });

  it("never judges a lock written on another host stale", () => {
    const dataDir = newFolder();
    writeHolder(dataDir, deadPid(), `${hostname()}-elsewhere`);
    expect(() => lockDataDir(dataDir)).toThrow(DatabaseInUseError);
  });

  it("refuses a second open in the same process until the first lets go", () => {
    const dataDir = newFolder();
    const release = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(DatabaseInUseError);
    release();
    release();
    lockDataDir(dataDir)();
  });

  it("removes on release only a lock that is still its own", () => {
    const dataDir = newFolder();
    const release = lockDataDir(dataDir);
    const sleeper = spawn("sleep", ["30"]);
    try {
      writeHolder(dataDir, sleeper.pid!);
      release();
      expect(JSON.parse(readFileSync(lockFileFor(dataDir), "utf8")).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill();
    }
  });
});

describe("createDb on an embedded folder", () => {
  it("is made private, refuses a second handle while the first is open, and keeps its data for the next", async () => {
    const dataDir = newFolder();
    // Made beforehand with the usual 0755: opening it makes it private.
    mkdirSync(dataDir, { mode: 0o755 });
    const first = await createDb({ dataDir });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    await first.db.execute(sql`CREATE TABLE kept (value int)`);
    await first.db.execute(sql`INSERT INTO kept VALUES (42)`);
    await expect(createDb({ dataDir })).rejects.toBeInstanceOf(DatabaseInUseError);
    await first.close();
    expect(existsSync(lockFileFor(dataDir))).toBe(false);
    const second = await createDb({ dataDir });
    try {
      expect(await queryRows<{ value: number }>(second.db, sql`SELECT value FROM kept`)).toEqual([{ value: 42 }]);
    } finally {
      await second.close();
    }
  });
});
