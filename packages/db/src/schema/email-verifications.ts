import { boolean, index, integer, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

/** One-time codes for email signup. Only a hash of the code is kept. */
export const emailVerifications = pgTable(
  "email_verifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: varchar("email", { length: 254 }).notNull(),
    code: varchar("code", { length: 128 }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    used: boolean("used").notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("email_verifications_email_idx").on(table.email, table.createdAt)],
);
