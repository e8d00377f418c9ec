import { sql } from "drizzle-orm";

/**
 * Default id of the append-heavy tables (sessions, token_usage, security_audit_log): a UUIDv7 from
 * `modu_uuid_v7()` (migration 0005). Time-ordered keys land at the right edge of the primary-key index
 * instead of on a random page, so each ingest dirties (and logs) fewer index pages.
 */
export const timeOrderedUuid = sql`modu_uuid_v7()`;
