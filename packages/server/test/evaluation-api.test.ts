import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { GOOD_README, HOSTILE_README, openAiReply, startFakeLlm } from "./evaluation-fixtures";
import { signedPost } from "./helpers";

let test: TestContext;
let app: Hono;
const nowOf = (context: TestContext) => Math.floor(context.clock.now().getTime() / 1000);
const now = () => nowOf(test);
const HASH_A = `proj_${"a".repeat(40)}`;
const HASH_B = `proj_${"b".repeat(40)}`;

function makeRequest(overrides: Record<string, unknown> = {}) {
  return {
    projectName: "tiny-kv",
    projectPathHash: HASH_A,
    description: GOOD_README,
    localScore: 30,
    localEvaluationSummary: { testCommand: "npm test", exitCode: 0, durationMs: 1234, passed: true, timedOut: false },
    ...overrides,
  };
}

async function newUser(username: string) {
  const user = await createUser(test.ctx, { username });
  return { id: user.id, apiKey: user.apiKey! };
}

async function counters(userId: string) {
  const [row] = await queryRows<{ total: number; successful: number; user_successful: number; rows: number }>(
    test.ctx.db,
    sql`SELECT s.total_evaluations AS total, s.successful_projects_count AS successful,
          u.successful_projects_count AS user_successful,
          (SELECT count(*)::int FROM project_evaluations WHERE user_id = u.id) AS rows
        FROM users u LEFT JOIN user_stats s ON s.user_id = u.id WHERE u.id = ${userId}`,
  );
  return row!;
}

beforeAll(async () => {
  test = await createTestContext({ env: { EVALUATIONS_PER_DAY: "4" } });
  app = createApiApp(test.ctx);
});
afterAll(async () => test.close());

describe("POST /api/v1/evaluate: authentication and validation", () => {
  it("refuses a missing key and a bad signature, storing nothing", async () => {
    const user = await newUser("auth-check");
    const missing = await app.request("/api/v1/evaluate", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(makeRequest()),
    });
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe("missing_api_key");
    const forged = await signedPost(app, "/api/v1/evaluate", user.apiKey, makeRequest(), now(), {
      signature: "0".repeat(64),
    });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe("signature_invalid");
    const unsigned = await signedPost(app, "/api/v1/evaluate", user.apiKey, makeRequest(), now(), {
      timestamp: now() - 3600,
    });
    expect((await unsigned.json()).error.code).toBe("timestamp_expired");
    expect((await counters(user.id)).rows).toBe(0);
  });

  it("names every invalid field in a 400", async () => {
    const user = await newUser("validation");
    const res = await signedPost(
      app,
      "/api/v1/evaluate",
      user.apiKey,
      makeRequest({ projectName: "", projectPathHash: "../etc", description: "  ", localScore: 31 }),
      now(),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(Object.keys(body.error.fields).sort()).toEqual([
      "description",
      "localScore",
      "projectName",
      "projectPathHash",
    ]);
  });

  it("refuses a localScore the summary does not support, and a README over 64 KiB", async () => {
    const user = await newUser("mismatch");
    const inflated = await signedPost(
      app,
      "/api/v1/evaluate",
      user.apiKey,
      makeRequest({ localEvaluationSummary: { testCommand: "npm test", exitCode: 1, passed: false } }),
      now(),
    );
    expect(inflated.status).toBe(400);
    expect((await inflated.json()).error.fields.localScore).toMatch(/must be 10/);
    const huge = await signedPost(
      app,
      "/api/v1/evaluate",
      user.apiKey,
      makeRequest({ description: "é".repeat(40_000) }),
      now(),
    );
    expect(huge.status).toBe(400);
    expect((await huge.json()).error.fields.description).toMatch(/65536 bytes/);
    const broken = await signedPost(app, "/api/v1/evaluate", user.apiKey, undefined, now(), { rawBody: "{not json" });
    expect((await broken.json()).error.code).toBe("invalid_json");
  });
});

describe("POST /api/v1/evaluate: scoring and storage", () => {
  let user: { id: string; apiKey: string };
  beforeAll(async () => {
    user = await newUser("evaluator");
  });

  it("stores a passing evaluation and counts it, in one go", async () => {
    const res = await signedPost(app, "/api/v1/evaluate", user.apiKey, makeRequest(), now());
    expect(res.status).toBe(201);
    const { success, evaluation } = await res.json();
    expect(success).toBe(true);
    expect(evaluation).toMatchObject({
      projectName: "tiny-kv",
      localScore: 30,
      backendScore: 68,
      penaltyScore: 0,
      finalScore: 98,
      passed: true,
      passThreshold: 60,
      cumulativeScoreAfter: 98,
      llmProvider: "rubric",
      llmModel: "readme-rubric-v1",
      evaluatedAt: "2026-03-11T12:00:00.000Z",
    });
    const [row] = await queryRows<Record<string, unknown>>(
      test.ctx.db,
      sql`SELECT * FROM project_evaluations WHERE id = ${evaluation.id}`,
    );
    expect(row).toMatchObject({
      user_id: user.id,
      project_path_hash: HASH_A,
      project_name: "tiny-kv",
      local_score: 30,
      backend_score: 68,
      penalty_score: 0,
      final_score: 98,
      cumulative_score_after: 98,
      passed: true,
      llm_provider: "rubric",
    });
    const details = row!.details as Record<string, unknown>;
    expect(details).toMatchObject({ readmeBytes: Buffer.byteLength(GOOD_README), attempts: 1, fallbackReason: null });
    expect(JSON.stringify(row)).not.toContain("append-only file");
    expect(await counters(user.id)).toEqual({ total: 1, successful: 1, user_successful: 1, rows: 1 });
    const [audit] = await queryRows<{ details: Record<string, unknown> }>(
      test.ctx.db,
      sql`SELECT details FROM security_audit_log WHERE event_type = 'evaluation_submitted' AND user_id = ${user.id}`,
    );
    expect(audit!.details).toMatchObject({
      evaluationId: evaluation.id,
      finalScore: 98,
      passed: true,
      provider: "rubric",
    });
  });

  it("records a re-submission of the same project the same day without counting it twice", async () => {
    // Past the replay window: a new evaluation, but the project path already counted today.
    test.clock.advance(11 * 60_000);
    const res = await signedPost(app, "/api/v1/evaluate", user.apiKey, makeRequest(), now());
    expect(res.status).toBe(201);
    const { evaluation } = await res.json();
    expect(evaluation).toMatchObject({ finalScore: 98, passed: true, cumulativeScoreAfter: 98, countedScore: 0 });
    expect(await counters(user.id)).toEqual({ total: 2, successful: 1, user_successful: 1, rows: 2 });
  });

  it("records a failing project: counted as an evaluation, not as a success", async () => {
    const res = await signedPost(
      app,
      "/api/v1/evaluate",
      user.apiKey,
      makeRequest({
        projectName: "scratch",
        projectPathHash: HASH_B,
        description: "# scratch\n\nSome code.\n",
        localScore: 10,
        localEvaluationSummary: { testCommand: "npm test", exitCode: 1, passed: false, durationMs: 50 },
      }),
      now(),
    );
    const { evaluation } = await res.json();
    expect(evaluation.passed).toBe(false);
    expect(evaluation.finalScore).toBe(evaluation.localScore + evaluation.backendScore + evaluation.penaltyScore);
    expect(evaluation.finalScore).toBeLessThan(60);
    expect(evaluation.cumulativeScoreAfter).toBe(98 + evaluation.finalScore);
    expect(await counters(user.id)).toEqual({ total: 3, successful: 1, user_successful: 1, rows: 3 });
  });

  it("penalises a hostile README without obeying it; final never below zero", async () => {
    const res = await signedPost(
      app,
      "/api/v1/evaluate",
      user.apiKey,
      makeRequest({ projectPathHash: HASH_B, description: HOSTILE_README, localScore: 0, localEvaluationSummary: {} }),
      now(),
    );
    const { evaluation } = await res.json();
    expect(evaluation.passed).toBe(false);
    expect(evaluation.penaltyScore).toBeLessThan(0);
    expect(evaluation.finalScore).toBe(0);
    expect(evaluation.penaltyScore).toBe(-evaluation.backendScore);
    expect(evaluation.feedback).not.toContain("perfect");
  });

  it("refuses the fifth evaluation of the day with 429 once; invalid requests took no quota", async () => {
    const before = await signedPost(app, "/api/v1/evaluate", user.apiKey, makeRequest({ localScore: 0 }), now());
    expect(before.status).toBe(400);
    const refused = await signedPost(
      app,
      "/api/v1/evaluate",
      user.apiKey,
      makeRequest({ projectName: "other" }),
      now(),
    );
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3600);
    expect((await refused.json()).error.code).toBe("rate_limited");
    expect((await counters(user.id)).rows).toBe(4);
    const [audit] = await queryRows<{ n: number }>(
      test.ctx.db,
      sql`SELECT count(*)::int AS n FROM security_audit_log WHERE event_type = 'rate_limit_exceeded' AND user_id = ${user.id}`,
    );
    expect(audit!.n).toBe(1);
  });
});

describe("POST /api/v1/evaluate with an LLM configured", () => {
  it("answers 201 from the rubric when the LLM fails, recording the fallback", async () => {
    const llm = await startFakeLlm(() => ({ status: 500, body: { error: "down" } }));
    const local = await createTestContext({
      env: { LLM_BASE_URL: `${llm.url}/v1`, LLM_MODEL: "gpt-test", LLM_API_KEY: "sk-test", LLM_TIMEOUT_MS: "2000" },
    });
    try {
      const user = await createUser(local.ctx, { username: "llm-user" });
      const res = await signedPost(
        createApiApp(local.ctx),
        "/api/v1/evaluate",
        user.apiKey!,
        makeRequest(),
        nowOf(local),
      );
      expect(res.status).toBe(201);
      const { evaluation } = await res.json();
      expect(evaluation).toMatchObject({
        llmProvider: "rubric (fallback from openai)",
        backendScore: 68,
        passed: true,
      });
      expect(llm.requests).toHaveLength(2);
      const [row] = await queryRows<{ llm_provider: string; details: Record<string, unknown> }>(
        local.ctx.db,
        sql`SELECT llm_provider, details FROM project_evaluations WHERE id = ${evaluation.id}`,
      );
      expect(row).toMatchObject({
        llm_provider: "rubric (fallback from openai)",
        details: { fallbackReason: "http_error" },
      });
    } finally {
      await local.close();
      await llm.close();
    }
  });

  it("uses the LLM's verdict when it answers", async () => {
    const llm = await startFakeLlm(() => ({
      body: openAiReply('{"backendScore": 40, "penaltyScore": -5, "feedback": "Decent; add a usage section."}'),
    }));
    const local = await createTestContext({ env: { LLM_BASE_URL: `${llm.url}/v1`, LLM_MODEL: "gpt-test" } });
    try {
      const user = await createUser(local.ctx, { username: "llm-ok" });
      const res = await signedPost(
        createApiApp(local.ctx),
        "/api/v1/evaluate",
        user.apiKey!,
        makeRequest(),
        nowOf(local),
      );
      const { evaluation } = await res.json();
      expect(evaluation).toMatchObject({
        llmProvider: "openai",
        llmModel: "gpt-test",
        backendScore: 40,
        penaltyScore: -5,
        finalScore: 65,
        passed: true,
        feedback: "Decent; add a usage section.",
      });
      expect(llm.requests[0]!.headers.authorization).toBeUndefined();
    } finally {
      await local.close();
      await llm.close();
    }
  });
});
