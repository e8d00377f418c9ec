import { computeCodingStyle, computeStreak, getTier, type PeriodType } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { readThrough } from "../../infra/cache";
import { type EvaluationEntry, getEvaluationHistory } from "../dashboard/queries/get-evaluation-history";
import { getCurrentRanks, type RankEntry } from "../rankings/get-current-ranks";
import { PROFILE_CACHE_PREFIX } from "../rankings/invalidate-ranking-caches";
import { formatDay } from "../rankings/period-starts";

export interface PublicProfile {
  username: string;
  displayName: string | null;
  avatarUrl: string | null;
  memberSince: string;
  tier: string;
  rankings: Record<PeriodType, RankEntry | null>;
  stats: {
    totalTokens: number;
    inputTokens: number;
    outputTokens: number;
    cacheTokens: number;
    totalSessions: number;
    tokensByTool: Record<string, number>;
    sessionsByTool: Record<string, number>;
    successfulProjects: number;
    lastActivityAt: string | null;
  };
  streak: { current: number; longest: number };
  codingStyle: ReturnType<typeof computeCodingStyle>;
  /** Latest project evaluations (README-based; project name, scores, feedback). */
  evaluations: EvaluationEntry[];
}

interface UserRow {
  id: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
  created_at: string | Date;
  input: number | null;
  output: number | null;
  cache: number | null;
  sessions: number | null;
  tokens_by_tool: Record<string, number> | null;
  sessions_by_tool: Record<string, number> | null;
  successful_projects: number | null;
  last_activity_at: string | Date | null;
}

/** A user's public page data; privacy-mode users do not exist publicly (404). */
export async function getPublicProfile(ctx: AppContext, username: string): Promise<PublicProfile> {
  const [user] = await queryRows<UserRow>(
    ctx.db,
    sql`SELECT u.id, u.username, u.display_name, u.github_avatar_url AS avatar_url, u.created_at,
          s.total_input_tokens::float8 AS input, s.total_output_tokens::float8 AS output,
          s.total_cache_tokens::float8 AS cache, s.total_sessions AS sessions, s.tokens_by_tool, s.sessions_by_tool,
          s.successful_projects_count AS successful_projects, s.last_activity_at
        FROM users u LEFT JOIN user_stats s ON s.user_id = u.id
        WHERE lower(u.username) = lower(${username}) AND u.privacy_mode = false`,
  );
  if (!user) throw new ServiceError("not_found", "User not found");
  return readThrough(ctx.cache, `${PROFILE_CACHE_PREFIX}${user.id}`, 60, () => buildProfile(ctx, user));
}

async function buildProfile(ctx: AppContext, user: UserRow): Promise<PublicProfile> {
  const now = ctx.clock.now();
  const ranks = await getCurrentRanks(ctx, user.id);
  const days = await queryRows<{ day: string }>(
    ctx.db,
    sql`SELECT to_char(stat_date, 'YYYY-MM-DD') AS day FROM daily_user_stats
        WHERE user_id = ${user.id} AND (total_tokens > 0 OR session_count > 0)`,
  );
  const [usage] = await queryRows<{ tool_usage: Record<string, number> | null; added: number; deleted: number }>(
    ctx.db,
    sql`SELECT (SELECT modu_jsonb_agg_sum(tool_usage) FROM sessions WHERE user_id = ${user.id}) AS tool_usage,
          coalesce(sum((code_metrics ->> 'linesAdded')::bigint), 0)::float8 AS added,
          coalesce(sum((code_metrics ->> 'linesDeleted')::bigint), 0)::float8 AS deleted
        FROM sessions WHERE user_id = ${user.id}`,
  );
  const evaluations = await getEvaluationHistory(ctx, user.id, 20);
  const allTime = ranks.byPeriod.all_time;
  const input = user.input ?? 0;
  const output = user.output ?? 0;
  return {
    username: user.username,
    displayName: user.display_name,
    avatarUrl: user.avatar_url,
    memberSince: new Date(user.created_at).toISOString(),
    tier: getTier(allTime?.compositeScore ?? 0),
    rankings: ranks.byPeriod,
    stats: {
      totalTokens: input + output,
      inputTokens: input,
      outputTokens: output,
      cacheTokens: user.cache ?? 0,
      totalSessions: user.sessions ?? 0,
      tokensByTool: user.tokens_by_tool ?? {},
      sessionsByTool: user.sessions_by_tool ?? {},
      successfulProjects: user.successful_projects ?? 0,
      lastActivityAt: user.last_activity_at ? new Date(user.last_activity_at).toISOString() : null,
    },
    streak: computeStreak(
      days.map((row) => row.day),
      formatDay(now),
    ),
    evaluations,
    codingStyle: computeCodingStyle({
      toolUsage: usage?.tool_usage ?? {},
      linesAdded: usage?.added ?? 0,
      linesDeleted: usage?.deleted ?? 0,
    }),
  };
}
