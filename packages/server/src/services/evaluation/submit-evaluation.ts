import { createHash } from "node:crypto";
import {
  countUtf8Bytes,
  EVALUATION_PASS_THRESHOLD,
  type EvaluationInput,
  type EvaluationResult,
} from "@modu-arena/core";
import type { AppContext, RequestOrigin } from "../../context";
import { recordAuditEvent } from "../audit/record-audit-event";
import { evaluateReadme } from "./evaluate-readme";
import { toEvaluationResult } from "./evaluation-result";
import type { Evaluator } from "./evaluator";
import { selectEvaluator } from "./select-evaluator";
import { findReplayedEvaluation, writeEvaluation } from "./write-evaluation";

export interface SubmitEvaluationOptions {
  /** Tests inject a scorer; otherwise the configured one is used. */
  evaluator?: Evaluator;
  retryDelayMs?: number;
}

/**
 * Scores a README (outside the transaction: an LLM may take seconds), then records the evaluation and
 * the user's counters in one transaction and audits it. The README itself is neither stored nor logged.
 * The same signed body again within the signature window gets the first answer, marked replayed.
 */
export async function submitEvaluation(
  ctx: AppContext,
  input: { userId: string; request: EvaluationInput; requestSha256: string; origin: RequestOrigin },
  options: SubmitEvaluationOptions = {},
): Promise<EvaluationResult> {
  const { request } = input;
  const replayed = await findReplayedEvaluation(ctx.db, input.userId, input.requestSha256, ctx.clock.now());
  if (replayed) return toEvaluationResult(replayed, true);
  const evaluator = options.evaluator ?? selectEvaluator(ctx.config.evaluation);
  const scored = await evaluateReadme(
    evaluator,
    { projectName: request.projectName, readme: request.description, localScore: request.localScore },
    { log: ctx.log, retryDelayMs: options.retryDelayMs },
  );
  const { verdict } = scored;
  // The penalty never takes the final score below zero, so final = local + backend + penalty holds.
  const penaltyScore = Math.max(verdict.penaltyScore, -(request.localScore + verdict.backendScore));
  const finalScore = request.localScore + verdict.backendScore + penaltyScore;
  const passed = finalScore >= EVALUATION_PASS_THRESHOLD;
  const evaluatedAt = ctx.clock.now();
  const written = await writeEvaluation(ctx.db, {
    userId: input.userId,
    projectName: request.projectName,
    projectPathHash: request.projectPathHash,
    localScore: request.localScore,
    backendScore: verdict.backendScore,
    penaltyScore,
    finalScore,
    passed,
    feedback: verdict.feedback,
    llmProvider: scored.provider.slice(0, 64),
    llmModel: scored.model.slice(0, 128),
    requestSha256: input.requestSha256,
    readmeKey: readmeKeyOf(request.description),
    details: {
      criteria: verdict.criteria ?? null,
      attempts: scored.attempts,
      fallbackReason: scored.fallbackReason ?? null,
      readmeBytes: countUtf8Bytes(request.description),
      readmeSha256: createHash("sha256").update(request.description).digest("hex"),
      descriptionTruncated: request.descriptionTruncated ?? false,
      localEvaluationSummary: request.localEvaluationSummary,
      // What the server took on the client's word: the local test run and the score it implies.
      selfReported: { localScore: request.localScore, localEvaluationSummary: request.localEvaluationSummary },
      passThreshold: EVALUATION_PASS_THRESHOLD,
    },
    evaluatedAt,
  });
  if (written.kind === "replayed") return toEvaluationResult(written.first, true);
  await recordAuditEvent(ctx, {
    userId: input.userId,
    eventType: "evaluation_submitted",
    origin: input.origin,
    details: {
      evaluationId: written.id,
      finalScore,
      passed,
      firstPass: written.firstPass,
      counted: written.counted,
      provider: scored.provider,
      fallbackReason: scored.fallbackReason ?? null,
    },
  });
  return {
    id: written.id,
    projectName: request.projectName,
    localScore: request.localScore,
    backendScore: verdict.backendScore,
    penaltyScore,
    finalScore,
    passed,
    passThreshold: EVALUATION_PASS_THRESHOLD,
    cumulativeScoreAfter: written.cumulativeScoreAfter,
    feedback: verdict.feedback,
    llmProvider: scored.provider,
    llmModel: scored.model,
    evaluatedAt: evaluatedAt.toISOString(),
    selfReportedScore: request.localScore,
    countedScore: written.counted ? finalScore : 0,
    replayed: false,
  };
}

/** The README with case, spacing and HTML comments dropped, hashed: trivial edits make no new project. */
function readmeKeyOf(readme: string): string {
  const normalized = readme
    .replace(/<!--[\s\S]*?-->/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
  return createHash("sha256").update(normalized).digest("hex");
}
