import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import type { RateLimitBucket } from "../../infra/rate-limit";
import { recordAuditEvent } from "../audit/record-audit-event";

/**
 * Consumes one point of each key (e.g. the client address and the account) so that guessing is slowed
 * per address and per target; the first refusal of a window is audited, the rest are not.
 */
export async function consumeAuthLimit(
  ctx: AppContext,
  keys: string[],
  origin: RequestOrigin | undefined,
  bucket: RateLimitBucket = "auth",
  userId?: string,
): Promise<void> {
  for (const key of keys) {
    const outcome = await ctx.rateLimiters.consume(bucket, key);
    if (outcome.allowed) continue;
    if (outcome.firstRefusal) {
      await recordAuditEvent(ctx, {
        userId,
        eventType: "rate_limit_exceeded",
        origin,
        details: { bucket, scope: key.split(":")[0] },
      });
    }
    throw new ServiceError(
      "rate_limited",
      "Too many attempts, wait and try again",
      undefined,
      outcome.retryAfterSeconds,
    );
  }
}
