import { bigint, index, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { sessions } from "./sessions";
import { timeOrderedUuid } from "./time-ordered-uuid";

/**
 * Ledger of token amounts as they were applied: one row per created or grown session. Written on every
 * ingest and read only by cleanup (by recorded_at) and cascades (by session), so those are its indexes.
 */
export const tokenUsage = pgTable(
  "token_usage",
  {
    id: uuid("id").primaryKey().default(timeOrderedUuid),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    // No foreign keys of their own: the session's already guarantee both (and delete the row with the
    // user), and each extra key is one more check per ingested session.
    userId: uuid("user_id").notNull(),
    toolTypeId: varchar("tool_type_id", { length: 32 }).notNull(),
    modelName: varchar("model_name", { length: 128 }),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    cacheCreationTokens: bigint("cache_creation_tokens", { mode: "number" }).notNull().default(0),
    cacheReadTokens: bigint("cache_read_tokens", { mode: "number" }).notNull().default(0),
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }).notNull().default(0),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("token_usage_session_idx").on(table.sessionId),
    index("token_usage_recorded_idx").on(table.recordedAt),
  ],
);
