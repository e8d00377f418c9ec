import { index, jsonb, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { timeOrderedUuid } from "./time-ordered-uuid";
import { users } from "./users";

export const securityAuditLog = pgTable(
  "security_audit_log",
  {
    id: uuid("id").primaryKey().default(timeOrderedUuid),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    eventType: varchar("event_type", { length: 48 }).notNull(),
    ipAddress: varchar("ip_address", { length: 64 }),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // Read by user (lockout, account views) and by age (cleanup); written on every ingest, so no more.
  (table) => [
    index("security_audit_log_user_idx").on(table.userId, table.createdAt),
    index("security_audit_log_created_idx").on(table.createdAt),
  ],
);
