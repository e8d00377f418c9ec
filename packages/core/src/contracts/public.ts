import { z } from "zod";
import { PERIOD_TYPES } from "./v1";

/** Columns the public leaderboard can be ordered by, each descending; `score` is the ranking itself. */
export const LEADERBOARD_SORTS = ["score", "tokens", "sessions", "efficiency", "streak"] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

export const leaderboardQuerySchema = z.object({
  period: z.enum(PERIOD_TYPES).default("weekly"),
  /** Absent: the ranking order (`score`), as for clients of the seed's contract. */
  sort: z.enum(LEADERBOARD_SORTS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type LeaderboardQuery = z.infer<typeof leaderboardQuerySchema>;

export const leaderboardEntrySchema = z.object({
  rank: z.number().int(),
  userId: z.string().nullable(),
  username: z.string(),
  avatarUrl: z.string().nullable(),
  totalTokens: z.number(),
  compositeScore: z.number(),
  sessionCount: z.number().int(),
  efficiencyScore: z.number(),
  streakDays: z.number().int(),
  tier: z.string(),
  /** Projects that passed evaluation (0 for privacy-mode users, whose details are not public). */
  successfulProjects: z.number().int(),
  /** Input + output tokens per tool over all time ({} for privacy-mode users). */
  toolMix: z.record(z.string(), z.number()),
  isPrivate: z.boolean(),
});
export type LeaderboardEntry = z.infer<typeof leaderboardEntrySchema>;

export const leaderboardResponseSchema = z.object({
  data: z.array(leaderboardEntrySchema),
  pagination: z.object({
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
    totalPages: z.number().int(),
    hasMore: z.boolean(),
  }),
  period: z.enum(PERIOD_TYPES),
  periodStart: z.string().nullable(),
  sort: z.enum(LEADERBOARD_SORTS),
});
export type LeaderboardResponse = z.infer<typeof leaderboardResponseSchema>;

/** The leaderboard header's numbers: aggregates only, no user named. */
export const globalStatsSchema = z.object({
  users: z.number().int(),
  /** Users with activity on `day`. */
  activeUsersToday: z.number().int(),
  /** All-time input + output tokens of every user. */
  totalTokens: z.number(),
  totalSessions: z.number(),
  sessionsToday: z.number(),
  tokensToday: z.number(),
  /** The UTC day "today" refers to (YYYY-MM-DD). */
  day: z.string(),
});
export type GlobalStats = z.infer<typeof globalStatsSchema>;
