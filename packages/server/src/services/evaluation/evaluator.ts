import { EVALUATION_SCORES, MAX_FEEDBACK_LENGTH } from "@modu-arena/core";
import { z } from "zod";

/** What every scorer returns for one README; the service adds the local score and the penalty floor. */
export interface EvaluatorVerdict {
  /** 0–70. */
  backendScore: number;
  /** −30–0. */
  penaltyScore: number;
  feedback: string;
  /** Per-criterion points, when the scorer reports them (the rubric always does). */
  criteria?: Record<string, number>;
}

export interface EvaluationSubject {
  projectName: string;
  readme: string;
  localScore: number;
}

/** One scorer. `provider`/`model` are what `project_evaluations.llm_provider`/`llm_model` record. */
export interface Evaluator {
  readonly provider: string;
  readonly model: string;
  evaluate(subject: EvaluationSubject): Promise<EvaluatorVerdict>;
}

/** The JSON an LLM must answer with; anything else is a malformed reply (retried, then the rubric). */
export const llmVerdictSchema = z.object({
  backendScore: z.number().int().min(0).max(EVALUATION_SCORES.maxBackend),
  penaltyScore: z.number().int().min(EVALUATION_SCORES.minPenalty).max(0),
  feedback: z
    .string()
    .trim()
    .min(1)
    .max(MAX_FEEDBACK_LENGTH * 2),
});
export type LlmVerdict = z.infer<typeof llmVerdictSchema>;

/** Why an LLM call did not give a verdict; recorded in the evaluation's details. */
export class EvaluatorFailure extends Error {
  constructor(
    readonly reason: "timeout" | "network" | "http_error" | "rate_limited" | "malformed_reply",
    message: string,
    readonly status?: number,
    /** From a 429's Retry-After, so the one retry does not come too early. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "EvaluatorFailure";
  }
}

/** Control characters out, whitespace tidied, length capped: feedback is shown on public pages. */
export function cleanFeedback(text: string): string {
  const cleaned = text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return cleaned.length > MAX_FEEDBACK_LENGTH ? `${cleaned.slice(0, MAX_FEEDBACK_LENGTH - 1)}…` : cleaned;
}
