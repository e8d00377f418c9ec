import { z } from "zod";

export const statusResponseSchema = z.object({
  status: z.enum(["operational", "degraded"]),
  version: z.string(),
  timestamp: z.string(),
  endpoints: z.object({ sessions: z.string(), rank: z.string(), status: z.string() }),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

export const verifyResponseSchema = z.object({
  valid: z.literal(true),
  username: z.string(),
  apiKeyPrefix: z.string(),
  privacyMode: z.boolean(),
  createdAt: z.string(),
});
export type VerifyResponse = z.infer<typeof verifyResponseSchema>;

export const PERIOD_TYPES = ["daily", "weekly", "monthly", "all_time"] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

const rankEntrySchema = z
  .object({ position: z.number().int(), compositeScore: z.number(), totalParticipants: z.number().int() })
  .nullable();

export const rankResponseSchema = z.object({
  username: z.string(),
  rankings: z.object({
    daily: rankEntrySchema,
    weekly: rankEntrySchema,
    monthly: rankEntrySchema,
    allTime: rankEntrySchema,
  }),
  stats: z.object({
    totalTokens: z.number(),
    totalSessions: z.number().int(),
    inputTokens: z.number(),
    outputTokens: z.number(),
  }),
  lastUpdated: z.string().nullable(),
});
export type RankResponse = z.infer<typeof rankResponseSchema>;
