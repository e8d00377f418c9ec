import { type Db, queryRows } from "@modu-arena/db";
import { type SQL, sql } from "drizzle-orm";
import type { AppContext } from "../../context";

const BATCH_SIZE = 5_000;

export interface CleanupResult {
  deleted: Record<string, number>;
  durationMs: number;
}

/** Deletes one batch at a time (short locks, bounded WAL), set-based, until nothing is left. */
async function deleteInBatches(db: Db, batch: (limit: number) => SQL): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ n: number }>(
      db,
      sql`WITH gone AS (${batch(BATCH_SIZE)} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    );
    const deleted = rows[0]?.n ?? 0;
    total += deleted;
    if (deleted < BATCH_SIZE) return total;
  }
}

function cutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/** Applies the retention periods of the configuration (0 keeps a table forever). */
export async function cleanupData(ctx: AppContext): Promise<CleanupResult> {
  const started = performance.now();
  const now = ctx.clock.now();
  const { retention } = ctx.config;
  const deleted: Record<string, number> = {};
  const run = async (name: string, days: number, batch: (before: Date, limit: number) => SQL) => {
    if (days <= 0) return;
    const before = cutoff(now, days);
    deleted[name] = await deleteInBatches(ctx.db, (limit) => batch(before, limit));
  };
  await run(
    "token_usage",
    retention.tokenUsageDays,
    (before, limit) =>
      sql`DELETE FROM token_usage WHERE id IN (SELECT id FROM token_usage WHERE recorded_at < ${before} LIMIT ${limit})`,
  );
  await run(
    "sessions",
    retention.sessionsDays,
    (before, limit) =>
      sql`DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE ended_at < ${before} LIMIT ${limit})`,
  );
  await run(
    "daily_user_stats",
    retention.dailyStatsDays,
    (before, limit) =>
      sql`DELETE FROM daily_user_stats WHERE id IN (SELECT id FROM daily_user_stats WHERE stat_date < ${before.toISOString().slice(0, 10)}::date LIMIT ${limit})`,
  );
  await run(
    "rankings_daily",
    retention.dailyRankingsDays,
    (before, limit) =>
      sql`DELETE FROM rankings WHERE id IN (SELECT id FROM rankings WHERE period_type = 'daily' AND period_start < ${before.toISOString().slice(0, 10)}::date LIMIT ${limit})`,
  );
  await run(
    "security_audit_log",
    retention.auditDays,
    (before, limit) =>
      sql`DELETE FROM security_audit_log WHERE id IN (SELECT id FROM security_audit_log WHERE created_at < ${before} LIMIT ${limit})`,
  );
  await run(
    "email_verifications",
    1,
    (before, limit) =>
      sql`DELETE FROM email_verifications WHERE id IN (SELECT id FROM email_verifications WHERE expires_at < ${before} LIMIT ${limit})`,
  );
  const durationMs = Math.round(performance.now() - started);
  ctx.log.info("data cleanup done", { durationMs, ...deleted });
  return { deleted, durationMs };
}
