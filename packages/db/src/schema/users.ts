import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: varchar("username", { length: 39 }).notNull(),
    passwordHash: varchar("password_hash", { length: 255 }),
    githubId: varchar("github_id", { length: 64 }),
    githubUsername: varchar("github_username", { length: 64 }),
    githubAvatarUrl: text("github_avatar_url"),
    displayName: varchar("display_name", { length: 64 }),
    email: varchar("email", { length: 254 }),
    /** SHA-256 hex of the API key; the key itself is never stored. Null when revoked or never issued. */
    apiKeyHash: varchar("api_key_hash", { length: 64 }),
    apiKeyPrefix: varchar("api_key_prefix", { length: 32 }),
    apiKeyCreatedAt: timestamp("api_key_created_at", { withTimezone: true }),
    /** Per-user salt, e.g. for anonymised identifiers shown in place of the name in privacy mode. */
    userSalt: varchar("user_salt", { length: 64 }).notNull(),
    privacyMode: boolean("privacy_mode").notNull().default(false),
    /** IANA zone used to bucket the user's own charts by their local day. */
    timezone: varchar("timezone", { length: 64 }).notNull().default("UTC"),
    locale: varchar("locale", { length: 8 }),
    successfulProjectsCount: integer("successful_projects_count").notNull().default(0),
    /**
     * Carried in every session token and compared on each request: raising it (sign-out, password
     * change or reset) ends every session of the user on every instance, restarts included.
     */
    sessionGeneration: integer("session_generation").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("users_username_lower_idx").on(sql`lower(${table.username})`),
    uniqueIndex("users_email_lower_idx").on(sql`lower(${table.email})`),
    uniqueIndex("users_api_key_hash_idx").on(table.apiKeyHash),
    uniqueIndex("users_github_id_idx").on(table.githubId),
    index("users_privacy_idx").on(table.privacyMode),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
