import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { signRequest } from "@modu-arena/core";
import { buildConfig, createAppContext, parseEnv, type RunningContext } from "@modu-arena/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../packages/server/src/services/users/create-user";
import { type ApiInstance, createApiInstance, findFreePorts } from "./api-instance";
import { driveLoad, type LoadFigures, sleep } from "./drive-load";
import { createRandom } from "./hostile-input";
import { buildSessions, computeTruth } from "./load-model";
import {
  createScratchDatabase,
  dropScratchDatabase,
  isPostgresUp,
  isRedisUp,
  killRedis,
  REDIS_URL,
  restoreServices,
  startPostgres,
  startRedis,
  stopPostgres,
  waitFor,
} from "./local-services";
import { checkCacheSharing, checkRankingRunsOnce, checkSharedRateLimit } from "./two-instance-checks";
import { compareRankings, compareStats } from "./verify-truth";

const USERS = Number(process.env.RELIABILITY_USERS ?? 60);
const SESSIONS_PER_USER = Number(process.env.RELIABILITY_SESSIONS_PER_USER ?? 65);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20_261_125);
const RATE_LIMIT = 30;

const suffix = randomBytes(4).toString("hex");
const databaseName = `modu_reliability_${suffix}`;
const secrets = {
  JWT_SECRET: `jwt-${randomBytes(24).toString("hex")}`,
  CRON_SECRET: `cron-${randomBytes(24).toString("hex")}`,
};
let running: RunningContext;
let instances: ApiInstance[] = [];
const accounts: Array<{ id: string; username: string; apiKey: string }> = [];
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  await restoreServices();
  const databaseUrl = await createScratchDatabase(databaseName);
  running = await createAppContext(
    buildConfig(
      parseEnv({ DATABASE_URL: databaseUrl, ...secrets, LOG_LEVEL: "silent", RANKING_INTERVAL_SECONDS: "0" }),
    ),
  );
  for (let index = 0; index < USERS; index++) {
    const user = await createUser(running.ctx, { username: `rel-user-${index}` });
    accounts.push({ id: user.id, username: user.username, apiKey: user.apiKey! });
  }
  const env = (limit: number) => ({
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: `modu-reliability-${suffix}:`,
    ...secrets,
    RANKING_INTERVAL_SECONDS: "0",
    CLEANUP_INTERVAL_SECONDS: "0",
    SEED_DEMO: "false",
    LOG_LEVEL: "warn",
    RATE_LIMIT_API_PER_MIN: String(limit),
  });
  const base = await findFreePorts(4);
  // Two instances for the load, two more with a small per-user limit for the shared rate-limit check.
  instances = [
    createApiInstance(base, env(1_000_000)),
    createApiInstance(base + 1, env(1_000_000)),
    createApiInstance(base + 2, env(RATE_LIMIT)),
    createApiInstance(base + 3, env(RATE_LIMIT)),
  ];
  await Promise.all(instances.map((instance) => instance.start()));
}, 180_000);

afterAll(async () => {
  await restoreServices();
  await Promise.all(instances.map((instance) => instance.kill("SIGTERM")));
  await running?.close();
  await dropScratchDatabase(databaseName).catch(() => {});
  const directory = process.env.RELIABILITY_FIGURES_DIR;
  if (directory) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(`${directory}/exactness.json`, JSON.stringify(figures, null, 2));
  }
}, 120_000);

describe("two instances on one PostgreSQL and Redis", () => {
  it("hold a user's rate limit across both instances", async () => {
    const user = await createUser(running.ctx, { username: "rel-limited" });
    const result = await checkSharedRateLimit([instances[2]!.url, instances[3]!.url], user.apiKey!, RATE_LIMIT);
    figures.rateLimit = { limit: RATE_LIMIT, ...result };
    expect(result.accepted).toBeLessThanOrEqual(RATE_LIMIT);
    expect(result.accepted).toBeGreaterThan(0);
    expect(result.refused).toBe(result.sent - result.accepted);
    await Promise.all([instances[2]!.kill(), instances[3]!.kill()]);
  });
});

describe("exactly once under load and faults", () => {
  const random = createRandom(SEED);
  const sessions = buildSessions(random, USERS, SESSIONS_PER_USER, 12, new Date());
  const truth = computeTruth(sessions);
  const faults = { postgresStopped: 0, redisKilled: 0, instanceKilled: 0 };
  let load: LoadFigures;

  it("delivers every session once while PostgreSQL stops, Redis dies and an instance is SIGKILLed", async () => {
    const [a, b] = instances as [ApiInstance, ApiInstance];
    let progress = 0;
    let finished = false;
    const reached = (share: number) => waitFor(() => finished || progress >= share, 600_000, `progress ${share}`);
    const injectFaults = async () => {
      try {
        // The quick fault first: since ingest got faster, a late one could find the load already done.
        await reached(0.15);
        if (!finished) {
          await a.kill("SIGKILL");
          faults.instanceKilled++;
          await sleep(500);
          await a.start();
        }
        await reached(0.35);
        if (!finished) {
          await stopPostgres();
          faults.postgresStopped++;
          await sleep(4000);
          startPostgres();
          await waitFor(isPostgresUp, 30_000, "PostgreSQL");
        }
        await reached(0.6);
        if (!finished) {
          await killRedis();
          faults.redisKilled++;
          await sleep(4000);
          startRedis();
          await waitFor(isRedisUp, 30_000, "Redis");
        }
      } finally {
        await restoreServices();
      }
    };
    const faulting = injectFaults();
    try {
      load = await driveLoad({
        random,
        accounts,
        sessions,
        urls: () => [a.url, b.url],
        concurrency: 12,
        deadlineMs: 420_000,
        onProgress: (done, total) => {
          progress = done / total;
        },
      });
    } finally {
      finished = true;
      await faulting;
    }
    figures.crashes = instances.flatMap((instance) => instance.crashes);
    figures.load = { ...load, unexpected: load.unexpected.slice(0, 10), users: USERS, sessions: sessions.length };
    figures.faults = faults;
    expect(load.unexpected).toEqual([]);
    expect(load.byStatus["500"] ?? 0).toBe(0);
    expect(load.submissions).toBeGreaterThanOrEqual(10_000);
    expect(faults).toEqual({ postgresStopped: 1, redisKilled: 1, instanceKilled: 1 });
  }, 600_000);

  // FAULT (for the lead): when PostgreSQL stops, serve-api processes die with "Unhandled 'error' event" on
  // a pg Client (57P01 terminating connection) that is checked out between statements of a transaction:
  // packages/db/src/client.ts only listens on the pool's idle clients. Fix: pool.on("connect", (client) =>
  // client.on("error", () => {})). The supervisor above restarts them, so exactness is still checked.
  it("keeps every instance alive through the faults, answering 503 while PostgreSQL is down", () => {
    expect(instances.flatMap((instance) => instance.crashes)).toEqual([]);
    expect(load.byStatus["503"] ?? 0).toBeGreaterThan(0);
  });

  it("leaves user_stats and daily_user_stats equal to the ground truth", async () => {
    const stats = await compareStats(
      running.ctx.db,
      accounts.map((account) => account.id),
      truth,
    );
    figures.exactness = { lost: stats.lost, doubleCounted: stats.doubled, mismatches: stats.mismatches.length };
    expect(stats.mismatches.slice(0, 5)).toEqual([]);
  });

  it("runs the ranking job once when both instances trigger it, with rankings equal to the truth", async () => {
    const runs = await checkRankingRunsOnce(
      running.ctx.db,
      [instances[0]!.url, instances[1]!.url],
      secrets.CRON_SECRET,
    );
    figures.rankingRuns = runs;
    expect(runs.ran).toBe(1);
    const today = new Date().toISOString().slice(0, 10);
    const mismatches = await compareRankings(
      running.ctx.db,
      accounts.map((account) => account.id),
      truth,
      today,
    );
    figures.rankingMismatches = mismatches.length;
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("sees a cache invalidation made by one instance on the other", async () => {
    const [a, b] = instances as [ApiInstance, ApiInstance];
    const account = accounts[0]!;
    const result = await checkCacheSharing({
      writer: a.url,
      reader: b.url,
      account,
      cronSecret: secrets.CRON_SECRET,
      sign: (body, timestamp) => signRequest(account.apiKey, timestamp, body),
    });
    figures.cacheSharing = result;
    expect(result.readerSawUpdate).toBe(true);
  });
});
