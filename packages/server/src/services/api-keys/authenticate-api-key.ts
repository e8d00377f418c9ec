import { isApiKeyFormat } from "@modu-arena/core";
import { users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { hashApiKey, hashesEqual } from "./api-key-crypto";

export interface ApiKeyUser {
  id: string;
  username: string;
  privacyMode: boolean;
  apiKeyPrefix: string;
  apiKeyCreatedAt: Date | null;
  createdAt: Date;
}

/** Finds the user of an API key by its SHA-256 hash; an unknown key is audited and refused. */
export async function authenticateApiKey(
  ctx: AppContext,
  apiKey: string | undefined,
  origin: RequestOrigin,
): Promise<ApiKeyUser> {
  if (!apiKey) throw new ServiceError("missing_api_key", "The X-API-Key header is required");
  const hash = hashApiKey(apiKey);
  const [user] = isApiKeyFormat(apiKey)
    ? await ctx.db
        .select({
          id: users.id,
          username: users.username,
          privacyMode: users.privacyMode,
          apiKeyPrefix: users.apiKeyPrefix,
          apiKeyHash: users.apiKeyHash,
          apiKeyCreatedAt: users.apiKeyCreatedAt,
          createdAt: users.createdAt,
        })
        .from(users)
        .where(eq(users.apiKeyHash, hash))
        .limit(1)
    : [];
  if (!user?.apiKeyHash || !hashesEqual(user.apiKeyHash, hash)) {
    await recordAuditEvent(ctx, {
      eventType: "api_key_invalid",
      origin,
      details: { keyPrefix: apiKey.slice(0, 19).replace(/[^A-Za-z0-9_]/g, "") },
    });
    throw new ServiceError("invalid_api_key", "The API key is not valid");
  }
  return {
    id: user.id,
    username: user.username,
    privacyMode: user.privacyMode,
    apiKeyPrefix: user.apiKeyPrefix ?? "",
    apiKeyCreatedAt: user.apiKeyCreatedAt,
    createdAt: user.createdAt,
  };
}
