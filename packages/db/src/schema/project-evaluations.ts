import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./users";

export const projectEvaluations = pgTable(
  "project_evaluations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectPathHash: varchar("project_path_hash", { length: 128 }).notNull(),
    projectName: varchar("project_name", { length: 128 }).notNull(),
    localScore: integer("local_score").notNull().default(0),
    backendScore: integer("backend_score").notNull().default(0),
    penaltyScore: integer("penalty_score").notNull().default(0),
    finalScore: integer("final_score").notNull().default(0),
    cumulativeScoreAfter: integer("cumulative_score_after").notNull().default(0),
    llmModel: varchar("llm_model", { length: 128 }),
    llmProvider: varchar("llm_provider", { length: 64 }),
    passed: boolean("passed").notNull().default(false),
    feedback: text("feedback"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    evaluatedAt: timestamp("evaluated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("project_evaluations_user_idx").on(table.userId, table.evaluatedAt)],
);
