import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../context";

export interface HourBucket {
  hour: number;
  sessions: number;
  tokens: number;
}

export interface WeekdayBucket {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  sessions: number;
  tokens: number;
}

export interface ActivityPatterns {
  hourly: HourBucket[];
  weekday: WeekdayBucket[];
}

/**
 * When the user codes: sessions and tokens (input + output) by local start hour and ISO weekday,
 * over sessions that ended since `since` (reads the (user_id, ended_at) index).
 */
export async function getActivityPatterns(
  ctx: AppContext,
  userId: string,
  options: { timezone: string; since: Date },
): Promise<ActivityPatterns> {
  const rows = await queryRows<{ hour: number | null; dow: number | null; sessions: number; tokens: number }>(
    ctx.db,
    sql`WITH local AS (
          SELECT coalesce(started_at, ended_at) AT TIME ZONE ${options.timezone} AS at,
            input_tokens + output_tokens AS tokens
          FROM sessions WHERE user_id = ${userId} AND ended_at >= ${options.since}
        )
        SELECT extract(hour FROM at)::int AS hour, NULL::int AS dow, count(*)::int AS sessions,
          sum(tokens)::float8 AS tokens
        FROM local GROUP BY 1
        UNION ALL
        SELECT NULL::int, extract(isodow FROM at)::int, count(*)::int, sum(tokens)::float8
        FROM local GROUP BY 2`,
  );
  const hourly = Array.from({ length: 24 }, (_, hour) => ({ hour, sessions: 0, tokens: 0 }));
  const weekday = Array.from({ length: 7 }, (_, index) => ({ weekday: index + 1, sessions: 0, tokens: 0 }));
  for (const row of rows) {
    const bucket = row.hour !== null ? hourly[row.hour] : weekday[(row.dow ?? 1) - 1];
    if (!bucket) continue;
    bucket.sessions = Number(row.sessions);
    bucket.tokens = Number(row.tokens);
  }
  return { hourly, weekday };
}
