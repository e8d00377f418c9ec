import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";

export const BRAKE_FAILURES = 20;
export const BRAKE_WINDOW_SECONDS = 15 * 60;

// Unknown accounts run the same query (matching nothing), so both cost the same database round trip.
const NO_USER = "00000000-0000-0000-0000-000000000000";

/**
 * Whether an account under attack refuses this sign-in. After 20 failed sign-ins in 15 minutes (since
 * the last success or password change) a source that has itself failed on the account is refused even
 * with the right password, while a source without failures still gets in: many guessing clients are
 * slowed, the owner is not locked out. The caller answers a refusal exactly like a wrong password.
 */
export async function isSignInBraked(
  ctx: AppContext,
  userId: string | undefined,
  ipAddress: string | null | undefined,
): Promise<boolean> {
  // Compared as the audit row stores it (at most 64 characters, null when unknown).
  const source = ipAddress?.slice(0, 64) ?? null;
  // Audit rows are stamped by the database clock, so the window is measured with it too.
  const [row] = await queryRows<{ failures: number; from_source: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS failures, count(*) FILTER (WHERE ip_address IS NOT DISTINCT FROM ${source})::int AS from_source
        FROM security_audit_log
        WHERE user_id = ${userId ?? NO_USER} AND event_type = 'login_failed'
          AND created_at > now() - make_interval(secs => ${BRAKE_WINDOW_SECONDS})
          AND created_at > coalesce((
            SELECT max(created_at) FROM security_audit_log
            WHERE user_id = ${userId ?? NO_USER} AND event_type IN ('login_succeeded', 'password_changed')
          ), '-infinity'::timestamptz)`,
  );
  return Boolean(userId) && (row?.failures ?? 0) >= BRAKE_FAILURES && (row?.from_source ?? 0) > 0;
}
