import type { PeriodType } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { getPeriodStart } from "./period-starts";

export interface RankEntry {
  position: number;
  compositeScore: number;
  totalParticipants: number;
}

export interface CurrentRanks {
  byPeriod: Record<PeriodType, RankEntry | null>;
  /** When the newest of these rows was computed; null when the user is ranked nowhere. */
  lastUpdated: string | null;
}

/** A user's position in the current period of each ranking, with the number of ranked users. */
export async function getCurrentRanks(ctx: AppContext, userId: string): Promise<CurrentRanks> {
  const now = ctx.clock.now();
  const rows = await queryRows<{
    period_type: PeriodType;
    rank_position: number;
    score: number;
    participants: number;
    updated_at: string | Date;
  }>(
    ctx.db,
    sql`SELECT r.period_type, r.rank_position, r.composite_score::float8 AS score, r.updated_at,
          (SELECT count(*)::int FROM rankings c WHERE c.period_type = r.period_type AND c.period_start = r.period_start) AS participants
        FROM rankings r
        WHERE r.user_id = ${userId} AND (
          (r.period_type = 'daily' AND r.period_start = ${getPeriodStart("daily", now)}::date) OR
          (r.period_type = 'weekly' AND r.period_start = ${getPeriodStart("weekly", now)}::date) OR
          (r.period_type = 'monthly' AND r.period_start = ${getPeriodStart("monthly", now)}::date) OR
          (r.period_type = 'all_time' AND r.period_start = ${getPeriodStart("all_time", now)}::date))`,
  );
  const entry = (period: PeriodType): RankEntry | null => {
    const row = rows.find((candidate) => candidate.period_type === period);
    return row
      ? { position: row.rank_position, compositeScore: Number(row.score), totalParticipants: row.participants }
      : null;
  };
  const updated = rows.map((row) => new Date(row.updated_at).getTime());
  return {
    byPeriod: {
      daily: entry("daily"),
      weekly: entry("weekly"),
      monthly: entry("monthly"),
      all_time: entry("all_time"),
    },
    lastUpdated: updated.length > 0 ? new Date(Math.max(...updated)).toISOString() : null,
  };
}
