import { isApiKeyFormat } from "@modu-arena/core";
import { queryPrepared } from "@modu-arena/db";
import { sql } from "drizzle-orm";
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

interface ApiKeyRow {
  id: string;
  username: string;
  privacyMode: boolean;
  apiKeyPrefix: string | null;
  apiKeyHash: string | null;
  /** A Date from node-postgres, an ISO string or Date from PGlite: normalised below. */
  apiKeyCreatedAt: Date | string | null;
  createdAt: Date | string;
}

/** Finds the user of an API key by its SHA-256 hash; an unknown key is audited and refused. */
export async function authenticateApiKey(
  ctx: AppContext,
  apiKey: string | undefined,
  origin: RequestOrigin,
): Promise<ApiKeyUser> {
  if (!apiKey) throw new ServiceError("missing_api_key", "The X-API-Key header is required");
  const hash = hashApiKey(apiKey);
  const cached = ctx.apiKeyCache.get(hash);
  if (cached) return cached;
  // Every signed request starts here: a prepared statement, planned once per connection.
  const [user] = isApiKeyFormat(apiKey)
    ? await queryPrepared<ApiKeyRow>(
        ctx.db,
        "modu_user_by_api_key_v1",
        sql`SELECT id, username, privacy_mode AS "privacyMode", api_key_prefix AS "apiKeyPrefix",
              api_key_hash AS "apiKeyHash", api_key_created_at AS "apiKeyCreatedAt", created_at AS "createdAt"
            FROM users WHERE api_key_hash = ${hash} LIMIT 1`,
      )
    : [];
  if (!user?.apiKeyHash || !hashesEqual(user.apiKeyHash, hash)) {
    await recordAuditEvent(ctx, {
      eventType: "api_key_invalid",
      origin,
      details: { keyPrefix: apiKey.slice(0, 19).replace(/[^A-Za-z0-9_]/g, "") },
    });
    throw new ServiceError("invalid_api_key", "The API key is not valid");
  }
  const authenticated: ApiKeyUser = {
    id: user.id,
    username: user.username,
    privacyMode: user.privacyMode,
    apiKeyPrefix: user.apiKeyPrefix ?? "",
    apiKeyCreatedAt: user.apiKeyCreatedAt === null ? null : new Date(user.apiKeyCreatedAt),
    createdAt: new Date(user.createdAt),
  };
  ctx.apiKeyCache.set(hash, authenticated);
  return authenticated;
}
