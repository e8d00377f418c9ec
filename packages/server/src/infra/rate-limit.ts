import { isIP } from "node:net";
import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RateLimitConfig } from "../config/config";

export const RATE_LIMIT_BUCKETS = ["api", "auth", "sensitive", "public", "evaluation"] as const;
export type RateLimitBucket = (typeof RATE_LIMIT_BUCKETS)[number];

export type RateLimitOutcome =
  | { allowed: true }
  /** `firstRefusal` is true once per window, so a flood writes one audit row, not thousands. */
  | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

export interface RateLimiters {
  consume(bucket: RateLimitBucket, key: string): Promise<RateLimitOutcome>;
  readonly kind: "memory" | "redis";
}

function pointsFor(bucket: RateLimitBucket, config: RateLimitConfig): { points: number; duration: number } {
  switch (bucket) {
    case "api":
      return { points: config.apiPerMinute, duration: 60 };
    case "auth":
      return { points: config.authPerMinute, duration: 60 };
    case "sensitive":
      return { points: config.sensitivePerMinute, duration: 60 };
    case "public":
      return { points: config.publicPerMinute, duration: 60 };
    case "evaluation":
      return { points: config.evaluationsPerDay ?? 10, duration: 86_400 };
  }
}

/**
 * Limits per bucket and key. With Redis the counts are shared by every instance; when Redis fails,
 * an in-memory limiter with the same limits takes over (rate-limiter-flexible's insurance limiter).
 */
export function createRateLimiters(config: RateLimitConfig, redis?: Redis, redisPrefix = "modu-arena:"): RateLimiters {
  const limiters = new Map<RateLimitBucket, RateLimiterAbstract>();
  for (const bucket of RATE_LIMIT_BUCKETS) {
    const { points, duration } = pointsFor(bucket, config);
    const memory = new RateLimiterMemory({ points, duration, keyPrefix: `rl:${bucket}` });
    limiters.set(
      bucket,
      redis
        ? new RateLimiterRedis({
            storeClient: redis,
            useRedisPackage: false,
            points,
            duration,
            keyPrefix: `${redisPrefix}rl:${bucket}`,
            insuranceLimiter: memory,
          })
        : memory,
    );
  }
  return {
    kind: redis ? "redis" : "memory",
    async consume(bucket, key) {
      const limiter = limiters.get(bucket)!;
      try {
        await limiter.consume(key, 1);
        return { allowed: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          return {
            allowed: false,
            retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
            firstRefusal: error.consumedPoints === limiter.points + 1,
          };
        }
        throw error;
      }
    },
  };
}

/**
 * What a per-address limit counts: an IPv4 address whole, an IPv6 one by its /64, since one host is
 * usually given a whole /64 and could otherwise take a fresh address for every request.
 */
export function addressKey(ip: string | null | undefined): string {
  if (!ip) return "unknown";
  const address = ip.split("%")[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = "", tail] = address.split("::");
  const groupsOf = (part: string) => (part ? part.split(":").flatMap((g) => (g.includes(".") ? ["0", "0"] : [g])) : []);
  const front = groupsOf(head);
  const back = tail === undefined ? [] : groupsOf(tail);
  const groups = [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}
