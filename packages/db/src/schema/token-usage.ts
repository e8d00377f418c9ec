import { bigint, index, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { sessions } from "./sessions";
import { toolTypes } from "./tool-types";
import { users } from "./users";

/** Ledger of token amounts as they were applied: one row per created or grown session. */
export const tokenUsage = pgTable(
  "token_usage",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolTypeId: varchar("tool_type_id", { length: 32 })
      .notNull()
      .references(() => toolTypes.id),
    modelName: varchar("model_name", { length: 128 }),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    cacheCreationTokens: bigint("cache_creation_tokens", { mode: "number" }).notNull().default(0),
    cacheReadTokens: bigint("cache_read_tokens", { mode: "number" }).notNull().default(0),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("token_usage_user_recorded_idx").on(table.userId, table.recordedAt),
    index("token_usage_session_idx").on(table.sessionId),
    index("token_usage_recorded_idx").on(table.recordedAt),
  ],
);
