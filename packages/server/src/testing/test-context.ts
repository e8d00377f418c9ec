import { randomBytes } from "node:crypto";
import type { DbHandle } from "@modu-arena/db";
import { createTestDb } from "@modu-arena/db/testing";
import { buildConfig, type Config } from "../config/config";
import { parseEnv } from "../config/env";
import type { AppContext } from "../context";
import { createAppContext } from "../create-context";
import { type Clock, createFixedClock } from "../infra/clock";
import { createLogger } from "../infra/logger";

export interface TestContext {
  ctx: AppContext;
  clock: ReturnType<typeof createFixedClock>;
  dbHandle: DbHandle;
  close(): Promise<void>;
}

/**
 * A context on a fresh database (PGlite, or PostgreSQL with TEST_DATABASE_URL) with a movable clock.
 * Redis is used when TEST_REDIS_URL is set, as in CI's PostgreSQL + Redis run.
 */
export async function createTestContext(
  options: { now?: Date; env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestContext> {
  const clock = createFixedClock(options.now ?? new Date("2026-03-11T12:00:00.000Z"));
  const config: Config = buildConfig(
    parseEnv({
      NODE_ENV: "test",
      JWT_SECRET: "test-jwt-secret-test-jwt-secret-0123456789",
      CRON_SECRET: "test-cron-secret-test-cron-secret-012345678",
      REDIS_URL: process.env.TEST_REDIS_URL,
      REDIS_PREFIX: `modu-test-${randomBytes(4).toString("hex")}:`,
      RANKING_INTERVAL_SECONDS: "0",
      DATA_DIR: "/tmp/modu-arena-test-unused",
      ...options.env,
    }),
  );
  const dbHandle = await createTestDb();
  const running = await createAppContext(config, { clock, dbHandle, log: createLogger("silent") });
  return { ctx: running.ctx, clock, dbHandle, close: running.close };
}
