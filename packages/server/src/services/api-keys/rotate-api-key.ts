import { users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { generateApiKey } from "./api-key-crypto";

/** Issues a new key (the old one stops working at once) and returns it; it is never readable again. */
export async function rotateApiKey(
  ctx: AppContext,
  userId: string,
  origin?: RequestOrigin,
): Promise<{ apiKey: string; prefix: string }> {
  const key = generateApiKey();
  const [previous] = await ctx.db.select({ prefix: users.apiKeyPrefix }).from(users).where(eq(users.id, userId));
  if (!previous) throw new ServiceError("not_found", "User not found");
  await ctx.db
    .update(users)
    .set({
      apiKeyHash: key.hash,
      apiKeyPrefix: key.prefix,
      apiKeyCreatedAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    })
    .where(eq(users.id, userId));
  await ctx.apiKeyCache.forgetUser(userId);
  await recordAuditEvent(ctx, {
    userId,
    eventType: previous.prefix ? "api_key_regenerated" : "api_key_generated",
    origin,
    details: { prefix: key.prefix },
  });
  return { apiKey: key.apiKey, prefix: key.prefix };
}

export async function revokeApiKey(ctx: AppContext, userId: string, origin?: RequestOrigin): Promise<void> {
  await ctx.db
    .update(users)
    .set({ apiKeyHash: null, apiKeyPrefix: null, apiKeyCreatedAt: null, updatedAt: ctx.clock.now() })
    .where(eq(users.id, userId));
  await ctx.apiKeyCache.forgetUser(userId);
  await recordAuditEvent(ctx, { userId, eventType: "api_key_revoked", origin });
}
