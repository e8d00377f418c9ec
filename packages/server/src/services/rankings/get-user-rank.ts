import type { PeriodType, RankResponse } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { getPeriodStart } from "./period-starts";

interface RankRow {
  period_type: PeriodType;
  rank_position: number;
  composite_score: number;
  participants: number;
  updated_at: string | Date;
}

/** The `GET /api/v1/rank` answer: the user's position in each current period and their totals. */
export async function getUserRank(ctx: AppContext, user: { id: string; username: string }): Promise<RankResponse> {
  const now = ctx.clock.now();
  const starts = {
    daily: getPeriodStart("daily", now),
    weekly: getPeriodStart("weekly", now),
    monthly: getPeriodStart("monthly", now),
    all_time: getPeriodStart("all_time", now),
  };
  const rows = await queryRows<RankRow>(
    ctx.db,
    sql`SELECT r.period_type, r.rank_position, r.composite_score::float8 AS composite_score, r.updated_at,
          (SELECT count(*)::int FROM rankings c WHERE c.period_type = r.period_type AND c.period_start = r.period_start) AS participants
        FROM rankings r
        WHERE r.user_id = ${user.id} AND (
          (r.period_type = 'daily' AND r.period_start = ${starts.daily}::date) OR
          (r.period_type = 'weekly' AND r.period_start = ${starts.weekly}::date) OR
          (r.period_type = 'monthly' AND r.period_start = ${starts.monthly}::date) OR
          (r.period_type = 'all_time' AND r.period_start = ${starts.all_time}::date))`,
  );
  const [stats] = await queryRows<{ input: number; output: number; sessions: number }>(
    ctx.db,
    sql`SELECT total_input_tokens::float8 AS input, total_output_tokens::float8 AS output, total_sessions AS sessions
        FROM user_stats WHERE user_id = ${user.id}`,
  );
  const entry = (period: PeriodType) => {
    const row = rows.find((candidate) => candidate.period_type === period);
    return row
      ? {
          position: row.rank_position,
          compositeScore: Number(row.composite_score),
          totalParticipants: row.participants,
        }
      : null;
  };
  const updated = rows.map((row) => new Date(row.updated_at).getTime());
  return {
    username: user.username,
    rankings: { daily: entry("daily"), weekly: entry("weekly"), monthly: entry("monthly"), allTime: entry("all_time") },
    stats: {
      totalTokens: (stats?.input ?? 0) + (stats?.output ?? 0),
      totalSessions: stats?.sessions ?? 0,
      inputTokens: stats?.input ?? 0,
      outputTokens: stats?.output ?? 0,
    },
    lastUpdated: updated.length > 0 ? new Date(Math.max(...updated)).toISOString() : null,
  };
}
