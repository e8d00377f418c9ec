import type { GlobalStats } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { readThrough } from "../../infra/cache";
import { LEADERBOARD_CACHE_PREFIX } from "../rankings/invalidate-ranking-caches";
import { formatDay } from "../rankings/period-starts";

export type { GlobalStats };

const GLOBAL_STATS_TTL_SECONDS = 60;

/** The leaderboard header's numbers: aggregates only (no user is named), from the precomputed tables. */
export async function getGlobalStats(ctx: AppContext): Promise<GlobalStats> {
  const day = formatDay(ctx.clock.now());
  // Under the leaderboard prefix, so a ranking run refreshes it with the board.
  return readThrough(
    ctx.cache,
    `${LEADERBOARD_CACHE_PREFIX}global-stats:${day}`,
    GLOBAL_STATS_TTL_SECONDS,
    async () => {
      const [row] = await queryRows<{
        users: number;
        tokens: number;
        sessions: number;
        active_today: number;
        sessions_today: number;
        tokens_today: number;
      }>(
        ctx.db,
        sql`SELECT (SELECT count(*)::int FROM users) AS users,
            (SELECT coalesce(sum(total_input_tokens + total_output_tokens), 0)::float8 FROM user_stats) AS tokens,
            (SELECT coalesce(sum(total_sessions), 0)::float8 FROM user_stats) AS sessions,
            today.active_today, today.sessions_today, today.tokens_today
          FROM (
            SELECT count(*) FILTER (WHERE total_tokens > 0 OR session_count > 0)::int AS active_today,
              coalesce(sum(session_count), 0)::float8 AS sessions_today,
              coalesce(sum(total_tokens), 0)::float8 AS tokens_today
            FROM daily_user_stats WHERE stat_date = ${day}::date
          ) AS today`,
      );
      return {
        users: row?.users ?? 0,
        activeUsersToday: row?.active_today ?? 0,
        totalTokens: Number(row?.tokens ?? 0),
        totalSessions: Number(row?.sessions ?? 0),
        sessionsToday: Number(row?.sessions_today ?? 0),
        tokensToday: Number(row?.tokens_today ?? 0),
        day,
      };
    },
  );
}
