import { type Db, projectEvaluations, queryRows, userStats, users } from "@modu-arena/db";
import { eq, sql } from "drizzle-orm";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface EvaluationRow {
  userId: string;
  projectName: string;
  projectPathHash: string;
  localScore: number;
  backendScore: number;
  penaltyScore: number;
  finalScore: number;
  passed: boolean;
  feedback: string;
  llmProvider: string;
  llmModel: string;
  details: Record<string, unknown>;
  evaluatedAt: Date;
}

export interface WrittenEvaluation {
  id: string;
  cumulativeScoreAfter: number;
  /** True when this evaluation is the project's first pass (the successful project count grew). */
  firstPass: boolean;
}

/**
 * One transaction: lock the user's stats row (their evaluations are serialised, so the cumulative score
 * is exact), insert the row, bump total_evaluations, and count a project as successful on its first pass.
 */
export async function writeEvaluation(db: Db, row: EvaluationRow): Promise<WrittenEvaluation> {
  return db.transaction(async (tx) => {
    await lockStats(tx, row.userId);
    const [previous] = await queryRows<{ total: number; passed_before: boolean }>(
      tx as unknown as Db,
      sql`SELECT coalesce(sum(final_score), 0)::int AS total,
            coalesce(bool_or(passed AND project_path_hash = ${row.projectPathHash}), false) AS passed_before
          FROM project_evaluations WHERE user_id = ${row.userId}`,
    );
    const cumulativeScoreAfter = (previous?.total ?? 0) + row.finalScore;
    const firstPass = row.passed && !previous?.passed_before;
    const [inserted] = await tx
      .insert(projectEvaluations)
      .values({ ...row, cumulativeScoreAfter })
      .returning({ id: projectEvaluations.id });
    const successIncrement = firstPass ? 1 : 0;
    await tx
      .update(userStats)
      .set({
        totalEvaluations: sql`${userStats.totalEvaluations} + 1`,
        successfulProjectsCount: sql`${userStats.successfulProjectsCount} + ${successIncrement}`,
        updatedAt: row.evaluatedAt,
      })
      .where(eq(userStats.userId, row.userId));
    if (firstPass) {
      await tx
        .update(users)
        .set({ successfulProjectsCount: sql`${users.successfulProjectsCount} + 1` })
        .where(eq(users.id, row.userId));
    }
    return { id: inserted!.id, cumulativeScoreAfter, firstPass };
  });
}

async function lockStats(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`INSERT INTO user_stats (user_id) VALUES (${userId}) ON CONFLICT DO NOTHING`);
  await tx.execute(sql`SELECT 1 FROM user_stats WHERE user_id = ${userId} FOR UPDATE`);
}
