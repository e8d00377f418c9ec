import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { forgedKey, makeSession, signedPost } from "./helpers";

let test: TestContext;
let app: Hono;
let apiKey: string;
let userId: string;
const now = () => Math.floor(test.clock.now().getTime() / 1000);

async function snapshot(id = userId) {
  const [stats] = await queryRows<Record<string, number>>(
    test.ctx.db,
    sql`SELECT total_input_tokens::float8 AS input, total_output_tokens::float8 AS output,
          total_cache_creation_tokens::float8 AS cache_creation, total_cache_read_tokens::float8 AS cache_read,
          total_all_tokens::float8 AS all_tokens, total_sessions AS sessions,
          (SELECT count(*)::int FROM sessions WHERE user_id = ${id}) AS session_rows,
          (SELECT count(*)::int FROM token_usage WHERE user_id = ${id}) AS usage_rows,
          (SELECT coalesce(sum(input_tokens), 0)::float8 FROM token_usage WHERE user_id = ${id}) AS usage_input,
          (SELECT coalesce(sum(total_tokens), 0)::float8 FROM daily_user_stats WHERE user_id = ${id}) AS daily_total,
          (SELECT coalesce(sum(session_count), 0)::int FROM daily_user_stats WHERE user_id = ${id}) AS daily_sessions
        FROM user_stats WHERE user_id = ${id}`,
  );
  return stats!;
}

async function auditCount(eventType: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    test.ctx.db,
    sql`SELECT count(*)::int AS n FROM security_audit_log WHERE event_type = ${eventType}`,
  );
  return row!.n;
}

beforeAll(async () => {
  test = await createTestContext();
  app = createApiApp(test.ctx);
  const user = await createUser(test.ctx, { username: "developer" });
  apiKey = user.apiKey!;
  userId = user.id;
});
afterAll(async () => test.close());

describe("GET /api/v1/status", () => {
  it("answers the seed's shape", async () => {
    const res = await app.request("/api/v1/status");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: "operational",
      version: "1.0.0",
      endpoints: { sessions: "/api/v1/sessions" },
    });
    expect(body.timestamp).toBe(test.clock.now().toISOString());
  });
});

describe("GET /api/v1/verify", () => {
  it("confirms a valid key", async () => {
    const res = await app.request("/api/v1/verify", { headers: { "x-api-key": apiKey } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      valid: true,
      username: "developer",
      apiKeyPrefix: apiKey.slice(0, 19),
      privacyMode: false,
    });
  });

  it("refuses a missing key and an unknown key with distinct codes, auditing the unknown one", async () => {
    const missing = await app.request("/api/v1/verify");
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe("missing_api_key");
    const before = await auditCount("api_key_invalid");
    const wrong = await app.request("/api/v1/verify", { headers: { "x-api-key": forgedKey(apiKey) } });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe("invalid_api_key");
    expect(await auditCount("api_key_invalid")).toBe(before + 1);
  });
});

describe("POST /api/v1/sessions", () => {
  it("records a new session and every aggregate in one go", async () => {
    const res = await signedPost(app, "/api/v1/sessions", apiKey, makeSession(), now());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ success: true, message: "Session recorded successfully" });
    expect(body.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await snapshot()).toEqual({
      input: 15000,
      output: 8000,
      cache_creation: 2000,
      cache_read: 5000,
      all_tokens: 30000,
      sessions: 1,
      session_rows: 1,
      usage_rows: 1,
      usage_input: 15000,
      daily_total: 23000,
      daily_sessions: 1,
    });
  });

  it("treats a resend of the same totals as an idempotent no-op", async () => {
    const before = await snapshot();
    const res = await signedPost(app, "/api/v1/sessions", apiKey, makeSession(), now());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, duplicate: true });
    expect(await snapshot()).toEqual(before);
  });

  it("applies only the difference when a resumed session grows", async () => {
    const res = await signedPost(
      app,
      "/api/v1/sessions",
      apiKey,
      makeSession({
        inputTokens: 20000,
        outputTokens: 9000,
        cacheReadTokens: 7000,
        endedAt: "2026-03-11T10:00:00.000Z",
      }),
      now(),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, updated: true });
    const after = await snapshot();
    expect(after).toMatchObject({
      input: 20000,
      output: 9000,
      cache_read: 7000,
      sessions: 1,
      session_rows: 1,
      usage_rows: 2,
    });
    expect(after.usage_input).toBe(20000);
    expect(after.daily_total).toBe(29000);
    expect(after.daily_sessions).toBe(1);
  });

  it("refuses smaller totals with 409 and changes nothing", async () => {
    const before = await snapshot();
    const res = await signedPost(app, "/api/v1/sessions", apiKey, makeSession({ inputTokens: 100 }), now());
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("session_shrunk");
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    [{ toolType: "cursor" }, "toolType"],
    [{ sessionId: "" }, "sessionId"],
    [{ endedAt: "not-a-date" }, "endedAt"],
    [{ inputTokens: -5 }, "inputTokens"],
    [{ outputTokens: "800" }, "outputTokens"],
    [{ cacheReadTokens: 1e12 }, "cacheReadTokens"],
    [{ endedAt: "2026-03-11T12:10:01.000Z", startedAt: undefined }, "endedAt"],
    [{ endedAt: "2025-01-01T00:00:00.000Z", startedAt: undefined }, "endedAt"],
    [{ toolUsage: { Read: 1.5 } }, "toolUsage.Read"],
    [{ reasoningTokens: 8001 }, "reasoningTokens"],
    [{ reasoningTokens: -1 }, "reasoningTokens"],
  ])("refuses %j with 400 naming the field, storing nothing", async (patch, field) => {
    const before = await snapshot();
    const res = await signedPost(app, "/api/v1/sessions", apiKey, makeSession({ sessionId: "bad", ...patch }), now());
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(Object.keys(body.error.fields)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a body that is not JSON, or not declared as JSON", async () => {
    const notJson = await signedPost(app, "/api/v1/sessions", apiKey, null, now(), { rawBody: "{not json" });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe("invalid_json");
    const wrongType = await signedPost(app, "/api/v1/sessions", apiKey, makeSession(), now(), {
      contentType: "text/plain",
    });
    expect(wrongType.status).toBe(415);
  });

  it("refuses an oversized body with 413", async () => {
    const huge = JSON.stringify(makeSession({ modelName: "x".repeat(1_100_000) }));
    const res = await signedPost(app, "/api/v1/sessions", apiKey, null, now(), { rawBody: huge });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
  });
});

describe("request signing", () => {
  const fresh = () => makeSession({ sessionId: `sig_${Math.random().toString(36).slice(2)}` });

  it("refuses a forged signature, auditing it, and stores nothing", async () => {
    const before = await snapshot();
    const audits = await auditCount("hmac_signature_invalid");
    const res = await signedPost(app, "/api/v1/sessions", apiKey, fresh(), now(), { signature: "0".repeat(64) });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("signature_invalid");
    expect(await auditCount("hmac_signature_invalid")).toBe(audits + 1);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a signature made over another body", async () => {
    const signedBody = JSON.stringify(fresh());
    const { signRequest } = await import("@modu-arena/core");
    const res = await signedPost(app, "/api/v1/sessions", apiKey, fresh(), now(), {
      signature: signRequest(apiKey, now(), signedBody),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("signature_invalid");
  });

  it("refuses expired and future timestamps with their own code", async () => {
    const before = await snapshot();
    for (const timestamp of [now() - 301, now() + 301]) {
      const res = await signedPost(app, "/api/v1/sessions", apiKey, fresh(), now(), { timestamp });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("timestamp_expired");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a request without signature headers", async () => {
    const res = await app.request("/api/v1/sessions", {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify(fresh()),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("missing_signature");
  });

  it("makes a replayed request change nothing", async () => {
    const body = fresh();
    const first = await signedPost(app, "/api/v1/sessions", apiKey, body, now(), { timestamp: now() - 10 });
    expect(first.status).toBe(200);
    const before = await snapshot();
    const replay = await signedPost(app, "/api/v1/sessions", apiKey, body, now(), { timestamp: now() - 10 });
    expect((await replay.json()).duplicate).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});

describe("POST /api/v1/sessions/batch", () => {
  it("stores the good items and reports each bad one by index", async () => {
    const other = await createUser(test.ctx, { username: "batcher" });
    const sessions = [
      makeSession({ sessionId: "b1", inputTokens: 100, outputTokens: 50, cacheCreationTokens: 0, cacheReadTokens: 0 }),
      makeSession({ sessionId: "b2", inputTokens: -1 }),
      makeSession({
        sessionId: "b3",
        toolType: "codex",
        inputTokens: 200,
        outputTokens: 20,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
      }),
      makeSession({ sessionId: "b1", inputTokens: 100, outputTokens: 50, cacheCreationTokens: 0, cacheReadTokens: 0 }),
      { sessionId: "b5" },
    ];
    const res = await signedPost(app, "/api/v1/sessions/batch", other.apiKey!, { sessions }, now());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.summary).toEqual({ created: 2, updated: 0, duplicate: 1, rejected: 2 });
    expect(body.results.map((result: { status: string }) => result.status)).toEqual([
      "created",
      "rejected",
      "created",
      "duplicate",
      "rejected",
    ]);
    expect(body.results[1].error.fields).toHaveProperty("inputTokens");
    expect(body.results[4].error.fields).toHaveProperty("toolType");
    expect(await snapshot(other.id)).toMatchObject({
      input: 300,
      output: 70,
      sessions: 2,
      session_rows: 2,
      daily_total: 370,
    });
  });

  it("folds a later, larger copy of a session in the same batch into one write", async () => {
    const other = await createUser(test.ctx, { username: "folder" });
    const zero = { cacheCreationTokens: 0, cacheReadTokens: 0 };
    const sessions = [
      makeSession({ sessionId: "f1", inputTokens: 10, outputTokens: 1, ...zero }),
      makeSession({ sessionId: "f1", inputTokens: 30, outputTokens: 3, ...zero }),
    ];
    const res = await signedPost(app, "/api/v1/sessions/batch", other.apiKey!, { sessions }, now());
    const body = await res.json();
    expect(body.results.map((result: { status: string }) => result.status)).toEqual(["created", "created"]);
    expect(body.results[0].sessionId).toBe(body.results[1].sessionId);
    expect(await snapshot(other.id)).toMatchObject({
      input: 30,
      output: 3,
      sessions: 1,
      usage_rows: 1,
      daily_sessions: 1,
    });
  });

  it("refuses an empty or oversized batch", async () => {
    const empty = await signedPost(app, "/api/v1/sessions/batch", apiKey, { sessions: [] }, now());
    expect(empty.status).toBe(400);
    const many = Array.from({ length: 101 }, (_, index) => makeSession({ sessionId: `m${index}` }));
    const tooMany = await signedPost(app, "/api/v1/sessions/batch", apiKey, { sessions: many }, now());
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.fields).toHaveProperty("sessions");
  });
});

describe("anomaly detection", () => {
  it("flags, but accepts, a session over 10x the user's average", async () => {
    const user = await createUser(test.ctx, { username: "spiky" });
    const zero = { cacheCreationTokens: 0, cacheReadTokens: 0 };
    for (const id of ["n1", "n2", "n3"]) {
      await signedPost(
        app,
        "/api/v1/sessions",
        user.apiKey!,
        makeSession({ sessionId: id, inputTokens: 900, outputTokens: 100, ...zero }),
        now(),
      );
    }
    const before = await auditCount("suspicious_activity");
    const res = await signedPost(
      app,
      "/api/v1/sessions",
      user.apiKey!,
      makeSession({ sessionId: "big", inputTokens: 10_001, outputTokens: 0, ...zero }),
      now(),
    );
    expect(res.status).toBe(200);
    expect(await auditCount("suspicious_activity")).toBe(before + 1);
  });
});
