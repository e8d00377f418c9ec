import { createDb, type DbHandle } from "@modu-arena/db";
import type { Redis } from "ioredis";
import type { Config } from "./config/config";
import type { AppContext } from "./context";
import { createMemoryCache, createRedisCache } from "./infra/cache";
import { type Clock, systemClock } from "./infra/clock";
import { createLogger, type Logger } from "./infra/logger";
import { createRateLimiters } from "./infra/rate-limit";
import { createRedis, waitForRedis } from "./infra/redis";

import { type Broadcast, createRedisBroadcast } from "./infra/redis-broadcast";
import { createApiKeyCache } from "./services/api-keys/api-key-cache";

/** How long a start waits for Redis before serving with the in-memory fallbacks. */
const REDIS_READY_WAIT_MS = 3_000;

export interface RunningContext {
  ctx: AppContext;
  dbHandle: DbHandle;
  redis?: Redis;
  close(): Promise<void>;
}

export interface CreateContextOptions {
  clock?: Clock;
  log?: Logger;
  /** Test databases come ready-made; otherwise the configured one is opened and migrated. */
  dbHandle?: DbHandle;
}

/** Opens and migrates the database, connects Redis when configured, and wires the context. */
export async function createAppContext(config: Config, options: CreateContextOptions = {}): Promise<RunningContext> {
  const log = options.log ?? createLogger(config.logLevel);
  const dbHandle =
    options.dbHandle ??
    (await createDb({
      databaseUrl: config.databaseUrl,
      dataDir: `${config.dataDir}/pglite`,
      poolSize: config.databasePoolSize,
    }));
  if (!options.dbHandle) await dbHandle.migrate();
  const redis = config.redisUrl ? createRedis(config.redisUrl, log) : undefined;
  if (redis) await waitForRedis(redis, REDIS_READY_WAIT_MS);
  const clock = options.clock ?? systemClock;
  let forgetKeys: Broadcast | undefined;
  const apiKeyCache = createApiKeyCache({
    ttlMs: config.apiKeyCacheSeconds * 1000,
    now: () => clock.now().getTime(),
    broadcast: async (userId) => forgetKeys?.publish(userId),
  });
  if (redis && config.apiKeyCacheSeconds > 0) {
    forgetKeys = createRedisBroadcast(redis, `${config.redisPrefix}forget-api-key`, apiKeyCache.forgetUserLocally, log);
  }
  const ctx: AppContext = {
    db: dbHandle.db,
    clock,
    cache: redis ? createRedisCache(redis, log, config.redisPrefix) : createMemoryCache(),
    rateLimiters: createRateLimiters(config.rateLimits, redis, config.redisPrefix),
    apiKeyCache,
    config,
    log,
  };
  return {
    ctx,
    dbHandle,
    redis,
    close: async () => {
      forgetKeys?.close();
      redis?.disconnect();
      await dbHandle.close();
    },
  };
}
