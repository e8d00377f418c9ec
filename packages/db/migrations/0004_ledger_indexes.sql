-- Ingest writes a ledger row per session and an audit row per request: keep only the indexes and keys
-- something reads. token_usage's own user/tool keys are implied by its session's; nothing queries the
-- ledger by user or the audit log by event type alone (lockout reads it by user, cleanup by created_at).
ALTER TABLE "token_usage" DROP CONSTRAINT "token_usage_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "token_usage" DROP CONSTRAINT "token_usage_tool_type_id_tool_types_id_fk";
--> statement-breakpoint
DROP INDEX "security_audit_log_type_idx";--> statement-breakpoint
DROP INDEX "token_usage_user_recorded_idx";