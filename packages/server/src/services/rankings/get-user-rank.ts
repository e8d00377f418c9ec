import type { RankResponse } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { getCurrentRanks } from "./get-current-ranks";

/** The `GET /api/v1/rank` answer: the user's position in each current period and their totals. */
export async function getUserRank(ctx: AppContext, user: { id: string; username: string }): Promise<RankResponse> {
  const ranks = await getCurrentRanks(ctx, user.id);
  const [stats] = await queryRows<{ input: number; output: number; sessions: number }>(
    ctx.db,
    sql`SELECT total_input_tokens::float8 AS input, total_output_tokens::float8 AS output, total_sessions AS sessions
        FROM user_stats WHERE user_id = ${user.id}`,
  );
  const { daily, weekly, monthly, all_time } = ranks.byPeriod;
  return {
    username: user.username,
    rankings: { daily, weekly, monthly, allTime: all_time },
    stats: {
      totalTokens: (stats?.input ?? 0) + (stats?.output ?? 0),
      totalSessions: stats?.sessions ?? 0,
      inputTokens: stats?.input ?? 0,
      outputTokens: stats?.output ?? 0,
    },
    lastUpdated: ranks.lastUpdated,
  };
}
