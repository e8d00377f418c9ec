import { computeCodingStyle, computeStreak, type Streak, type StyleResult, toLocalDay } from "@modu-arena/core";
import type { AppContext } from "../../context";
import { addDays, listDays } from "./days";
import { type ActivityPatterns, getActivityPatterns } from "./queries/get-activity-patterns";
import { type DayActivity, getDailyActivity } from "./queries/get-daily-activity";
import { getSessionSummary, type SessionSummary } from "./queries/get-session-summary";
import { getUsageBreakdown, type UsageBreakdown } from "./queries/get-usage-breakdown";

export const HEATMAP_DAYS = 365;
export const PATTERN_DAYS = 90;

export interface HeatmapDay {
  date: string;
  /** Input + output tokens of the local day. */
  tokens: number;
  sessions: number;
  /** 0 (none) … 4 (busiest quarter), relative to the year's busiest day. */
  level: 0 | 1 | 2 | 3 | 4;
}

export interface ActivityAnalytics extends UsageBreakdown, ActivityPatterns {
  timezone: string;
  today: string;
  /** Every day of the last year, oldest first, in the user's time zone. */
  heatmap: HeatmapDay[];
  streak: Streak;
  codingStyle: StyleResult & { linesAdded: number; linesDeleted: number };
}

/** What the public profile and the dashboard share; `days` and `summary` are kept for the dashboard's extras. */
export interface ActivityAnalyticsWithSources extends ActivityAnalytics {
  days: DayActivity[];
  summary: SessionSummary;
}

/** The year of activity of one user, days bucketed in `timezone`. */
export async function buildActivityAnalytics(
  ctx: AppContext,
  userId: string,
  timezone: string,
): Promise<ActivityAnalyticsWithSources> {
  const now = ctx.clock.now();
  const today = toLocalDay(now, timezone);
  const fromDay = addDays(today, -(HEATMAP_DAYS - 1));
  const yearAgo = new Date(now.getTime() - HEATMAP_DAYS * 86_400_000);
  // Independent reads: in parallel on a PostgreSQL pool (PGlite runs them one after another anyway).
  const [days, breakdown, patterns, summary] = await Promise.all([
    getDailyActivity(ctx, userId, { timezone, fromDay, toDay: today }),
    getUsageBreakdown(ctx, userId, { fromDay: addDays(today, -HEATMAP_DAYS), toDay: addDays(today, 1) }),
    getActivityPatterns(ctx, userId, { timezone, since: new Date(now.getTime() - PATTERN_DAYS * 86_400_000) }),
    getSessionSummary(ctx, userId, yearAgo),
  ]);
  const byDay = new Map(days.map((day) => [day.date, day]));
  const busiest = Math.max(0, ...days.map((day) => day.inputTokens + day.outputTokens));
  const heatmap = listDays(fromDay, today).map((date): HeatmapDay => {
    const day = byDay.get(date);
    const tokens = day ? day.inputTokens + day.outputTokens : 0;
    const sessions = day?.sessions ?? 0;
    return { date, tokens, sessions, level: levelOf(tokens, sessions, busiest) };
  });
  const style = computeCodingStyle({
    toolUsage: Object.fromEntries(summary.toolUsage.map((tool) => [tool.name, tool.count])),
    linesAdded: summary.codeMetrics.linesAdded,
    linesDeleted: summary.codeMetrics.linesDeleted,
  });
  return {
    timezone,
    today,
    heatmap,
    ...breakdown,
    ...patterns,
    streak: computeStreak(
      heatmap.filter((day) => day.level > 0).map((day) => day.date),
      today,
    ),
    codingStyle: {
      ...style,
      linesAdded: summary.codeMetrics.linesAdded,
      linesDeleted: summary.codeMetrics.linesDeleted,
    },
    days,
    summary,
  };
}

function levelOf(tokens: number, sessions: number, busiest: number): HeatmapDay["level"] {
  if (tokens <= 0) return sessions > 0 ? 1 : 0;
  if (busiest <= 0) return 1;
  return Math.min(4, Math.max(1, Math.ceil((tokens / busiest) * 4))) as HeatmapDay["level"];
}
