import { securityAuditLog } from "@modu-arena/db";
import type { AppContext, RequestOrigin } from "../../context";

/** The seed's security event types, and ours (ingest outcomes, rankings, auth). */
export const AUDIT_EVENTS = [
  "api_key_generated",
  "api_key_regenerated",
  "api_key_revoked",
  "api_key_validated",
  "api_key_invalid",
  "hmac_signature_invalid",
  "hmac_timestamp_expired",
  "rate_limit_exceeded",
  "session_created",
  "session_updated",
  "session_duplicate",
  "session_rejected",
  "suspicious_activity",
  "privacy_mode_changed",
  "user_created",
  "login_succeeded",
  "login_failed",
  "email_code_failed",
  "password_changed",
  "account_deleted",
  "evaluation_submitted",
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditInput {
  userId?: string | null;
  eventType: AuditEvent;
  origin?: RequestOrigin;
  /** Numbers and identifiers only: never keys, passwords, codes or tokens. */
  details?: Record<string, unknown>;
}

export async function recordAuditEvent(ctx: Pick<AppContext, "db" | "log">, input: AuditInput): Promise<void> {
  try {
    await ctx.db.insert(securityAuditLog).values({
      userId: input.userId ?? null,
      eventType: input.eventType,
      ipAddress: input.origin?.ipAddress?.slice(0, 64) ?? null,
      userAgent: input.origin?.userAgent?.slice(0, 512) ?? null,
      details: input.details ?? null,
    });
  } catch (error) {
    // An audit write must never turn a refused request into a 500.
    ctx.log.error("audit write failed", { eventType: input.eventType, error: String(error) });
  }
}
