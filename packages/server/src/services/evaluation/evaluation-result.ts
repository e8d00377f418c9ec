import { EVALUATION_PASS_THRESHOLD, type EvaluationResult } from "@modu-arena/core";
import type { StoredEvaluation } from "./write-evaluation";

/** A stored evaluation as the API answers it (a replay gets the first answer again, marked replayed). */
export function toEvaluationResult(row: StoredEvaluation, replayed: boolean): EvaluationResult {
  const details = row.details ?? {};
  const counted = details.counted !== false;
  return {
    id: row.id,
    projectName: row.projectName,
    localScore: row.localScore,
    backendScore: row.backendScore,
    penaltyScore: row.penaltyScore,
    finalScore: row.finalScore,
    passed: row.passed,
    passThreshold: typeof details.passThreshold === "number" ? details.passThreshold : EVALUATION_PASS_THRESHOLD,
    cumulativeScoreAfter: row.cumulativeScoreAfter,
    feedback: row.feedback ?? "",
    llmProvider: row.llmProvider ?? "",
    llmModel: row.llmModel ?? "",
    evaluatedAt: row.evaluatedAt.toISOString(),
    selfReportedScore: row.localScore,
    countedScore: counted ? row.finalScore : 0,
    replayed,
  };
}
