import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { readThrough } from "../../infra/cache";
import { PROFILE_CACHE_PREFIX } from "../rankings/invalidate-ranking-caches";
import { resolveTimeZone } from "../settings/timezone";
import { usernameSchema } from "../users/create-user";
import { type ActivityAnalytics, buildActivityAnalytics } from "./build-activity-analytics";

export type ProfileAnalytics = ActivityAnalytics;

const PROFILE_ANALYTICS_TTL_SECONDS = 300;

/**
 * The charts of a public profile (`/users/[username]`), days in the user's own time zone. Privacy-mode
 * and unknown users are both 404, checked before the cache so a privacy switch applies at once.
 */
export async function getProfileAnalytics(ctx: AppContext, username: string): Promise<ProfileAnalytics> {
  if (!usernameSchema.safeParse(username).success) throw new ServiceError("not_found", "User not found");
  const [user] = await queryRows<{ id: string; timezone: string }>(
    ctx.db,
    sql`SELECT id, timezone FROM users WHERE lower(username) = lower(${username}) AND privacy_mode = false`,
  );
  if (!user) throw new ServiceError("not_found", "User not found");
  // Under the ranking run's `profile:` prefix, so each run refreshes it.
  const key = `${PROFILE_CACHE_PREFIX}analytics:${user.id}:${user.timezone}`;
  return readThrough(ctx.cache, key, PROFILE_ANALYTICS_TTL_SECONDS, async () => {
    const timezone = await resolveTimeZone(ctx, [user.timezone]);
    const { days: _days, summary: _summary, ...analytics } = await buildActivityAnalytics(ctx, user.id, timezone);
    return analytics;
  });
}
