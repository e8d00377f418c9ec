import {
  type BatchResponse,
  batchInputSchema,
  type SessionResponse,
  type StatusResponse,
  type VerifyResponse,
} from "@modu-arena/core";
import { Hono } from "hono";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { recordAuditEvent } from "../../services/audit/record-audit-event";
import { ingestSessions } from "../../services/ingest/ingest-sessions";
import { getUserRank } from "../../services/rankings/get-user-rank";
import { type ApiKeyVariables, apiKeyAuth } from "../middleware/api-key-auth";
import { parseJsonBody } from "../parse-json";
import { getRequestOrigin } from "../request-origin";

export const API_VERSION = "1.0.0";

const MESSAGES = {
  created: "Session recorded successfully",
  updated: "Session updated with the new totals",
  duplicate: "Session already recorded",
} as const;

/** API v1, the CLI's contract (wire-compatible with the product description). */
export function createV1Routes(ctx: AppContext) {
  const app = new Hono<{ Variables: ApiKeyVariables }>();

  app.get("/status", (c) =>
    c.json({
      status: "operational",
      version: API_VERSION,
      timestamp: ctx.clock.now().toISOString(),
      endpoints: { sessions: "/api/v1/sessions", rank: "/api/v1/rank", status: "/api/v1/status" },
    } satisfies StatusResponse),
  );

  app.get("/verify", apiKeyAuth(ctx, { signed: false }), async (c) => {
    const user = c.get("user");
    // Audited here (CLI install, status) rather than on every request, which would double each write.
    await recordAuditEvent(ctx, {
      userId: user.id,
      eventType: "api_key_validated",
      origin: getRequestOrigin(c, ctx.config),
    });
    return c.json({
      valid: true,
      username: user.username,
      apiKeyPrefix: user.apiKeyPrefix,
      privacyMode: user.privacyMode,
      createdAt: (user.apiKeyCreatedAt ?? user.createdAt).toISOString(),
    } satisfies VerifyResponse);
  });

  app.post("/sessions", apiKeyAuth(ctx, { signed: true }), async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(c.get("rawBody"));
    } catch {
      throw new ServiceError("invalid_json", "The request body is not valid JSON");
    }
    const origin = getRequestOrigin(c, ctx.config);
    const { results } = await ingestSessions(ctx, c.get("user").id, [body], origin, "single");
    const result = results[0]!;
    if (result.status === "rejected") {
      const code = result.error?.code === "session_shrunk" ? "session_shrunk" : "invalid_request";
      throw new ServiceError(code, result.error?.message ?? "Invalid session", result.error?.fields);
    }
    return c.json({
      success: true,
      sessionId: result.sessionId!,
      message: MESSAGES[result.status],
      ...(result.status === "duplicate" ? { duplicate: true } : {}),
      ...(result.status === "updated" ? { updated: true } : {}),
    } satisfies SessionResponse);
  });

  app.post("/sessions/batch", apiKeyAuth(ctx, { signed: true }), async (c) => {
    const { sessions } = parseJsonBody(c.get("rawBody"), batchInputSchema);
    const origin = getRequestOrigin(c, ctx.config);
    const outcome = await ingestSessions(ctx, c.get("user").id, sessions, origin, "batch");
    return c.json({ success: outcome.summary.rejected === 0, ...outcome } satisfies BatchResponse);
  });

  app.get("/rank", apiKeyAuth(ctx, { signed: false }), async (c) => c.json(await getUserRank(ctx, c.get("user"))));

  return app;
}
