import { bigint, date, index, integer, jsonb, pgTable, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export interface DailyToolBucket {
  tokens: number;
  sessions: number;
}

/** Per user and UTC day; `total_tokens` = input + output (what the composite score counts). */
export const dailyUserStats = pgTable(
  "daily_user_stats",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    statDate: date("stat_date", { mode: "string" }).notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    cacheCreationTokens: bigint("cache_creation_tokens", { mode: "number" }).notNull().default(0),
    cacheReadTokens: bigint("cache_read_tokens", { mode: "number" }).notNull().default(0),
    /** Part of output_tokens, not added to total_tokens again. */
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }).notNull().default(0),
    cacheTokens: bigint("cache_tokens", { mode: "number" }).notNull().default(0),
    totalTokens: bigint("total_tokens", { mode: "number" }).notNull().default(0),
    sessionCount: integer("session_count").notNull().default(0),
    byTool: jsonb("by_tool").$type<Record<string, DailyToolBucket>>().notNull().default({}),
    byModel: jsonb("by_model").$type<Record<string, number>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("daily_user_stats_user_date_idx").on(table.userId, table.statDate),
    index("daily_user_stats_date_idx").on(table.statDate),
  ],
);
