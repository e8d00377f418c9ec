import { verifySignature } from "@modu-arena/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { addressKey } from "../../infra/rate-limit";
import { type ApiKeyUser, authenticateApiKey } from "../../services/api-keys/authenticate-api-key";
import { recordAuditEvent } from "../../services/audit/record-audit-event";
import { getRequestOrigin } from "../request-origin";
import { enforceRateLimit } from "./rate-limit";

export type ApiKeyVariables = { user: ApiKeyUser; rawBody: string };

/**
 * API key (+ HMAC for requests with a body) authentication, then the per-user rate limit.
 * Unknown keys count against the address's auth limit, so key guessing is slowed down.
 */
export function apiKeyAuth(
  ctx: AppContext,
  options: { signed: boolean },
): MiddlewareHandler<{ Variables: ApiKeyVariables }> {
  return async (c, next) => {
    const origin = getRequestOrigin(c, ctx.config);
    const apiKey = c.req.header("x-api-key")?.trim();
    let user: ApiKeyUser;
    try {
      user = await authenticateApiKey(ctx, apiKey, origin);
    } catch (error) {
      if (error instanceof ServiceError && error.code === "invalid_api_key") {
        await enforceRateLimit(ctx, "auth", `ip:${addressKey(origin.ipAddress)}`, origin);
      }
      throw error;
    }
    await enforceRateLimit(ctx, "api", `user:${user.id}`, origin, user.id);
    if (options.signed) c.set("rawBody", await verifySignedBody(c, ctx, apiKey!, user));
    c.set("user", user);
    await next();
  };
}

async function verifySignedBody(c: Context, ctx: AppContext, apiKey: string, user: ApiKeyUser): Promise<string> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ServiceError("unsupported_media_type", "Content-Type must be application/json");
  }
  const body = await c.req.text();
  const check = verifySignature({
    apiKey,
    timestampHeader: c.req.header("x-timestamp"),
    signatureHeader: c.req.header("x-signature"),
    body,
    nowSeconds: Math.floor(ctx.clock.now().getTime() / 1000),
  });
  if (check.ok) return body;
  const origin = getRequestOrigin(c, ctx.config);
  switch (check.reason) {
    case "missing_timestamp":
    case "missing_signature":
      throw new ServiceError("missing_signature", "X-Timestamp and X-Signature headers are required", {
        [check.reason === "missing_timestamp" ? "X-Timestamp" : "X-Signature"]: "required",
      });
    case "timestamp_expired":
      await recordAuditEvent(ctx, { userId: user.id, eventType: "hmac_timestamp_expired", origin });
      throw new ServiceError("timestamp_expired", "X-Timestamp is outside the 5-minute window; check the clock", {
        "X-Timestamp": "outside the 5-minute window",
      });
    case "signature_invalid":
      await recordAuditEvent(ctx, { userId: user.id, eventType: "hmac_signature_invalid", origin });
      throw new ServiceError("signature_invalid", "X-Signature does not match the request body", {
        "X-Signature": "does not match",
      });
  }
}
