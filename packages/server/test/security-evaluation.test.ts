import { signRequest } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { GOOD_README } from "./evaluation-fixtures";
import { signedPost } from "./helpers";

let test: TestContext;
let app: Hono;
const now = () => Math.floor(test.clock.now().getTime() / 1000);

beforeAll(async () => {
  test = await createTestContext({ env: { EVALUATIONS_PER_DAY: "20" } });
  app = createApiApp(test.ctx);
});
afterAll(async () => test.close());

const request = (overrides: Record<string, unknown> = {}) => ({
  projectName: "tiny-kv",
  projectPathHash: `proj_${"a".repeat(40)}`,
  description: GOOD_README,
  localScore: 30,
  localEvaluationSummary: { testCommand: "npm test", exitCode: 0, durationMs: 1234, passed: true, timedOut: false },
  ...overrides,
});

async function counters(userId: string) {
  const [row] = await queryRows<{ total: number; successful: number; rows: number }>(
    test.ctx.db,
    sql`SELECT s.total_evaluations AS total, s.successful_projects_count AS successful,
          (SELECT count(*)::int FROM project_evaluations WHERE user_id = s.user_id) AS rows
        FROM user_stats s WHERE s.user_id = ${userId}`,
  );
  return row!;
}

describe("evaluation replays", () => {
  it("the same signed request sent three times records one evaluation and answers the first result", async () => {
    const user = await createUser(test.ctx, { username: "replayer" });
    const body = JSON.stringify(request());
    const timestamp = now();
    const send = () =>
      app.request("/api/v1/evaluate", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-key": user.apiKey!,
          "x-timestamp": String(timestamp),
          "x-signature": signRequest(user.apiKey!, timestamp, body),
        },
        body,
      });
    const first = await send();
    expect(first.status).toBe(201);
    const original = (await first.json()).evaluation;
    expect(original).toMatchObject({ cumulativeScoreAfter: 98, replayed: false });
    for (const _ of [1, 2]) {
      test.clock.advance(30_000);
      const again = await send();
      expect(again.status).toBe(200);
      expect((await again.json()).evaluation).toEqual({ ...original, replayed: true });
    }
    // Re-signed with a new timestamp, the same body is still a replay inside the window.
    test.clock.advance(60_000);
    const resigned = await signedPost(app, "/api/v1/evaluate", user.apiKey!, request(), now());
    expect(resigned.status).toBe(200);
    expect((await resigned.json()).evaluation.id).toBe(original.id);
    expect(await counters(user.id)).toEqual({ total: 1, successful: 1, rows: 1 });
  });
});

describe("self-reported scores", () => {
  it("are marked in the answer and the stored record, and a project path counts once per UTC day", async () => {
    const user = await createUser(test.ctx, { username: "self-certifier" });
    const first = await (await signedPost(app, "/api/v1/evaluate", user.apiKey!, request(), now())).json();
    expect(first.evaluation).toMatchObject({ selfReportedScore: 30, countedScore: 98, cumulativeScoreAfter: 98 });
    const [stored] = await queryRows<{ details: Record<string, unknown> }>(
      test.ctx.db,
      sql`SELECT details FROM project_evaluations WHERE id = ${first.evaluation.id}`,
    );
    expect(stored!.details.selfReported).toEqual({
      localScore: 30,
      localEvaluationSummary: request().localEvaluationSummary,
    });
    test.clock.advance(11 * 60_000);
    const sameDay = await signedPost(app, "/api/v1/evaluate", user.apiKey!, request({ projectName: "Tiny KV" }), now());
    expect(sameDay.status).toBe(201);
    expect((await sameDay.json()).evaluation).toMatchObject({ countedScore: 0, cumulativeScoreAfter: 98 });
    test.clock.advance(24 * 3_600_000);
    const nextDay = await signedPost(app, "/api/v1/evaluate", user.apiKey!, request(), now());
    expect((await nextDay.json()).evaluation).toMatchObject({ countedScore: 98, cumulativeScoreAfter: 196 });
  });

  it("successful projects count distinct projects, not path hashes a client mints", async () => {
    const user = await createUser(test.ctx, { username: "hash-minter" });
    const submit = (overrides: Record<string, unknown>) =>
      signedPost(app, "/api/v1/evaluate", user.apiKey!, request(overrides), now());
    expect((await submit({})).status).toBe(201);
    // The same README under fresh hashes and names, trivially re-spaced or commented: the same project.
    for (let n = 0; n < 3; n++) {
      const minted = await submit({
        projectPathHash: `proj_minted_${String(n).repeat(30)}`,
        projectName: `copy-${n}`,
        description: `${GOOD_README.toUpperCase()}\n\n<!-- ${n} -->\n`,
      });
      expect((await minted.json()).evaluation.passed).toBe(true);
    }
    // The same name under a fresh hash, with another README: the same project too.
    await submit({ projectPathHash: `proj_${"c".repeat(40)}`, description: `${GOOD_README}\nMore notes.\n` });
    expect((await counters(user.id)).successful).toBe(1);
    const other = await submit({
      projectPathHash: `proj_${"d".repeat(40)}`,
      projectName: "another-project",
      description: GOOD_README.replaceAll("tiny-kv", "other-kv").concat("\nA second project.\n"),
    });
    expect((await other.json()).evaluation.passed).toBe(true);
    expect(await counters(user.id)).toMatchObject({ total: 6, successful: 2 });
  });
});
