import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDatasetConsistency } from "../../../bench/scale/check-dataset";
import { generateScaleDataset } from "../../../bench/scale/generate-dataset";
import type { Totals } from "../../../test/reliability/load-model";
import { compareRankings, compareStats } from "../../../test/reliability/verify-truth";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";

const NOW = new Date("2026-03-11T12:00:00.000Z");
let test: TestContext;
let userIds: string[];
let indexesBefore: string[];

async function listIndexes() {
  const rows = await queryRows<{ definition: string }>(
    test.ctx.db,
    sql`SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`,
  );
  return rows.map((row) => row.definition);
}

interface SessionRow {
  user_id: string;
  toolType: string;
  sessionId: string;
  startedAt: string;
  endedAt: string;
  day: string;
  modelName: string | null;
  anonymousProjectId: string;
  durationSeconds: number;
  turnCount: number;
  toolUsage: Record<string, number>;
  codeMetrics: Record<string, number>;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

function readSessions(userId?: string) {
  return queryRows<SessionRow>(
    test.ctx.db,
    sql`SELECT user_id, tool_type_id AS "toolType", session_hash AS "sessionId",
          to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt",
          to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "endedAt",
          to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, model_name AS "modelName",
          anonymous_project_id AS "anonymousProjectId", duration_seconds AS "durationSeconds", turn_count AS "turnCount",
          tool_usage AS "toolUsage", code_metrics AS "codeMetrics", input_tokens::float8 AS "inputTokens",
          output_tokens::float8 AS "outputTokens", cache_creation_tokens::float8 AS "cacheCreationTokens",
          cache_read_tokens::float8 AS "cacheReadTokens"
        FROM sessions ${userId ? sql`WHERE user_id = ${userId}` : sql``} ORDER BY ended_at`,
  );
}

/** The users' aggregates as one comparable value, without ids and write times. */
async function readAggregates(userId: string) {
  const [row] = await queryRows<{ value: unknown }>(
    test.ctx.db,
    sql`SELECT jsonb_build_object(
          'totals', (SELECT to_jsonb(s) - 'user_id' - 'updated_at' FROM user_stats s WHERE s.user_id = ${userId}),
          'days', (SELECT jsonb_agg(to_jsonb(d) - 'id' - 'user_id' - 'created_at' ORDER BY d.stat_date)
            FROM daily_user_stats d WHERE d.user_id = ${userId}),
          'ledger', (SELECT jsonb_agg(jsonb_build_array(t.tool_type_id, t.model_name, t.input_tokens, t.output_tokens,
              t.cache_creation_tokens, t.cache_read_tokens, t.recorded_at) ORDER BY t.recorded_at, t.input_tokens)
            FROM token_usage t WHERE t.user_id = ${userId})) AS value`,
  );
  return row?.value;
}

beforeAll(async () => {
  test = await createTestContext({ now: NOW });
  indexesBefore = await listIndexes();
  await generateScaleDataset(test.ctx.db, {
    users: 20,
    days: 30,
    now: NOW,
    prefix: "scale",
    batchSize: 8,
    deferIndexes: true,
  });
  const rows = await queryRows<{ id: string }>(test.ctx.db, sql`SELECT id FROM users ORDER BY username`);
  userIds = rows.map((row) => row.id);
}, 120_000);

afterAll(async () => {
  await test?.close();
});

describe("scale dataset generator", () => {
  it("writes users with sessions on several tools and days, within the days asked for", async () => {
    const sessions = await readSessions();
    expect(userIds).toHaveLength(20);
    expect(await listIndexes()).toEqual(indexesBefore);
    expect(sessions.length).toBeGreaterThan(40);
    expect(new Set(sessions.map((s) => s.user_id)).size).toBeGreaterThan(5);
    expect(new Set(sessions.map((s) => s.toolType)).size).toBeGreaterThan(1);
    expect(sessions.every((s) => s.endedAt <= NOW.toISOString() && s.day >= "2026-02-10")).toBe(true);
  });

  it("writes only rows whose references hold (foreign keys are not checked while it writes)", async () => {
    const [orphans] = await queryRows<{ n: number }>(
      test.ctx.db,
      sql`SELECT (SELECT count(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)
            OR NOT EXISTS (SELECT 1 FROM tool_types t WHERE t.id = s.tool_type_id))
          + (SELECT count(*) FROM token_usage t WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = t.session_id))
          + (SELECT count(*) FROM daily_user_stats d WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = d.user_id))
          + (SELECT count(*) FROM user_stats d WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = d.user_id))
          AS n`,
    );
    expect(Number(orphans!.n)).toBe(0);
  });

  it("leaves the ledger, daily_user_stats and user_stats consistent with the sessions", async () => {
    expect(await checkDatasetConsistency(test.ctx.db, userIds)).toEqual([]);
  });

  it("passes the reliability suite's truth checks of stats and rankings", async () => {
    const sessions = await readSessions();
    const empty = (): Totals => ({ input: 0, output: 0, cacheCreation: 0, cacheRead: 0, sessions: 0 });
    const byUser = new Map<number, Totals>();
    const byUserDay = new Map<number, Map<string, Totals>>();
    for (const session of sessions) {
      const index = userIds.indexOf(session.user_id);
      const user = byUser.get(index) ?? empty();
      const days = byUserDay.get(index) ?? new Map<string, Totals>();
      const day = days.get(session.day) ?? empty();
      for (const totals of [user, day]) {
        totals.input += session.inputTokens;
        totals.output += session.outputTokens;
        totals.cacheCreation += session.cacheCreationTokens;
        totals.cacheRead += session.cacheReadTokens;
        totals.sessions += 1;
      }
      byUser.set(index, user);
      days.set(session.day, day);
      byUserDay.set(index, days);
    }
    // Users without sessions still have a user_stats row of zeros, as after sign-up.
    userIds.forEach((_, index) => {
      if (!byUser.has(index)) byUser.set(index, empty());
    });
    const truth = { byUser, byUserDay };
    expect((await compareStats(test.ctx.db, userIds, truth)).mismatches).toEqual([]);
    await calculateRankings(test.ctx);
    expect(await compareRankings(test.ctx.db, userIds, truth, "2026-03-11")).toEqual([]);
  });

  it("leaves each user's aggregates exactly as ingesting the same sessions does", async () => {
    const counts = await queryRows<{ user_id: string }>(
      test.ctx.db,
      sql`SELECT user_id FROM sessions GROUP BY user_id ORDER BY count(DISTINCT tool_type_id) DESC, count(*) DESC LIMIT 3`,
    );
    for (const { user_id: generatedId } of counts) {
      const sessions = await readSessions(generatedId);
      const replayed = await createUser(test.ctx, { username: `replay-${generatedId.slice(0, 8)}` });
      const items = sessions.map(({ user_id: _user, day: _day, modelName, ...session }) =>
        modelName === null ? session : { ...session, modelName },
      );
      for (let start = 0; start < items.length; start += 100) {
        const outcome = await ingestSessions(test.ctx, replayed.id, items.slice(start, start + 100), {}, "batch");
        expect(outcome.results.every((result) => result.status === "created")).toBe(true);
      }
      expect(await readAggregates(replayed.id)).toEqual(await readAggregates(generatedId));
    }
  });

  it("reports a day whose by_model disagrees with its sessions", async () => {
    const [day] = await queryRows<{ user_id: string; stat_date: string }>(
      test.ctx.db,
      sql`SELECT user_id, stat_date::text FROM daily_user_stats ORDER BY user_id, stat_date LIMIT 1`,
    );
    await test.ctx.db.execute(
      sql`UPDATE daily_user_stats SET by_model = by_model || '{"gpt-5": 1}'::jsonb
          WHERE user_id = ${day!.user_id} AND stat_date = ${day!.stat_date}::date`,
    );
    const mismatches = await checkDatasetConsistency(test.ctx.db, [day!.user_id]);
    expect(mismatches.map((m) => m.what)).toEqual([`day ${day!.stat_date}`]);
  });
});
