import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { queryRows } from "@modu-arena/db";
import { buildConfig, createAppContext, parseEnv, type RunningContext } from "@modu-arena/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeUserSettings } from "../../packages/cli/test/e2e/claude-home";
import { assistantLine, promptLine } from "../../packages/cli/test/fixtures/claude-records";
import { ensureCliBuilt } from "../../packages/cli/test/helpers/build-cli";
import { createTempHome, removeTempHome } from "../../packages/cli/test/helpers/fixture-home";
import { runCli } from "../../packages/cli/test/helpers/run-cli";
import { createUser } from "../../packages/server/src/services/users/create-user";
import { type ApiInstance, createApiInstance, findFreePorts } from "./api-instance";
import { sleep } from "./drive-load";
import { createRandom } from "./hostile-input";
import {
  createScratchDatabase,
  dropScratchDatabase,
  isPostgresUp,
  REDIS_URL,
  restoreServices,
  startPostgres,
  stopPostgres,
  waitFor,
} from "./local-services";

const HOMES = 4;
const ROUNDS = 6;
const suffix = randomBytes(4).toString("hex");
const databaseName = `modu_reliability_cli_${suffix}`;
const random = createRandom(77);
let running: RunningContext;
let instances: ApiInstance[] = [];
const homes: Array<{ home: string; userId: string; truth: Totals; sessions: Map<string, number> }> = [];
const figures = {
  homes: HOMES,
  syncs: 0,
  syncsKilled: 0,
  syncsFailedInOutage: 0,
  postgresStopped: 0,
  instanceKilled: 0,
  sessions: 0,
  instanceCrashes: 0,
};

interface Totals {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  sessions: number;
}

/** Appends `turns` billed calls to a Claude Code transcript, dated a few hours ago, and adds them to the truth. */
function writeTurns(entry: (typeof homes)[number], sessionId: string, turns: number): void {
  const path = join(entry.home, ".claude", "projects", "-home-rel-src-demo", `${sessionId}.jsonl`);
  mkdirSync(dirname(path), { recursive: true });
  const first = entry.sessions.get(sessionId) ?? 0;
  const lines: string[] = [];
  for (let turn = first; turn < first + turns; turn++) {
    const timestamp = new Date(Date.now() - 3 * 3_600_000 + turn * 1000).toISOString();
    const usage = { input: 100 + turn, output: 50 + turn, cacheWrite: 10 * turn, cacheRead: 1000 + turn };
    const line = assistantLine({ sessionId, messageId: `msg_${sessionId}_${turn}`, usage, timestamp });
    lines.push(JSON.stringify(promptLine(sessionId, timestamp)), JSON.stringify(line));
    entry.truth.input += usage.input;
    entry.truth.output += usage.output;
    entry.truth.cacheCreation += usage.cacheWrite;
    entry.truth.cacheRead += usage.cacheRead;
  }
  if (first === 0) {
    entry.truth.sessions++;
    figures.sessions++;
  }
  entry.sessions.set(sessionId, first + turns);
  appendFileSync(path, `${lines.join("\n")}\n`);
}

/** Starts a sync and, when asked, SIGKILLs it once it holds its lock plus a random delay. */
async function syncMaybeKilled(home: string, kill: boolean): Promise<number | null> {
  figures.syncs++;
  const run = runCli(["sync"], { home, timeoutMs: 60_000 });
  if (kill) {
    const lock = join(home, ".modu-arena", "sync.lock");
    const pid = await waitFor(() => readPid(lock) !== undefined, 10_000, "sync lock")
      .then(() => readPid(lock))
      .catch(() => undefined);
    if (pid !== undefined) {
      await sleep(random.int(80));
      try {
        process.kill(pid, "SIGKILL");
        figures.syncsKilled++;
      } catch {
        // It finished first.
      }
    }
  }
  return (await run).code;
}

function readPid(lock: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(lock, "utf8")) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  ensureCliBuilt();
  await restoreServices();
  const databaseUrl = await createScratchDatabase(databaseName);
  const secrets = { JWT_SECRET: `jwt-${suffix}-${"x".repeat(32)}`, CRON_SECRET: `cron-${suffix}-${"y".repeat(32)}` };
  running = await createAppContext(
    buildConfig(
      parseEnv({ DATABASE_URL: databaseUrl, ...secrets, LOG_LEVEL: "silent", RANKING_INTERVAL_SECONDS: "0" }),
    ),
  );
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: `modu-reliability-cli-${suffix}:`,
    ...secrets,
    RANKING_INTERVAL_SECONDS: "0",
    CLEANUP_INTERVAL_SECONDS: "0",
    SEED_DEMO: "false",
    LOG_LEVEL: "warn",
  };
  const base = await findFreePorts(2);
  instances = [createApiInstance(base, env), createApiInstance(base + 1, env)];
  await Promise.all(instances.map((instance) => instance.start()));
  for (let index = 0; index < HOMES; index++) {
    const user = await createUser(running.ctx, { username: `rel-cli-${index}` });
    const home = createTempHome("modu-rel-cli-");
    writeUserSettings(home);
    const server = instances[index % 2]!.url;
    const installed = await runCli(["install", "--api-key", user.apiKey!, "--server", server, "--no-backfill"], {
      home,
      env: { MODU_ARENA_SCHEDULER_LOG: `${home}-scheduler.log` },
    });
    expect(installed.code, installed.stderr).toBe(0);
    homes.push({
      home,
      userId: user.id,
      truth: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0, sessions: 0 },
      sessions: new Map(),
    });
  }
}, 180_000);

afterAll(async () => {
  await restoreServices();
  await Promise.all(instances.map((instance) => instance.kill()));
  await running?.close();
  await dropScratchDatabase(databaseName).catch(() => {});
  for (const entry of homes) removeTempHome(entry.home);
  const directory = process.env.RELIABILITY_FIGURES_DIR;
  if (directory) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(`${directory}/cli-queue.json`, JSON.stringify(figures, null, 2));
  }
}, 120_000);

describe("the real CLI queue through kills and outages", () => {
  it("delivers every session exactly once after SIGKILLed syncs, a PostgreSQL stop and a killed instance", async () => {
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const entry of homes) {
          for (const sessionId of [...entry.sessions.keys()])
            if (random.chance(0.5)) writeTurns(entry, sessionId, 1 + random.int(3));
          for (let index = 0; index < 15; index++)
            writeTurns(entry, `${randomBytes(8).toString("hex")}-r${round}`, 1 + random.int(4));
        }
        const syncs = homes.map((entry) => syncMaybeKilled(entry.home, round % 2 === 0));
        if (round === 1) {
          await stopPostgres();
          figures.postgresStopped++;
          await sleep(3000);
          startPostgres();
          await waitFor(isPostgresUp, 30_000, "PostgreSQL");
        }
        if (round === 3) {
          await instances[0]!.kill("SIGKILL");
          figures.instanceKilled++;
          await instances[0]!.start();
        }
        const codes = await Promise.all(syncs);
        if (round === 1) figures.syncsFailedInOutage = codes.filter((code) => code !== 0).length;
      }
    } finally {
      await restoreServices();
    }
    for (const entry of homes) {
      let code: number | null = null;
      for (let attempt = 0; attempt < 5 && code !== 0; attempt++)
        code = (await runCli(["sync"], { home: entry.home, timeoutMs: 60_000 })).code;
      expect(code).toBe(0);
      const [row] = await queryRows<Totals>(
        running.ctx.db,
        sql`SELECT total_input_tokens::float8 AS input, total_output_tokens::float8 AS output,
              total_cache_creation_tokens::float8 AS "cacheCreation", total_cache_read_tokens::float8 AS "cacheRead",
              total_sessions AS sessions FROM user_stats WHERE user_id = ${entry.userId}`,
      );
      expect(row).toEqual(entry.truth);
    }
    figures.instanceCrashes = instances.reduce((sum, instance) => sum + instance.crashes.length, 0);
    expect(figures.syncsKilled).toBeGreaterThan(0);
  }, 600_000);
});
