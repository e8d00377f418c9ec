import { EVALUATION_SCORES } from "@modu-arena/core";
import type { Logger } from "../../infra/logger";
import { detectInjection } from "./detect-injection";
import {
  cleanFeedback,
  type EvaluationSubject,
  type Evaluator,
  EvaluatorFailure,
  type EvaluatorVerdict,
} from "./evaluator";
import { RUBRIC_MODEL, scoreReadmeRubric } from "./score-readme-rubric";

export interface ReadmeEvaluation {
  verdict: EvaluatorVerdict;
  provider: string;
  model: string;
  attempts: number;
  /** Set when the LLM failed twice and the rubric answered instead. */
  fallbackReason?: EvaluatorFailure["reason"];
}

const MAX_ATTEMPTS = 2;
const MAX_RETRY_WAIT_MS = 5_000;

/**
 * Runs the scorer; an LLM failure (timeout, HTTP error, malformed reply) is retried once, then the rubric
 * answers and the fallback is recorded. Never throws for a scorer failure, so no evaluation ends in a 500.
 */
export async function evaluateReadme(
  evaluator: Evaluator,
  subject: EvaluationSubject,
  options: { log: Logger; retryDelayMs?: number },
): Promise<ReadmeEvaluation> {
  if (evaluator.provider === "rubric") {
    return {
      verdict: tidy(await evaluator.evaluate(subject)),
      provider: "rubric",
      model: evaluator.model,
      attempts: 1,
    };
  }
  let failure: EvaluatorFailure | undefined;
  let attempts = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    attempts = attempt;
    try {
      const verdict = await evaluator.evaluate(subject);
      return {
        verdict: guard(verdict, subject.readme),
        provider: evaluator.provider,
        model: evaluator.model,
        attempts: attempt,
      };
    } catch (error) {
      failure = error instanceof EvaluatorFailure ? error : new EvaluatorFailure("network", String(error));
      options.log.warn("evaluator attempt failed", {
        provider: evaluator.provider,
        attempt,
        reason: failure.reason,
        status: failure.status,
      });
      // A long Retry-After is not waited out: the user is waiting, the rubric answers instead.
      if (attempt < MAX_ATTEMPTS && (failure.retryAfterMs ?? 0) > MAX_RETRY_WAIT_MS) break;
      if (attempt < MAX_ATTEMPTS) await delay(Math.max(options.retryDelayMs ?? 500, failure.retryAfterMs ?? 0));
    }
  }
  return {
    verdict: tidy(scoreReadmeRubric(subject.readme)),
    provider: `rubric (fallback from ${evaluator.provider})`,
    model: RUBRIC_MODEL,
    attempts,
    fallbackReason: failure?.reason,
  };
}

/**
 * A fooled model cannot help a README that addresses the scorer: the deterministic check still applies
 * its penalty and caps the backend score at the rubric's, whatever the model answered.
 */
function guard(verdict: EvaluatorVerdict, readme: string): EvaluatorVerdict {
  const injection = detectInjection(readme);
  if (injection.names.length === 0) return tidy(verdict);
  const rubric = scoreReadmeRubric(readme);
  return tidy({
    ...verdict,
    backendScore: Math.min(verdict.backendScore, rubric.backendScore),
    penaltyScore: Math.min(verdict.penaltyScore, injection.penalty),
    feedback: `${verdict.feedback} (The README contains instructions addressed to the evaluator; they were ignored and penalised.)`,
  });
}

function tidy(verdict: EvaluatorVerdict): EvaluatorVerdict {
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));
  return {
    ...verdict,
    backendScore: clamp(verdict.backendScore, 0, EVALUATION_SCORES.maxBackend),
    penaltyScore: clamp(verdict.penaltyScore, EVALUATION_SCORES.minPenalty, 0),
    feedback: cleanFeedback(verdict.feedback) || "No feedback.",
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
