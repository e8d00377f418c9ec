import { type Db, queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";

/**
 * A fingerprint of everything a request could store (the audit log aside, which refusals are meant to
 * grow): row counts, token sums and a digest of each table's rows.
 */
export async function snapshotStore(db: Db): Promise<Record<string, string>> {
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`SELECT
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM users t) AS users,
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.user_id), '')) FROM user_stats t) AS user_stats,
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM sessions t) AS sessions,
      (SELECT count(*)::text || ':' || coalesce(sum(input_tokens + output_tokens), 0)::text FROM token_usage) AS token_usage,
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM daily_user_stats t) AS daily_user_stats,
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM rankings t) AS rankings,
      (SELECT count(*)::text FROM project_evaluations) AS project_evaluations,
      (SELECT count(*)::text FROM email_verifications) AS email_verifications`,
  );
  return row!;
}

/** Names of the tables whose fingerprint differs. */
export function diffSnapshots(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((key) => before[key] !== after[key]);
}
