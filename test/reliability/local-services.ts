import { execFile, execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";

/** Loopback PostgreSQL and Redis of the machine, which the suite stops and starts to inject faults. */
export const ADMIN_DATABASE_URL = process.env.RELIABILITY_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.RELIABILITY_REDIS_URL ?? "redis://127.0.0.1:6379";

const run = (command: string, args: string[]) =>
  execFileSync(command, args, { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 }).toString();

function clusterVersion(): string {
  return readdirSync("/etc/postgresql")[0]!;
}

export function isPostgresUp(): boolean {
  try {
    run("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-q"]);
    return true;
  } catch {
    return false;
  }
}

const runAsync = promisify(execFile);

/** Async, so that the load keeps running while PostgreSQL goes down. */
export async function stopPostgres(): Promise<void> {
  await runAsync("pg_ctlcluster", ["--skip-systemctl-redirect", clusterVersion(), "main", "stop", "-m", "fast"]);
}

export function startPostgres(): void {
  if (!isPostgresUp()) run("pg_ctlcluster", ["--skip-systemctl-redirect", clusterVersion(), "main", "start"]);
}

export function isRedisUp(): boolean {
  try {
    return run("redis-cli", ["-h", "127.0.0.1", "-p", "6379", "ping"]).includes("PONG");
  } catch {
    return false;
  }
}

export async function killRedis(): Promise<void> {
  try {
    await runAsync("redis-cli", ["-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"]);
  } catch {
    // redis-cli reports the closed connection of a successful shutdown as an error.
  }
}

export function startRedis(): void {
  if (isRedisUp()) return;
  run("redis-server", [
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
  ]);
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Both services up again, whatever happened: called in every `finally`. */
export async function restoreServices(): Promise<void> {
  startPostgres();
  startRedis();
  await waitFor(() => isPostgresUp() && isRedisUp(), 30_000, "PostgreSQL and Redis");
}

export async function createScratchDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropScratchDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
