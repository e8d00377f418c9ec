import { z } from "zod";

/**
 * Project evaluation (`modu-arena submit` → `POST /api/v1/evaluate`). Only the README travels, never code.
 *
 * Scores, all integers:
 * - localScore 0–30, measured on the user's machine from the README's `## Local Validation` block
 *   (first fenced block marked ```bash title="test"```): 0 no block, 10 block present (not run, failed
 *   or timed out), 30 block present and exited 0. See `computeLocalScore`.
 * - backendScore 0–70, the server's judgement of the README (an LLM, or the deterministic rubric).
 * - penaltyScore −30–0, e.g. for instructions aimed at the scorer or placeholder text; never more
 *   negative than local + backend, so that finalScore = local + backend + penalty stays ≥ 0.
 * - finalScore 0–100; the project passes at EVALUATION_PASS_THRESHOLD or more.
 * - cumulativeScoreAfter: the sum of the user's counted final scores, this evaluation included; a
 *   project path counts once per UTC day (see countedScore).
 */
export const EVALUATION_SCORES = {
  localNoBlock: 0,
  localBlockPresent: 10,
  localPassed: 30,
  maxLocal: 30,
  maxBackend: 70,
  minPenalty: -30,
  maxFinal: 100,
} as const;

/** A final score of 60 of 100 passes: e.g. a passing local test (30) and a fair README (30 of 70). */
export const EVALUATION_PASS_THRESHOLD = 60;

/** The README is capped at 64 KiB of UTF-8; the CLI truncates (and says so) before sending. */
export const MAX_DESCRIPTION_BYTES = 65_536;
export const MAX_TEST_COMMAND_LENGTH = 4_096;
export const MAX_FEEDBACK_LENGTH = 2_000;
/** The longest local run the summary may report (the CLI's --timeout is capped at one hour). */
export const MAX_LOCAL_DURATION_MS = 3_600_000;

export const localEvaluationSummarySchema = z.object({
  /** The command taken from the README, when a block was found. */
  testCommand: z.string().min(1).max(MAX_TEST_COMMAND_LENGTH).optional(),
  /** Null when the process ended by a signal (e.g. killed on timeout). */
  exitCode: z.number().int().min(-1).max(255).nullable().optional(),
  durationMs: z.number().int().nonnegative().max(MAX_LOCAL_DURATION_MS).optional(),
  passed: z.boolean().optional(),
  timedOut: z.boolean().optional(),
});
export type LocalEvaluationSummary = z.infer<typeof localEvaluationSummarySchema>;

/** The localScore a summary implies; the server refuses a request whose localScore disagrees. */
export function computeLocalScore(summary: LocalEvaluationSummary): number {
  if (!summary.testCommand) return EVALUATION_SCORES.localNoBlock;
  const passed = summary.passed === true && summary.exitCode === 0 && summary.timedOut !== true;
  return passed ? EVALUATION_SCORES.localPassed : EVALUATION_SCORES.localBlockPresent;
}

const encoder = new TextEncoder();

export function countUtf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

export const evaluationRequestSchema = z
  .object({
    projectName: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^[^\p{Cc}]+$/u, "no control characters"),
    /** A salted hash of the project's absolute path (the same id as the sessions' anonymousProjectId). */
    projectPathHash: z
      .string()
      .min(16)
      .max(128)
      .regex(/^[A-Za-z0-9_:-]+$/, "letters, digits, _ : - only"),
    description: z
      .string()
      .refine((text) => text.trim().length > 0, "the README is empty")
      .refine((text) => countUtf8Bytes(text) <= MAX_DESCRIPTION_BYTES, `at most ${MAX_DESCRIPTION_BYTES} bytes`),
    /** True when the CLI cut the README at MAX_DESCRIPTION_BYTES. */
    descriptionTruncated: z.boolean().optional(),
    localScore: z.number().int().min(0).max(EVALUATION_SCORES.maxLocal),
    localEvaluationSummary: localEvaluationSummarySchema.default({}),
  })
  .superRefine((input, ctx) => {
    const expected = computeLocalScore(input.localEvaluationSummary);
    if (input.localScore !== expected) {
      ctx.addIssue({
        code: "custom",
        path: ["localScore"],
        message: `must be ${expected} for this localEvaluationSummary (0 no block, 10 present, 30 passed)`,
      });
    }
  });
export type EvaluationRequest = z.input<typeof evaluationRequestSchema>;
export type EvaluationInput = z.output<typeof evaluationRequestSchema>;

export const evaluationResultSchema = z.object({
  id: z.string(),
  projectName: z.string(),
  localScore: z.number().int(),
  backendScore: z.number().int(),
  penaltyScore: z.number().int(),
  finalScore: z.number().int(),
  passed: z.boolean(),
  passThreshold: z.number().int(),
  cumulativeScoreAfter: z.number().int(),
  feedback: z.string(),
  /** "openai", "anthropic", "rubric", or "rubric (fallback from openai)" when the LLM failed. */
  llmProvider: z.string(),
  llmModel: z.string(),
  evaluatedAt: z.string(),
  /**
   * The part of finalScore the server could not check: the localScore the client measured and claimed.
   * Absent from servers before it was reported.
   */
  selfReportedScore: z.number().int().optional(),
  /**
   * What this evaluation added to cumulativeScoreAfter: its finalScore for the first evaluation of the
   * project path that UTC day, else 0.
   */
  countedScore: z.number().int().optional(),
  /** True when this answer repeats an earlier one: the same signed body was sent again in the window. */
  replayed: z.boolean().optional(),
});
export type EvaluationResult = z.infer<typeof evaluationResultSchema>;

export const evaluationResponseSchema = z.object({
  success: z.literal(true),
  evaluation: evaluationResultSchema,
});
export type EvaluationResponse = z.infer<typeof evaluationResponseSchema>;

export interface LocalValidationBlock {
  /** The block's content, run as one shell script. */
  command: string;
  /** 1-based line of the opening fence in the README. */
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const TEST_INFO = /^bash\b.*\btitle\s*=\s*(?:"test"|'test'|test\b)/i;

/**
 * The README's `## Local Validation` section, first fenced block marked ```bash title="test"```; shared
 * by the CLI (which runs it) and the rubric (which rewards it), so both read the same block.
 */
export function findLocalValidationBlock(markdown: string): LocalValidationBlock | undefined {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let inSection = false;
  let fence: { marker: string; isTest: boolean; start: number; body: string[] } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (fence) {
      const closing = line.trim();
      if (closing.startsWith(fence.marker) && /^(`+|~+)$/.test(closing) && closing[0] === fence.marker[0]) {
        if (fence.isTest) return { command: fence.body.join("\n"), line: fence.start };
        fence = undefined;
      } else {
        fence.body.push(line);
      }
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      const isTest = inSection && TEST_INFO.test(opening[2]!.trim());
      fence = { marker: opening[1]!, isTest, start: index + 1, body: [] };
      continue;
    }
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading && heading[1]!.length <= 2) inSection = /^local validation$/i.test(heading[2]!.trim());
  }
  return undefined;
}
