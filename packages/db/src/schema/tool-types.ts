import { boolean, integer, pgTable, text, timestamp, varchar } from "drizzle-orm/pg-core";

export const toolTypes = pgTable("tool_types", {
  id: varchar("id", { length: 32 }).primaryKey(),
  name: varchar("name", { length: 64 }).notNull(),
  displayName: varchar("display_name", { length: 64 }).notNull(),
  iconUrl: text("icon_url"),
  color: varchar("color", { length: 16 }),
  isActive: boolean("is_active").notNull().default(true),
  sortOrder: integer("sort_order").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
