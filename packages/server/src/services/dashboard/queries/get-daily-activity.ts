import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../context";
import { addDays, isUtcZone, laterDay } from "../days";

export interface DayActivity {
  date: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** Part of outputTokens. */
  reasoningTokens: number;
  sessions: number;
}

interface Row {
  day: string;
  input: number;
  output: number;
  cache_creation: number;
  cache_read: number;
  reasoning: number;
  sessions: number;
}

/**
 * Per-day totals of one user over [fromDay, toDay] in their time zone (days without activity omitted).
 * UTC users read the precomputed daily_user_stats. Other zones bucket sessions (user_id, ended_at index)
 * by local day; days older than the sessions' retention fall back to the daily rows' UTC days.
 */
export async function getDailyActivity(
  ctx: AppContext,
  userId: string,
  options: { timezone: string; fromDay: string; toDay: string },
): Promise<DayActivity[]> {
  const { timezone, fromDay, toDay } = options;
  const retentionDays = ctx.config.retention.sessionsDays;
  // First local day whose sessions are all still kept; before it only the daily rows remain.
  const sessionsFrom = isUtcZone(timezone)
    ? addDays(toDay, 1)
    : retentionDays > 0
      ? addDays(new Date(ctx.clock.now().getTime() - retentionDays * 86_400_000).toISOString().slice(0, 10), 2)
      : fromDay;
  const splitDay = laterDay(sessionsFrom, fromDay);
  // Sessions before the split's UTC midnight are in the daily rows: each is counted once. Without
  // daily rows, 14 h before covers the first local day under every UTC offset.
  const splitMs = Date.parse(`${splitDay}T00:00:00Z`);
  const sinceInstant = new Date(splitDay === fromDay ? splitMs - 14 * 3_600_000 : splitMs);
  const rows = await queryRows<Row>(
    ctx.db,
    sql`WITH daily AS (
          SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, input_tokens AS input, output_tokens AS output,
            cache_creation_tokens AS cache_creation, cache_read_tokens AS cache_read,
            reasoning_tokens AS reasoning, session_count AS sessions
          FROM daily_user_stats
          WHERE user_id = ${userId} AND stat_date >= ${fromDay}::date AND stat_date < ${splitDay}::date
            AND stat_date <= ${toDay}::date
        ), local AS (
          SELECT to_char(ended_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day, input_tokens AS input,
            output_tokens AS output, cache_creation_tokens AS cache_creation, cache_read_tokens AS cache_read,
            reasoning_tokens AS reasoning, 1 AS sessions
          FROM sessions
          WHERE user_id = ${userId} AND ended_at >= ${sinceInstant} AND ${splitDay}::date <= ${toDay}::date
        )
        SELECT day, sum(input)::float8 AS input, sum(output)::float8 AS output,
          sum(cache_creation)::float8 AS cache_creation, sum(cache_read)::float8 AS cache_read,
          sum(reasoning)::float8 AS reasoning, sum(sessions)::int AS sessions
        FROM (
          SELECT * FROM daily
          UNION ALL
          SELECT * FROM local WHERE day >= ${fromDay} AND day <= ${toDay}
        ) AS combined
        GROUP BY day
        HAVING sum(input) + sum(output) + sum(cache_creation) + sum(cache_read) > 0 OR sum(sessions) > 0
        ORDER BY day`,
  );
  return rows.map((row) => ({
    date: row.day,
    inputTokens: Number(row.input),
    outputTokens: Number(row.output),
    cacheCreationTokens: Number(row.cache_creation),
    cacheReadTokens: Number(row.cache_read),
    reasoningTokens: Number(row.reasoning),
    sessions: Number(row.sessions),
  }));
}
