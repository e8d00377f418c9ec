import { getTier } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { readThrough } from "../../infra/cache";
import { PROFILE_CACHE_PREFIX } from "../rankings/invalidate-ranking-caches";
import { ALL_TIME_START } from "../rankings/period-starts";
import { usernameSchema } from "../users/create-user";
import { type BadgeData, renderBadge } from "./render-badge";

export const BADGE_CACHE_SECONDS = 300;

/**
 * Badge numbers of a public user from the all-time ranking; null for privacy-mode and unknown users
 * alike. Privacy is checked before the cache, so switching it on hides the numbers at once.
 */
export async function getBadgeData(ctx: AppContext, username: string): Promise<BadgeData | null> {
  if (!usernameSchema.safeParse(username).success) return null;
  const [user] = await queryRows<{ id: string }>(
    ctx.db,
    sql`SELECT id FROM users WHERE lower(username) = lower(${username}) AND privacy_mode = false`,
  );
  if (!user) return null;
  return readThrough(ctx.cache, `${PROFILE_CACHE_PREFIX}badge:${user.id}`, BADGE_CACHE_SECONDS, async () => {
    const [row] = await queryRows<{ rank: number | null; score: number | null; tokens: number }>(
      ctx.db,
      sql`SELECT r.rank_position AS rank, r.composite_score::float8 AS score,
            (coalesce(s.total_input_tokens, 0) + coalesce(s.total_output_tokens, 0))::float8 AS tokens
          FROM user_stats s
          LEFT JOIN rankings r ON r.user_id = s.user_id AND r.period_type = 'all_time'
            AND r.period_start = ${ALL_TIME_START}::date
          WHERE s.user_id = ${user.id}`,
    );
    return { rank: row?.rank ?? null, tier: getTier(Number(row?.score ?? 0)), totalTokens: Number(row?.tokens ?? 0) };
  });
}

/** The SVG of `/api/badge/{username}.svg`. */
export async function getBadgeSvg(ctx: AppContext, username: string): Promise<string> {
  return renderBadge(await getBadgeData(ctx, username));
}
