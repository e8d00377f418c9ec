import { Redis } from "ioredis";
import type { Logger } from "./logger";

/**
 * One Redis connection for cache and rate limits. Commands fail fast while Redis is down
 * (no offline queue), so callers fall back instead of waiting.
 */
export function createRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  });
  let down = false;
  redis.on("error", (error) => {
    if (!down) log.warn("redis unavailable", { error: String(error) });
    down = true;
  });
  redis.on("ready", () => {
    if (down) log.info("redis reconnected");
    down = false;
  });
  return redis;
}

/**
 * Waits until the connection is ready, at most `timeoutMs`. Commands sent before that fail (no offline
 * queue) and fall back to memory, so a fresh instance would split its first rate-limit counts between
 * memory and Redis; a Redis that is down only delays the start by the timeout.
 */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === "ready") return true;
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off("ready", onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on("ready", onReady);
  });
}
