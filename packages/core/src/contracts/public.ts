import { z } from "zod";
import { PERIOD_TYPES } from "./v1";

export const leaderboardQuerySchema = z.object({
  period: z.enum(PERIOD_TYPES).default("weekly"),
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
});
export type LeaderboardResponse = z.infer<typeof leaderboardResponseSchema>;
