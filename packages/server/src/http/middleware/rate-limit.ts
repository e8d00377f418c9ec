import type { MiddlewareHandler } from "hono";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { addressKey, type RateLimitBucket } from "../../infra/rate-limit";
import { recordAuditEvent } from "../../services/audit/record-audit-event";
import { getRequestOrigin } from "../request-origin";

/** Consumes one point of `bucket` for the key; refuses with 429 and Retry-After when exhausted. */
export async function enforceRateLimit(
  ctx: AppContext,
  bucket: RateLimitBucket,
  key: string,
  origin: { ipAddress?: string | null; userAgent?: string | null },
  userId?: string,
): Promise<void> {
  const outcome = await ctx.rateLimiters.consume(bucket, key);
  if (outcome.allowed) return;
  if (outcome.firstRefusal) {
    await recordAuditEvent(ctx, { userId, eventType: "rate_limit_exceeded", origin, details: { bucket } });
  }
  throw new ServiceError("rate_limited", "Too many requests, slow down", undefined, outcome.retryAfterSeconds);
}

/** Per-client-address limit for routes without an account (public reads, auth forms). */
export function rateLimitByIp(ctx: AppContext, bucket: RateLimitBucket): MiddlewareHandler {
  return async (c, next) => {
    const origin = getRequestOrigin(c, ctx.config);
    await enforceRateLimit(ctx, bucket, `ip:${addressKey(origin.ipAddress)}`, origin);
    await next();
  };
}
