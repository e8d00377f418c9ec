import { z } from "zod";
import { TOOL_TYPES } from "../tools";
import { LIMITS } from "./limits";

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL can store and that shows no invisible controls: no C0/C1 controls, no lone surrogates. */
const storableText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !/\p{Cc}/u.test(value), "control characters are not allowed")
    .refine((value) => !LONE_SURROGATE.test(value), "not well-formed Unicode");

const tokenCount = z.number().int().nonnegative().max(LIMITS.maxTokensPerField);
const isoDateTime = z.iso.datetime({ offset: true });
const safeKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.:\-/ ]+$/u, "tool name has characters that are not allowed")
  .refine((key) => !FORBIDDEN_KEYS.has(key), "reserved name");

export const toolUsageSchema = z
  .record(safeKey, z.number().int().nonnegative().max(LIMITS.maxToolCount))
  .refine((usage) => Object.keys(usage).length <= LIMITS.maxToolUsageEntries, {
    message: `at most ${LIMITS.maxToolUsageEntries} tool names`,
  });

export const codeMetricsSchema = z.object({
  linesAdded: z.number().int().nonnegative().max(LIMITS.maxCodeLines).default(0),
  linesDeleted: z.number().int().nonnegative().max(LIMITS.maxCodeLines).default(0),
  filesModified: z.number().int().nonnegative().max(LIMITS.maxFiles).default(0),
  filesCreated: z.number().int().nonnegative().max(LIMITS.maxFiles).default(0),
});
export type CodeMetrics = z.infer<typeof codeMetricsSchema>;

/** `POST /api/v1/sessions` body: the seed's fields plus optional activity details. Unknown keys are ignored. */
export const sessionInputSchema = z
  .object({
    toolType: z.enum(TOOL_TYPES),
    sessionId: z
      .string()
      .min(1)
      .max(LIMITS.maxSessionIdLength)
      .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces"),
    startedAt: isoDateTime.optional(),
    endedAt: isoDateTime,
    inputTokens: tokenCount,
    outputTokens: tokenCount,
    cacheCreationTokens: tokenCount.default(0),
    cacheReadTokens: tokenCount.default(0),
    /** The part of `outputTokens` the model spent reasoning (output includes it; optional, additive to v1). */
    reasoningTokens: tokenCount.optional(),
    modelName: storableText(LIMITS.maxModelNameLength).optional(),
    anonymousProjectId: storableText(LIMITS.maxProjectIdLength).optional(),
    durationSeconds: z.number().int().nonnegative().max(LIMITS.maxDurationSeconds).optional(),
    turnCount: z.number().int().nonnegative().max(LIMITS.maxTurnCount).optional(),
    toolUsage: toolUsageSchema.optional(),
    codeMetrics: codeMetricsSchema.optional(),
  })
  .superRefine((session, ctx) => {
    if (session.startedAt && Date.parse(session.startedAt) > Date.parse(session.endedAt)) {
      ctx.addIssue({ code: "custom", path: ["startedAt"], message: "startedAt is after endedAt" });
    }
    if (session.reasoningTokens !== undefined && session.reasoningTokens > session.outputTokens) {
      ctx.addIssue({
        code: "custom",
        path: ["reasoningTokens"],
        message: "reasoningTokens is part of outputTokens and cannot exceed it",
      });
    }
  });
export type SessionInput = z.input<typeof sessionInputSchema>;
export type SessionRecord = z.output<typeof sessionInputSchema>;

/** The clock-dependent rule the schema cannot know: `endedAt` at most 10 minutes ahead of `now`. */
export function findFutureTimestamp(session: Pick<SessionRecord, "endedAt">, now: Date): string | null {
  return Date.parse(session.endedAt) > now.getTime() + LIMITS.maxFutureSkewMs
    ? "endedAt is more than 10 minutes in the future"
    : null;
}

export const SESSION_OUTCOMES = ["created", "updated", "duplicate"] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

export const sessionResponseSchema = z.object({
  success: z.literal(true),
  /** Server id (uuid) of the stored session. */
  sessionId: z.string(),
  message: z.string(),
  duplicate: z.boolean().optional(),
  updated: z.boolean().optional(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** `POST /api/v1/sessions/batch`: each item is validated on its own, so one bad item does not sink the rest. */
export const batchInputSchema = z.object({
  sessions: z.array(z.unknown()).min(1).max(LIMITS.maxBatchSize),
});

export const batchItemResultSchema = z.object({
  index: z.number().int(),
  clientSessionId: z.string().nullable(),
  status: z.enum([...SESSION_OUTCOMES, "rejected"]),
  sessionId: z.string().optional(),
  error: z
    .object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() })
    .optional(),
});
export type BatchItemResult = z.infer<typeof batchItemResultSchema>;

export const batchResponseSchema = z.object({
  success: z.boolean(),
  results: z.array(batchItemResultSchema),
  summary: z.object({
    created: z.number().int(),
    updated: z.number().int(),
    duplicate: z.number().int(),
    rejected: z.number().int(),
  }),
});
export type BatchResponse = z.infer<typeof batchResponseSchema>;
