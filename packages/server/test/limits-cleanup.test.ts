import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { cleanupData } from "../src/services/cleanup/cleanup-data";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession, signedPost } from "./helpers";

let test: TestContext;
beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_API_PER_MIN: "3", RATE_LIMIT_AUTH_PER_MIN: "2" } });
});
afterAll(async () => test.close());

async function count(table: string, userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    test.ctx.db,
    sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE user_id = ${userId}`,
  );
  return row!.n;
}

async function totals(userId: string) {
  const [row] = await queryRows<{ input: number; output: number; sessions: number }>(
    test.ctx.db,
    sql`SELECT total_input_tokens::float8 AS input, total_output_tokens::float8 AS output, total_sessions AS sessions
        FROM user_stats WHERE user_id = ${userId}`,
  );
  return row!;
}

describe("rate limits", () => {
  it("answer 429 with Retry-After past the per-user limit, auditing it once", async () => {
    const app = createApiApp(test.ctx);
    const user = await createUser(test.ctx, { username: "limited" });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await app.request("/api/v1/verify", { headers: { "x-api-key": user.apiKey! } });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        expect((await res.json()).error.code).toBe("rate_limited");
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    const [audit] = await queryRows<{ n: number }>(
      test.ctx.db,
      sql`SELECT count(*)::int AS n FROM security_audit_log WHERE user_id = ${user.id} AND event_type = 'rate_limit_exceeded'`,
    );
    expect(audit!.n).toBe(1);
  });

  it("slow down key guessing from one address", async () => {
    const app = createApiApp(test.ctx);
    const guess = () =>
      app.request("/api/v1/verify", {
        headers: { "x-api-key": "modu_arena_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" },
      });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await guess()).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
  });
});

describe("concurrent submissions", () => {
  it("create a session exactly once when the same one arrives many times at once", async () => {
    const user = await createUser(test.ctx, { username: "racer" });
    const session = makeSession({
      sessionId: "race-1",
      inputTokens: 1000,
      outputTokens: 100,
      cacheCreationTokens: 0,
      cacheReadTokens: 0,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => ingestSessions(test.ctx, user.id, [session], {}, "single")),
    );
    const statuses = outcomes.map((outcome) => outcome.results[0]!.status).sort();
    expect(statuses.filter((status) => status === "created")).toHaveLength(1);
    expect(statuses.filter((status) => status === "duplicate")).toHaveLength(11);
    expect(await totals(user.id)).toEqual({ input: 1000, output: 100, sessions: 1 });
  });

  it("keep the largest totals of a growing session sent out of order, never double counting", async () => {
    const user = await createUser(test.ctx, { username: "grower" });
    const sends = Array.from({ length: 10 }, (_, index) =>
      makeSession({
        sessionId: "grow-1",
        inputTokens: (index + 1) * 100,
        outputTokens: (index + 1) * 10,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
      }),
    ).reverse();
    await Promise.all(sends.map((session) => ingestSessions(test.ctx, user.id, [session], {}, "single")));
    expect(await totals(user.id)).toEqual({ input: 1000, output: 100, sessions: 1 });
    const [ledger] = await queryRows<{ input: number }>(
      test.ctx.db,
      sql`SELECT sum(input_tokens)::float8 AS input FROM token_usage WHERE user_id = ${user.id}`,
    );
    expect(ledger!.input).toBe(1000);
  });
});

describe("cleanupData", () => {
  it("deletes rows past their retention, set-based, and keeps running totals", async () => {
    const user = await createUser(test.ctx, { username: "old-timer" });
    const zero = { cacheCreationTokens: 0, cacheReadTokens: 0, startedAt: undefined };
    const sessions = Array.from({ length: 7 }, (_, index) =>
      makeSession({
        sessionId: `old-${index}`,
        endedAt: test.clock.now().toISOString(),
        inputTokens: 10,
        outputTokens: 5,
        ...zero,
      }),
    );
    await ingestSessions(test.ctx, user.id, sessions, {}, "batch");
    const app = createApiApp(test.ctx);
    test.clock.advance(91 * 86_400_000);
    await ingestSessions(
      test.ctx,
      user.id,
      [
        makeSession({
          sessionId: "new",
          endedAt: test.clock.now().toISOString(),
          inputTokens: 1,
          outputTokens: 1,
          ...zero,
        }),
      ],
      {},
      "single",
    );
    const result = await cleanupData(test.ctx);
    expect(result.deleted.sessions).toBeGreaterThanOrEqual(7);
    expect(await count("sessions", user.id)).toBe(1);
    expect(await count("token_usage", user.id)).toBe(1);
    expect(await count("daily_user_stats", user.id)).toBe(2);
    expect(await totals(user.id)).toEqual({ input: 71, output: 36, sessions: 8 });
    // A resend of a cleaned-up session is refused as too old, so it can never be counted twice.
    const stale = await signedPost(
      app,
      "/api/v1/sessions",
      (await createUser(test.ctx, { username: "x-user" })).apiKey!,
      sessions[0],
      Math.floor(test.clock.now().getTime() / 1000),
    );
    expect(stale.status).toBe(400);
    expect((await stale.json()).error.fields.endedAt).toMatch(/retention/);
  });
});
