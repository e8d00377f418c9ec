import type { AppContext } from "../../context";

export const LEADERBOARD_CACHE_PREFIX = "leaderboard:";
export const RANK_CACHE_PREFIX = "rank:";
export const PROFILE_CACHE_PREFIX = "profile:";

/** Everything computed from rankings goes stale when a ranking run commits. */
export async function invalidateRankingCaches(ctx: Pick<AppContext, "cache">): Promise<void> {
  await Promise.all([
    ctx.cache.deleteByPrefix(LEADERBOARD_CACHE_PREFIX),
    ctx.cache.deleteByPrefix(RANK_CACHE_PREFIX),
    ctx.cache.deleteByPrefix(PROFILE_CACHE_PREFIX),
  ]);
}
