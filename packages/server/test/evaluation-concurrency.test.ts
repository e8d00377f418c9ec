import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { GOOD_README } from "./evaluation-fixtures";
import { signedPost } from "./helpers";

let test: TestContext;
beforeAll(async () => {
  test = await createTestContext({ env: { EVALUATIONS_PER_DAY: "50" } });
});
afterAll(async () => test.close());

describe("concurrent evaluations of one user", () => {
  it("serialise: cumulative scores form one running sum and every counter is exact", async () => {
    const user = await createUser(test.ctx, { username: "parallel" });
    const app = createApiApp(test.ctx);
    const now = Math.floor(test.clock.now().getTime() / 1000);
    const requests = Array.from({ length: 12 }, (_, index) =>
      signedPost(
        app,
        "/api/v1/evaluate",
        user.apiKey!,
        {
          projectName: `p${index % 3}`,
          projectPathHash: `proj_${String(index % 3).repeat(40)}`,
          // Distinct bodies: an identical one would be a replay, answered with the first result.
          description: index % 2 === 0 ? `${GOOD_README}\nBuild ${index}.\n` : `# small\n\nTiny ${index}.\n`,
          localScore: 30,
          localEvaluationSummary: { testCommand: "npm test", exitCode: 0, passed: true },
        },
        now,
      ),
    );
    const answers = await Promise.all(requests);
    expect(answers.map((res) => res.status)).toEqual(Array(12).fill(201));
    const evaluations = await Promise.all(answers.map(async (res) => (await res.json()).evaluation));
    // Each project path counts once a day: three counted evaluations form the running sum.
    const counted = evaluations.filter((evaluation) => evaluation.countedScore > 0 || evaluation.finalScore === 0);
    expect(new Set(counted.map((evaluation) => evaluation.projectName))).toEqual(new Set(["p0", "p1", "p2"]));
    expect(counted).toHaveLength(3);
    const ordered = [...counted].sort((a, b) => a.cumulativeScoreAfter - b.cumulativeScoreAfter);
    let running = 0;
    for (const evaluation of ordered) {
      running += evaluation.finalScore;
      expect(evaluation.cumulativeScoreAfter).toBe(running);
    }
    for (const evaluation of evaluations) expect(evaluation.cumulativeScoreAfter).toBeLessThanOrEqual(running);
    const [stats] = await queryRows<{ total: number; successful: number; user_successful: number }>(
      test.ctx.db,
      sql`SELECT s.total_evaluations AS total, s.successful_projects_count AS successful,
            u.successful_projects_count AS user_successful
          FROM user_stats s JOIN users u ON u.id = s.user_id WHERE s.user_id = ${user.id}`,
    );
    // Projects p0, p1 and p2 each got a passing (good README) evaluation: three successful projects.
    expect(stats).toEqual({ total: 12, successful: 3, user_successful: 3 });
  });
});
