import {
  bigint,
  date,
  index,
  integer,
  numeric,
  pgTable,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { users } from "./users";

export const rankings = pgTable(
  "rankings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    periodType: varchar("period_type", { length: 16 }).notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    rankPosition: integer("rank_position").notNull(),
    totalTokens: bigint("total_tokens", { mode: "number" }).notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    compositeScore: numeric("composite_score", { precision: 10, scale: 2, mode: "number" }).notNull(),
    sessionCount: integer("session_count").notNull().default(0),
    efficiencyScore: numeric("efficiency_score", { precision: 6, scale: 4, mode: "number" }).notNull().default(0),
    streakDays: integer("streak_days").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("rankings_period_user_idx").on(table.periodType, table.periodStart, table.userId),
    index("rankings_period_position_idx").on(table.periodType, table.periodStart, table.rankPosition),
    index("rankings_user_idx").on(table.userId),
  ],
);
