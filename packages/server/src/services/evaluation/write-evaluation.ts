import { SIGNATURE_WINDOW_SECONDS } from "@modu-arena/core";
import { type Db, projectEvaluations, queryRows, userStats, users } from "@modu-arena/db";
import { and, eq, gt, sql } from "drizzle-orm";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type StoredEvaluation = typeof projectEvaluations.$inferSelect;

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
  /** SHA-256 of the signed body, to answer a replay with the first result. */
  requestSha256: string;
  /** SHA-256 of the README with case, spacing and comments dropped: one project under several hashes. */
  readmeKey: string;
  details: Record<string, unknown>;
  evaluatedAt: Date;
}

export type WrittenEvaluation =
  | {
      kind: "written";
      id: string;
      cumulativeScoreAfter: number;
      /** False when the project path was already counted that UTC day: stored, but adds nothing. */
      counted: boolean;
      /** True when this evaluation is the project's first pass (the successful project count grew). */
      firstPass: boolean;
    }
  | { kind: "replayed"; first: StoredEvaluation };

// A signature is accepted 5 minutes either side of its timestamp: a replay can come up to 10 minutes later.
const REPLAY_WINDOW_MS = 2 * SIGNATURE_WINDOW_SECONDS * 1000;

/** The user's evaluation of the same signed body within the replay window, if any. */
export async function findReplayedEvaluation(
  db: Db | Tx,
  userId: string,
  requestSha256: string,
  now: Date,
): Promise<StoredEvaluation | undefined> {
  const [first] = await db
    .select()
    .from(projectEvaluations)
    .where(
      and(
        eq(projectEvaluations.userId, userId),
        gt(projectEvaluations.evaluatedAt, new Date(now.getTime() - REPLAY_WINDOW_MS)),
        sql`${projectEvaluations.details}->>'requestSha256' = ${requestSha256}`,
      ),
    )
    .orderBy(projectEvaluations.evaluatedAt)
    .limit(1);
  return first;
}

/**
 * One transaction: lock the user's stats row (their evaluations are serialised, so the cumulative score
 * is exact and a parallel replay finds the first), insert the row, bump total_evaluations, and count a
 * project as successful on its first pass. A project path adds to the cumulative score once per UTC
 * day; a pass is a new project only when no earlier pass had its path, its name or its README.
 */
export async function writeEvaluation(db: Db, row: EvaluationRow): Promise<WrittenEvaluation> {
  return db.transaction(async (tx) => {
    await lockStats(tx, row.userId);
    const replayed = await findReplayedEvaluation(tx, row.userId, row.requestSha256, row.evaluatedAt);
    if (replayed) return { kind: "replayed", first: replayed };
    const dayStart = new Date(row.evaluatedAt);
    dayStart.setUTCHours(0, 0, 0, 0);
    const [previous] = await queryRows<{ total: number; passed_before: boolean; counted_today: boolean }>(
      tx as unknown as Db,
      sql`SELECT coalesce(sum(final_score) FILTER (WHERE ${COUNTED}), 0)::int AS total,
            coalesce(bool_or(passed AND (project_path_hash = ${row.projectPathHash}
              OR lower(project_name) = lower(${row.projectName})
              OR details->>'readmeKey' = ${row.readmeKey})), false) AS passed_before,
            coalesce(bool_or(${COUNTED} AND project_path_hash = ${row.projectPathHash}
              AND evaluated_at >= ${dayStart.toISOString()}::timestamptz), false) AS counted_today
          FROM project_evaluations WHERE user_id = ${row.userId}`,
    );
    const counted = !previous?.counted_today;
    const cumulativeScoreAfter = (previous?.total ?? 0) + (counted ? row.finalScore : 0);
    const firstPass = row.passed && !previous?.passed_before;
    const { requestSha256, readmeKey, details, ...columns } = row;
    const [inserted] = await tx
      .insert(projectEvaluations)
      .values({ ...columns, details: { ...details, requestSha256, readmeKey, counted }, cumulativeScoreAfter })
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
    return { kind: "written", id: inserted!.id, cumulativeScoreAfter, counted, firstPass };
  });
}

// Rows from before counting per day have no flag: they all counted.
const COUNTED = sql.raw(`coalesce((details->>'counted')::boolean, true)`);

async function lockStats(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`INSERT INTO user_stats (user_id) VALUES (${userId}) ON CONFLICT DO NOTHING`);
  await tx.execute(sql`SELECT 1 FROM user_stats WHERE user_id = ${userId} FOR UPDATE`);
}
