import { getTier, type RankResponse, type Tier } from "@modu-arena/core";
import type { AppContext } from "../../context";
import { type Account, getAccount } from "../me/get-account";
import { getUserRank } from "../rankings/get-user-rank";
import { resolveTimeZone } from "../settings/timezone";
import { type ActivityAnalytics, buildActivityAnalytics } from "./build-activity-analytics";
import { addDays, listDays } from "./days";
import type { DayActivity } from "./queries/get-daily-activity";
import { type EvaluationEntry, getEvaluationHistory } from "./queries/get-evaluation-history";
import { getRecentSessions, type RecentSession } from "./queries/get-recent-sessions";
import type { SessionSummary } from "./queries/get-session-summary";
import { getUserTotals, type UserTotals } from "./queries/get-user-totals";

export const TOKEN_TIMELINE_DAYS = 90;

export interface Dashboard extends ActivityAnalytics {
  account: Account;
  tier: Tier;
  rankings: RankResponse["rankings"];
  totals: UserTotals;
  /** Input, output (and its reasoning part), cache creation and cache read per local day, the last 90 days, oldest first. */
  tokenTimeline: DayActivity[];
  /** Over the sessions of the last year that are still kept. */
  toolUsage: SessionSummary["toolUsage"];
  codeMetrics: SessionSummary["codeMetrics"];
  sessionSummary: Pick<SessionSummary, "sessions" | "durationSeconds" | "turns">;
  recentSessions: RecentSession[];
  evaluations: EvaluationEntry[];
  generatedAt: string;
}

/**
 * Everything the signed-in user's dashboard shows, days in `timezone` (default: the account's).
 * Not cached: the owner expects to see a sync at once, and every query is indexed per user.
 */
export async function getDashboard(
  ctx: AppContext,
  userId: string,
  options: { timezone?: string } = {},
): Promise<Dashboard> {
  const account = await getAccount(ctx, userId);
  const timezone = await resolveTimeZone(ctx, [options.timezone, account.timezone]);
  const [analytics, rank, totals, recentSessions, evaluations] = await Promise.all([
    buildActivityAnalytics(ctx, userId, timezone),
    getUserRank(ctx, { id: userId, username: account.username }),
    getUserTotals(ctx, userId),
    getRecentSessions(ctx, userId),
    getEvaluationHistory(ctx, userId),
  ]);
  const { days, summary, ...shared } = analytics;
  const byDay = new Map(days.map((day) => [day.date, day]));
  const tokenTimeline = listDays(addDays(analytics.today, -(TOKEN_TIMELINE_DAYS - 1)), analytics.today).map(
    (date) =>
      byDay.get(date) ?? {
        date,
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        reasoningTokens: 0,
        sessions: 0,
      },
  );
  return {
    ...shared,
    account,
    tier: getTier(rank.rankings.allTime?.compositeScore ?? 0),
    rankings: rank.rankings,
    totals,
    tokenTimeline,
    toolUsage: summary.toolUsage,
    codeMetrics: summary.codeMetrics,
    sessionSummary: { sessions: summary.sessions, durationSeconds: summary.durationSeconds, turns: summary.turns },
    recentSessions,
    evaluations,
    generatedAt: ctx.clock.now().toISOString(),
  };
}
