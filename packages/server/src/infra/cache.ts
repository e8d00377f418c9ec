import type { Redis } from "ioredis";
import type { Logger } from "./logger";

/** JSON values by key with a TTL. Failures of a remote store are misses, never errors. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  deleteByPrefix(prefix: string): Promise<void>;
  readonly kind: "memory" | "redis";
}

export function createMemoryCache(now: () => number = Date.now, maxEntries = 10_000): Cache {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    kind: "memory",
    async get<T>(key: string) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return JSON.parse(entry.value) as T;
    },
    async set(key, value, ttlSeconds) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value: JSON.stringify(value), expiresAt: now() + ttlSeconds * 1000 });
    },
    async deleteByPrefix(prefix) {
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}

/** Redis-backed cache shared by every instance; on a Redis error it answers as a miss and logs once a minute. */
export function createRedisCache(redis: Redis, log: Logger, prefix: string): Cache {
  const namespace = `${prefix}cache:`;
  let lastWarning = 0;
  const warn = (operation: string, error: unknown) => {
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    log.warn("cache unavailable, serving from the database", { operation, error: String(error) });
  };
  return {
    kind: "redis",
    async get<T>(key: string) {
      try {
        const value = await redis.get(namespace + key);
        return value === null ? undefined : (JSON.parse(value) as T);
      } catch (error) {
        warn("get", error);
        return undefined;
      }
    },
    async set(key, value, ttlSeconds) {
      try {
        await redis.set(namespace + key, JSON.stringify(value), "EX", Math.max(1, Math.round(ttlSeconds)));
      } catch (error) {
        warn("set", error);
      }
    },
    async deleteByPrefix(prefix) {
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${namespace}${prefix}*`, "COUNT", 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== "0");
      } catch (error) {
        warn("deleteByPrefix", error);
      }
    },
  };
}

/** Reads through the cache: a hit is returned, a miss computes and stores. */
export async function readThrough<T>(
  cache: Cache,
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
): Promise<T> {
  const cached = await cache.get<T>(key);
  if (cached !== undefined) return cached;
  const value = await load();
  await cache.set(key, value, ttlSeconds);
  return value;
}
