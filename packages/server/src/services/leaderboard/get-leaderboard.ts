import {
  getTier,
  type LeaderboardEntry,
  type LeaderboardQuery,
  type LeaderboardResponse,
  type LeaderboardSort,
} from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { type SQL, sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { readThrough } from "../../infra/cache";
import { LEADERBOARD_CACHE_PREFIX } from "../rankings/invalidate-ranking-caches";
import { getPeriodStart } from "../rankings/period-starts";
import { anonymousName } from "./anonymize";

interface Row {
  rank_position: number;
  user_id: string;
  username: string;
  avatar_url: string | null;
  privacy_mode: boolean;
  user_salt: string;
  total_tokens: number;
  composite_score: number;
  session_count: number;
  efficiency_score: number;
  streak_days: number;
  successful_projects: number;
  tokens_by_tool: Record<string, number> | null;
}

/**
 * The only ORDER BY clauses a request can pick (user input never reaches the SQL text). Bigger is better
 * in each column, so each sorts descending; ties fall back to the ranking position, then the user id.
 */
const ORDER_BY = {
  score: sql`r.rank_position, r.user_id`,
  tokens: sql`r.total_tokens DESC, r.rank_position, r.user_id`,
  sessions: sql`r.session_count DESC, r.rank_position, r.user_id`,
  efficiency: sql`r.efficiency_score DESC, r.rank_position, r.user_id`,
  streak: sql`r.streak_days DESC, r.rank_position, r.user_id`,
} satisfies Record<LeaderboardSort, SQL>;

/**
 * A page of the current ranking of a period, ordered by `sort` (`rank` stays the ranking position);
 * privacy-mode users appear under an anonymous name.
 */
export async function getLeaderboard(ctx: AppContext, query: LeaderboardQuery): Promise<LeaderboardResponse> {
  const periodStart = getPeriodStart(query.period, ctx.clock.now());
  const sort = query.sort ?? "score";
  const key = `${LEADERBOARD_CACHE_PREFIX}${query.period}:${periodStart}:${sort}:${query.limit}:${query.offset}`;
  const ttl = Math.max(30, ctx.config.rankingIntervalSeconds || 300);
  return readThrough(ctx.cache, key, ttl, async () => {
    // The page is taken from rankings alone, then joined to users and stats for its rows only: with the
    // joins (or a window count) around the OFFSET, every skipped row of the period was joined too, so a miss
    // cost grew with the ranked users (1.2 s at 100,000; docs/benchmarks.md, "Scale").
    const rows = await queryRows<Row>(
      ctx.db,
      sql`SELECT r.rank_position, r.user_id, u.username, u.github_avatar_url AS avatar_url, u.privacy_mode, u.user_salt,
            r.total_tokens::float8 AS total_tokens, r.composite_score::float8 AS composite_score, r.session_count,
            r.efficiency_score::float8 AS efficiency_score, r.streak_days,
            coalesce(s.successful_projects_count, 0) AS successful_projects, s.tokens_by_tool
          FROM (
            SELECT * FROM rankings r
            WHERE r.period_type = ${query.period} AND r.period_start = ${periodStart}::date
            ORDER BY ${ORDER_BY[sort]}
            LIMIT ${query.limit} OFFSET ${query.offset}
          ) r
          JOIN users u ON u.id = r.user_id LEFT JOIN user_stats s ON s.user_id = r.user_id
          ORDER BY ${ORDER_BY[sort]}`,
    );
    const total = await countRanked(ctx, query.period, periodStart);
    return {
      data: rows.map(toEntry),
      pagination: {
        page: Math.floor(query.offset / query.limit) + 1,
        limit: query.limit,
        total,
        totalPages: Math.ceil(total / query.limit),
        hasMore: query.offset + rows.length < total,
      },
      period: query.period,
      periodStart,
      sort,
    };
  });
}

async function countRanked(ctx: AppContext, period: string, periodStart: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS n FROM rankings WHERE period_type = ${period} AND period_start = ${periodStart}::date`,
  );
  return row?.n ?? 0;
}

function toEntry(row: Row): LeaderboardEntry {
  const score = Number(row.composite_score);
  return {
    rank: row.rank_position,
    userId: row.privacy_mode ? null : row.user_id,
    username: row.privacy_mode ? anonymousName(row.user_salt) : row.username,
    avatarUrl: row.privacy_mode ? null : row.avatar_url,
    totalTokens: Number(row.total_tokens),
    compositeScore: score,
    sessionCount: row.session_count,
    efficiencyScore: Number(row.efficiency_score),
    streakDays: row.streak_days,
    tier: getTier(score),
    successfulProjects: row.privacy_mode ? 0 : row.successful_projects,
    toolMix: row.privacy_mode
      ? {}
      : Object.fromEntries(Object.entries(row.tokens_by_tool ?? {}).map(([tool, tokens]) => [tool, Number(tokens)])),
    isPrivate: row.privacy_mode,
  };
}
