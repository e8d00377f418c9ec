import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";

export const LOCKOUT_FAILURES = 20;
export const LOCKOUT_WINDOW_SECONDS = 15 * 60;

/**
 * The per-minute limits slow one client; this stops many clients guessing one account: after 20 failed
 * sign-ins in 15 minutes (since the last success or password change) the account refuses passwords for
 * a while. A password reset by email still works, so the lockout cannot shut the owner out.
 */
export async function checkAccountLockout(ctx: AppContext, userId: string): Promise<void> {
  // Audit rows are stamped by the database clock, so the window is measured with it too.
  const [row] = await queryRows<{ failures: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS failures FROM security_audit_log
        WHERE user_id = ${userId} AND event_type = 'login_failed'
          AND created_at > now() - make_interval(secs => ${LOCKOUT_WINDOW_SECONDS})
          AND created_at > coalesce((
            SELECT max(created_at) FROM security_audit_log
            WHERE user_id = ${userId} AND event_type IN ('login_succeeded', 'password_changed')
          ), '-infinity'::timestamptz)`,
  );
  if ((row?.failures ?? 0) >= LOCKOUT_FAILURES) {
    throw new ServiceError(
      "rate_limited",
      "Too many failed sign-ins for this account; wait or reset the password by email",
      undefined,
      LOCKOUT_WINDOW_SECONDS,
    );
  }
}
