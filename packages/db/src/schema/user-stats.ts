import { bigint, integer, jsonb, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/** Running totals per user, kept exact by ingest; `total_all_tokens` = input + output + cache. */
export const userStats = pgTable("user_stats", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  totalInputTokens: bigint("total_input_tokens", { mode: "number" }).notNull().default(0),
  totalOutputTokens: bigint("total_output_tokens", { mode: "number" }).notNull().default(0),
  totalCacheCreationTokens: bigint("total_cache_creation_tokens", { mode: "number" }).notNull().default(0),
  totalCacheReadTokens: bigint("total_cache_read_tokens", { mode: "number" }).notNull().default(0),
  /** Part of total_output_tokens, not added to total_all_tokens again. */
  totalReasoningTokens: bigint("total_reasoning_tokens", { mode: "number" }).notNull().default(0),
  totalCacheTokens: bigint("total_cache_tokens", { mode: "number" }).notNull().default(0),
  totalAllTokens: bigint("total_all_tokens", { mode: "number" }).notNull().default(0),
  tokensByTool: jsonb("tokens_by_tool").$type<Record<string, number>>().notNull().default({}),
  totalSessions: integer("total_sessions").notNull().default(0),
  sessionsByTool: jsonb("sessions_by_tool").$type<Record<string, number>>().notNull().default({}),
  successfulProjectsCount: integer("successful_projects_count").notNull().default(0),
  totalEvaluations: integer("total_evaluations").notNull().default(0),
  lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
