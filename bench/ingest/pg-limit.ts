import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
}

const SHARED = path.resolve(import.meta.dirname, "../../../shared/bench/pg-limit");

export function findPgLimitScripts(): string | null {
  return existsSync(path.join(SHARED, "ingest.sql")) ? SHARED : null;
}

function psql(db: string, args: string[]): void {
  execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, ...args], {
    stdio: "pipe",
  });
}

/** The same ingest work as plain SQL through pgbench, with no application in front: the ceiling. */
export function runPgbench(
  db: string,
  scriptsDir: string,
  script: string,
  clients: number,
  seconds: number,
): PgbenchResult {
  const output = execFileSync(
    "pgbench",
    [
      "-h",
      "127.0.0.1",
      "-U",
      "postgres",
      "-n",
      "-f",
      path.join(scriptsDir, script),
      "-c",
      String(clients),
      "-j",
      "2",
      "-T",
      String(seconds),
      db,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1] ?? Number.NaN);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1] ?? Number.NaN);
  return { tps, latencyMs };
}

export function createScratchDatabase(name: string): void {
  psql("postgres", ["-c", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, "-c", `CREATE DATABASE ${name}`]);
}

export function dropScratchDatabase(name: string): void {
  psql("postgres", ["-c", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
}

export function loadPgLimitSchema(db: string, scriptsDir: string): void {
  psql(db, ["-f", path.join(scriptsDir, "schema.sql")]);
}

/**
 * Flushes dirty pages before a measured run (as pgbench's documentation advises), so that no run pays
 * for the checkpoint the previous one's WAL would trigger: each starts from the same state.
 */
export function checkpoint(): void {
  psql("postgres", ["-c", "CHECKPOINT"]);
}
