import { bigint, index, integer, jsonb, pgTable, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { timeOrderedUuid } from "./time-ordered-uuid";
import { toolTypes } from "./tool-types";
import { users } from "./users";

/**
 * One row per (user, tool, client session id), holding the session's latest cumulative totals.
 * A resumed session updates the row; the difference goes to token_usage and the aggregates.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().default(timeOrderedUuid),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolTypeId: varchar("tool_type_id", { length: 32 })
      .notNull()
      .references(() => toolTypes.id),
    /** The client's `sessionId` (the seed's legacy name is session_hash). */
    sessionHash: varchar("session_hash", { length: 256 }).notNull(),
    anonymousProjectId: varchar("anonymous_project_id", { length: 128 }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }).notNull(),
    durationSeconds: integer("duration_seconds"),
    modelName: varchar("model_name", { length: 128 }),
    turnCount: integer("turn_count"),
    toolUsage: jsonb("tool_usage").$type<Record<string, number>>(),
    codeMetrics: jsonb("code_metrics").$type<{
      linesAdded: number;
      linesDeleted: number;
      filesModified: number;
      filesCreated: number;
    }>(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    cacheCreationTokens: bigint("cache_creation_tokens", { mode: "number" }).notNull().default(0),
    cacheReadTokens: bigint("cache_read_tokens", { mode: "number" }).notNull().default(0),
    /** The part of output_tokens spent reasoning (0 when the client did not say). */
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }).notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("sessions_user_tool_hash_idx").on(table.userId, table.toolTypeId, table.sessionHash),
    index("sessions_user_ended_idx").on(table.userId, table.endedAt),
    index("sessions_ended_idx").on(table.endedAt),
  ],
);
