import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../context";

export interface EvaluationEntry {
  id: string;
  projectName: string;
  localScore: number;
  backendScore: number;
  penaltyScore: number;
  finalScore: number;
  cumulativeScoreAfter: number;
  passed: boolean;
  llmModel: string | null;
  feedback: string | null;
  evaluatedAt: string;
}

/** The user's project evaluations, newest first (project_evaluations (user_id, evaluated_at) index). */
export async function getEvaluationHistory(ctx: AppContext, userId: string, limit = 50): Promise<EvaluationEntry[]> {
  const rows = await queryRows<{
    id: string;
    project_name: string;
    local_score: number;
    backend_score: number;
    penalty_score: number;
    final_score: number;
    cumulative_score_after: number;
    passed: boolean;
    llm_model: string | null;
    feedback: string | null;
    evaluated_at: string | Date;
  }>(
    ctx.db,
    sql`SELECT id, project_name, local_score, backend_score, penalty_score, final_score, cumulative_score_after,
          passed, llm_model, feedback, evaluated_at
        FROM project_evaluations WHERE user_id = ${userId}
        ORDER BY evaluated_at DESC, id LIMIT ${Math.max(1, Math.min(limit, 200))}`,
  );
  return rows.map((row) => ({
    id: row.id,
    projectName: row.project_name,
    localScore: row.local_score,
    backendScore: row.backend_score,
    penaltyScore: row.penalty_score,
    finalScore: row.final_score,
    cumulativeScoreAfter: row.cumulative_score_after,
    passed: row.passed,
    llmModel: row.llm_model,
    feedback: row.feedback,
    evaluatedAt: new Date(row.evaluated_at).toISOString(),
  }));
}
