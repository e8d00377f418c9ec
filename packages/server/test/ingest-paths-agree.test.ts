import { sessionInputSchema } from "@modu-arena/core";
import { queryRows, transactionPrepared } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { planIngest, type WritePlan } from "../src/services/ingest/plan-ingest";
import { applyAggregates, insertNewSessions } from "../src/services/ingest/write-ingest";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

// New sessions go through one statement, known ones through a locking transaction. Both must write the
// same aggregates for the same sessions: these tests compare every aggregate of two users fed each way.

let test: TestContext;
beforeAll(async () => {
  test = await createTestContext();
});
afterAll(async () => test.close());

const origin = { ipAddress: "203.0.113.7", userAgent: "paths-agree" };
const tokens = (input: number, output: number, cacheCreation = 0, cacheRead = 0) => ({
  startedAt: undefined,
  inputTokens: input,
  outputTokens: output,
  cacheCreationTokens: cacheCreation,
  cacheReadTokens: cacheRead,
});

/** Three sessions of 1,000 tokens: the anomaly check applies, against an average of 1,000. */
const baseline = [1, 2, 3].map((n) =>
  makeSession({ sessionId: `base-${n}`, endedAt: "2026-03-09T12:00:00.000Z", ...tokens(600, 400, 10, 20) }),
);

/** Sessions on two days, three tools, with and without a model; one just over 10x the average, one just under. */
const sessions = [
  makeSession({
    sessionId: "over",
    endedAt: "2026-03-10T23:30:00.000Z",
    modelName: "m1",
    ...tokens(6000, 4500, 5, 7),
    reasoningTokens: 2000,
  }),
  makeSession({ sessionId: "under", endedAt: "2026-03-10T08:00:00.000Z", modelName: "m1", ...tokens(5000, 4500) }),
  makeSession({
    toolType: "codex",
    sessionId: "other-tool",
    endedAt: "2026-03-11T01:00:00.000Z",
    modelName: "m2",
    ...tokens(300, 30, 100, 1000),
    reasoningTokens: 10,
  }),
  makeSession({
    toolType: "gemini",
    sessionId: "no-model",
    endedAt: "2026-03-11T02:00:00.000Z",
    modelName: undefined,
    ...tokens(20, 2),
  }),
];
const zeroed = (session: Record<string, unknown>, sessionId = session.sessionId) => ({
  ...session,
  sessionId,
  ...tokens(0, 0),
  reasoningTokens: 0,
});

async function aggregatesOf(userId: string) {
  const days = await queryRows<Record<string, unknown>>(
    test.ctx.db,
    sql`SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, input_tokens::float8 AS input, output_tokens::float8 AS output,
          cache_creation_tokens::float8 AS cc, cache_read_tokens::float8 AS cr, cache_tokens::float8 AS cache,
          reasoning_tokens::float8 AS reasoning,
          total_tokens::float8 AS total, session_count AS sessions, by_tool, by_model
        FROM daily_user_stats WHERE user_id = ${userId} ORDER BY stat_date`,
  );
  const [totals] = await queryRows<Record<string, unknown>>(
    test.ctx.db,
    sql`SELECT total_input_tokens::float8 AS input, total_output_tokens::float8 AS output,
          total_cache_creation_tokens::float8 AS cc, total_cache_read_tokens::float8 AS cr,
          total_cache_tokens::float8 AS cache, total_reasoning_tokens::float8 AS reasoning, total_all_tokens::float8 AS "all", total_sessions AS sessions,
          tokens_by_tool, sessions_by_tool, last_activity_at::text AS "lastActivityAt"
        FROM user_stats WHERE user_id = ${userId}`,
  );
  const ledger = await queryRows<Record<string, unknown>>(
    test.ctx.db,
    sql`SELECT s.session_hash AS session, t.tool_type_id AS tool, t.model_name AS model,
          sum(t.input_tokens)::float8 AS input, sum(t.output_tokens)::float8 AS output,
          sum(t.cache_creation_tokens)::float8 AS cc, sum(t.cache_read_tokens)::float8 AS cr,
          sum(t.reasoning_tokens)::float8 AS reasoning,
          max(t.recorded_at)::text AS "recordedAt"
        FROM token_usage t JOIN sessions s ON s.id = t.session_id
        WHERE t.user_id = ${userId} GROUP BY 1, 2, 3 ORDER BY 1`,
  );
  const anomalies = await queryRows<Record<string, unknown>>(
    test.ctx.db,
    sql`SELECT s.session_hash AS session, a.details - 'sessionId' AS details, a.ip_address AS ip, a.user_agent AS agent
        FROM security_audit_log a JOIN sessions s ON s.id = (a.details->>'sessionId')::uuid
        WHERE a.user_id = ${userId} AND a.event_type = 'suspicious_activity' ORDER BY 1`,
  );
  return { days, totals, ledger, anomalies };
}

async function auditOf(userId: string) {
  return queryRows<Record<string, unknown>>(
    test.ctx.db,
    sql`SELECT event_type AS event, details, ip_address AS ip, user_agent AS agent FROM security_audit_log
        WHERE user_id = ${userId} AND event_type LIKE 'session_%' ORDER BY created_at, event_type, details::text`,
  );
}

/** Session counts: a grown session was counted when it was created, so only token figures are compared. */
function withoutSessionCounts(aggregates: Awaited<ReturnType<typeof aggregatesOf>>) {
  const { sessions: _total, sessions_by_tool: _byTool, ...totals } = aggregates.totals!;
  return {
    ...aggregates,
    totals,
    days: aggregates.days.map(({ sessions: _count, by_tool, ...day }) => ({
      ...day,
      byToolTokens: Object.fromEntries(
        Object.entries(by_tool as Record<string, { tokens: number }>).map(([tool, bucket]) => [tool, bucket.tokens]),
      ),
    })),
  };
}

describe("the new-session statement and the known-session transaction", () => {
  it("write the same aggregates when they create the same sessions", async () => {
    const viaStatement = await createUser(test.ctx, { username: "via_statement" });
    const viaTransaction = await createUser(test.ctx, { username: "via_transaction" });
    const batch = [...sessions, sessions[0]!];
    for (const user of [viaStatement, viaTransaction]) {
      await ingestSessions(test.ctx, user.id, baseline, origin, "batch");
    }

    const outcome = await ingestSessions(test.ctx, viaStatement.id, batch, origin, "batch");
    expect(outcome.summary).toEqual({ created: 4, updated: 0, duplicate: 1, rejected: 0 });
    // The transaction creates sessions when a known key was deleted meanwhile; here it creates them all.
    const plans = planIngest(
      batch.map((session, index) => ({ index, session: sessionInputSchema.parse(session) })),
      [],
    );
    const creates = plans.filter((plan): plan is WritePlan => plan.kind === "create");
    await transactionPrepared(test.ctx.db, async (query) => {
      expect(await insertNewSessions(query, viaTransaction.id, creates, test.clock.now())).toEqual([]);
      const written = creates as Array<WritePlan & { id: string }>;
      await applyAggregates(query, viaTransaction.id, written, 1, origin, "batch", test.clock.now());
    });

    const expected = await aggregatesOf(viaStatement.id);
    expect(expected.anomalies.map((row) => row.session)).toEqual(["over"]);
    expect(expected.days).toHaveLength(3);
    expect(await aggregatesOf(viaTransaction.id)).toEqual(expected);
    expect(await auditOf(viaTransaction.id)).toEqual(await auditOf(viaStatement.id));
  });

  it("write the same token aggregates when the sessions are new as when known sessions grow to them", async () => {
    const asNew = await createUser(test.ctx, { username: "as_new" });
    const asGrowth = await createUser(test.ctx, { username: "as_growth" });
    // Both users have the same sessions count and tokens before the measured write: the same average.
    await ingestSessions(
      test.ctx,
      asNew.id,
      [...baseline, ...sessions.map((s, i) => zeroed(s, `empty-${i}`))],
      origin,
      "batch",
    );
    await ingestSessions(test.ctx, asGrowth.id, [...baseline, ...sessions.map((s) => zeroed(s))], origin, "batch");

    const created = await ingestSessions(test.ctx, asNew.id, sessions, origin, "batch");
    expect(created.summary.created).toBe(4);
    const grown = await ingestSessions(test.ctx, asGrowth.id, sessions, origin, "batch");
    expect(grown.summary.updated).toBe(4);

    const expected = withoutSessionCounts(await aggregatesOf(asNew.id));
    expected.ledger = expected.ledger.filter((row) => !String(row.session).startsWith("empty-"));
    // Seven sessions of 3,000 tokens in all: an average of 429, so both large sessions are over 10x.
    expect(expected.anomalies.map((row) => row.session)).toEqual(["over", "under"]);
    expect(withoutSessionCounts(await aggregatesOf(asGrowth.id))).toEqual(expected);
  });
});
