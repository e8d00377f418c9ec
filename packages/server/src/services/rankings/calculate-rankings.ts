import { PERIOD_TYPES, type PeriodType } from "@modu-arena/core";
import { type Db, queryRows } from "@modu-arena/db";
import { type SQL, sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { compositeScoreSql, efficiencySql } from "./composite-score-sql";
import { invalidateRankingCaches } from "./invalidate-ranking-caches";
import { formatDay, getPeriodStart } from "./period-starts";

// Shared by every instance: only one of them computes rankings at a time.
export const RANKINGS_LOCK_KEY = 4_242_002;

export interface RankingRun {
  ran: boolean;
  rankedByPeriod: Partial<Record<PeriodType, number>>;
  durationMs: number;
}

/** Current streak per user: the run of active days that ends today or yesterday. */
function streaksCte(today: string): SQL {
  return sql`active_days AS (
      SELECT user_id, stat_date,
        stat_date - (row_number() OVER (PARTITION BY user_id ORDER BY stat_date))::int AS island
      FROM daily_user_stats
      WHERE stat_date <= ${today}::date AND (total_tokens > 0 OR session_count > 0)
    ), streaks AS (
      SELECT user_id, count(*)::int AS streak FROM active_days
      GROUP BY user_id, island HAVING max(stat_date) >= ${today}::date - 1
    )`;
}

function periodTotals(period: PeriodType, start: string, today: string): SQL {
  if (period === "all_time") {
    // All time reads the running totals: daily rows are dropped after their retention period.
    return sql`SELECT user_id, total_input_tokens::float8 AS input, total_output_tokens::float8 AS output,
        (total_input_tokens + total_output_tokens)::float8 AS total, total_sessions AS sessions
      FROM user_stats WHERE total_sessions > 0 OR total_input_tokens + total_output_tokens > 0`;
  }
  return sql`SELECT user_id, sum(input_tokens)::float8 AS input, sum(output_tokens)::float8 AS output,
      sum(total_tokens)::float8 AS total, sum(session_count)::int AS sessions
    FROM daily_user_stats WHERE stat_date BETWEEN ${start}::date AND ${today}::date
    GROUP BY user_id HAVING sum(total_tokens) > 0 OR sum(session_count) > 0`;
}

const SCORE_COLUMNS = {
  input: sql.raw("input"),
  output: sql.raw("output"),
  total: sql.raw("total"),
  sessions: sql.raw("sessions"),
  streak: sql.raw("streak"),
};

/** One set-based statement per period: aggregate, score (core's formula), rank, write. */
function rankPeriodStatement(period: PeriodType, start: string, today: string, now: Date): SQL {
  return sql`WITH ${streaksCte(today)},
    period AS (${periodTotals(period, start, today)}),
    scored AS (
      SELECT p.*, coalesce(s.streak, 0) AS streak, ${efficiencySql(SCORE_COLUMNS)} AS efficiency
      FROM period p LEFT JOIN streaks s USING (user_id)
    ), final AS (
      SELECT *, ${compositeScoreSql(SCORE_COLUMNS)} AS score FROM scored
    )
    INSERT INTO rankings (user_id, period_type, period_start, rank_position, total_tokens, input_tokens, output_tokens,
      composite_score, session_count, efficiency_score, streak_days, updated_at)
    SELECT user_id, ${period}, ${start}::date,
      row_number() OVER (ORDER BY score DESC, total DESC, sessions DESC, user_id),
      total, input, output, score, sessions, round(efficiency::numeric, 4), streak, ${now}
    FROM final
    ON CONFLICT (period_type, period_start, user_id) DO UPDATE SET
      rank_position = excluded.rank_position, total_tokens = excluded.total_tokens,
      input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
      composite_score = excluded.composite_score, session_count = excluded.session_count,
      efficiency_score = excluded.efficiency_score, streak_days = excluded.streak_days, updated_at = excluded.updated_at`;
}

/**
 * Recomputes the current period of every ranking in one transaction, under a PostgreSQL advisory lock
 * so that several instances never run it at once; readers keep the previous ranking until commit.
 */
export async function calculateRankings(ctx: AppContext): Promise<RankingRun> {
  const started = performance.now();
  const now = ctx.clock.now();
  const today = formatDay(now);
  const rankedByPeriod: Partial<Record<PeriodType, number>> = {};
  const ran = await ctx.db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(
      tx as unknown as Db,
      sql`SELECT pg_try_advisory_xact_lock(${RANKINGS_LOCK_KEY}) AS locked`,
    );
    if (!lock?.locked) return false;
    for (const period of PERIOD_TYPES) {
      const start = getPeriodStart(period, now);
      await tx.execute(sql`DELETE FROM rankings WHERE period_type = ${period} AND period_start = ${start}::date`);
      await tx.execute(rankPeriodStatement(period, start, today, now));
      const [count] = await queryRows<{ n: number }>(
        tx as unknown as Db,
        sql`SELECT count(*)::int AS n FROM rankings WHERE period_type = ${period} AND period_start = ${start}::date`,
      );
      rankedByPeriod[period] = count?.n ?? 0;
    }
    return true;
  });
  if (ran) await invalidateRankingCaches(ctx);
  const durationMs = Math.round(performance.now() - started);
  ctx.log.info("rankings calculated", { ran, durationMs, ...rankedByPeriod });
  return { ran, rankedByPeriod, durationMs };
}
