import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

let test: TestContext;
beforeAll(async () => {
  test = await createTestContext();
});
afterAll(async () => test.close());

// No startedAt: the helper's default start would lie after these ends.
const tokens = (input: number, output: number, cacheCreation = 0, cacheRead = 0) => ({
  startedAt: undefined,
  inputTokens: input,
  outputTokens: output,
  cacheCreationTokens: cacheCreation,
  cacheReadTokens: cacheRead,
});

describe("a mixed batch: new, repeated, folded, known and invalid sessions over two days", () => {
  it("writes every aggregate exactly as computed by hand", async () => {
    const user = await createUser(test.ctx, { username: "mixer" });
    const known = makeSession({
      sessionId: "known",
      endedAt: "2026-03-10T10:00:00.000Z",
      modelName: "m1",
      ...tokens(100, 10),
    });
    await ingestSessions(test.ctx, user.id, [known], {}, "single");

    const a = makeSession({
      sessionId: "a",
      endedAt: "2026-03-10T23:30:00.000Z",
      modelName: "m1",
      ...tokens(1000, 100, 50, 500),
    });
    const b = makeSession({
      toolType: "codex",
      sessionId: "b",
      endedAt: "2026-03-11T01:00:00.000Z",
      modelName: "m2",
      ...tokens(2000, 200),
    });
    const c = makeSession({
      toolType: "gemini",
      sessionId: "c",
      endedAt: "2026-03-11T02:00:00.000Z",
      modelName: undefined,
      ...tokens(300, 30),
    });
    const bLarger = { ...b, ...tokens(2500, 250) };
    const knownGrown = { ...known, endedAt: "2026-03-11T03:00:00.000Z", ...tokens(150, 15) };
    const invalid = makeSession({ sessionId: "bad", inputTokens: -1 });
    const outcome = await ingestSessions(test.ctx, user.id, [a, b, a, c, bLarger, knownGrown, invalid], {}, "batch");

    expect(outcome.results.map((result) => result.status)).toEqual([
      "created",
      "created",
      "duplicate",
      "created",
      "created",
      "updated",
      "rejected",
    ]);
    const days = await queryRows<Record<string, unknown>>(
      test.ctx.db,
      sql`SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, input_tokens::float8 AS input, output_tokens::float8 AS output,
            cache_creation_tokens::float8 AS cc, cache_read_tokens::float8 AS cr, total_tokens::float8 AS total,
            session_count AS sessions, by_tool, by_model
          FROM daily_user_stats WHERE user_id = ${user.id} ORDER BY stat_date`,
    );
    expect(days).toEqual([
      {
        day: "2026-03-10",
        input: 1100,
        output: 110,
        cc: 50,
        cr: 500,
        total: 1210,
        sessions: 2,
        by_tool: { "claude-code": { tokens: 1210, sessions: 2 } },
        by_model: { m1: 1210 },
      },
      {
        day: "2026-03-11",
        input: 2850,
        output: 285,
        cc: 0,
        cr: 0,
        total: 3135,
        sessions: 2,
        by_tool: {
          codex: { tokens: 2750, sessions: 1 },
          gemini: { tokens: 330, sessions: 1 },
          "claude-code": { tokens: 55, sessions: 0 },
        },
        by_model: { m2: 2750, m1: 55 },
      },
    ]);
    const [totals] = await queryRows<Record<string, unknown>>(
      test.ctx.db,
      sql`SELECT total_input_tokens::float8 AS input, total_output_tokens::float8 AS output,
            total_cache_creation_tokens::float8 AS cc, total_cache_read_tokens::float8 AS cr,
            total_all_tokens::float8 AS "all", total_sessions AS sessions, tokens_by_tool, sessions_by_tool,
            last_activity_at = '2026-03-11T03:00:00Z'::timestamptz AS "lastActivityIsLatestEnd"
          FROM user_stats WHERE user_id = ${user.id}`,
    );
    expect(totals).toEqual({
      input: 3950,
      output: 395,
      cc: 50,
      cr: 500,
      all: 3950 + 395 + 50 + 500,
      sessions: 4,
      tokens_by_tool: { "claude-code": 1265, codex: 2750, gemini: 330 },
      sessions_by_tool: { "claude-code": 2, codex: 1, gemini: 1 },
      lastActivityIsLatestEnd: true,
    });
    const [ledger] = await queryRows<{ rows: number; input: number }>(
      test.ctx.db,
      sql`SELECT count(*)::int AS rows, sum(input_tokens)::float8 AS input FROM token_usage WHERE user_id = ${user.id}`,
    );
    expect(ledger).toEqual({ rows: 5, input: 3950 });
    const audit = await queryRows<{ event: string; details: Record<string, unknown> }>(
      test.ctx.db,
      sql`SELECT event_type AS event, details FROM security_audit_log
          WHERE user_id = ${user.id} AND event_type LIKE 'session_%' ORDER BY details->>'source' DESC, event_type`,
    );
    expect(audit).toEqual([
      { event: "session_created", details: { source: "single", created: 1, updated: 0 } },
      { event: "session_created", details: { source: "batch", created: 3, updated: 0 } },
      { event: "session_duplicate", details: { source: "batch", duplicate: 2 } },
      { event: "session_updated", details: { source: "batch", updated: 1 } },
    ]);
  });
});
