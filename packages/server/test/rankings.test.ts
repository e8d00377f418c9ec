import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { calculateRankings, RANKINGS_LOCK_KEY } from "../src/services/rankings/calculate-rankings";
import { getPeriodStart } from "../src/services/rankings/period-starts";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

// Wednesday 2026-03-11: the week started Monday 03-09, the month on 03-01.
const NOW = new Date("2026-03-11T12:00:00.000Z");
let test: TestContext;
let app: Hono;
const ids: Record<string, string> = {};
const keys: Record<string, string> = {};

async function addSession(user: string, sessionId: string, endedAt: string, input: number, output: number) {
  const zero = { cacheCreationTokens: 0, cacheReadTokens: 0, startedAt: undefined };
  await ingestSessions(
    test.ctx,
    ids[user]!,
    [makeSession({ sessionId, endedAt, inputTokens: input, outputTokens: output, ...zero })],
    {},
    "single",
  );
}

beforeAll(async () => {
  test = await createTestContext({ now: NOW });
  app = createApiApp(test.ctx);
  for (const [name, privacyMode] of [
    ["alice", false],
    ["bob", false],
    ["carol", true],
  ] as const) {
    const user = await createUser(test.ctx, { username: name, privacyMode });
    ids[name] = user.id;
    keys[name] = user.apiKey!;
  }
  await addSession("alice", "a1", "2026-03-10T10:00:00.000Z", 1000, 500);
  await addSession("alice", "a2", "2026-03-11T10:00:00.000Z", 3000, 1000);
  await addSession("bob", "b1", "2026-03-06T10:00:00.000Z", 1_000_000, 1_000_000);
  await addSession("carol", "c1", "2026-03-11T08:00:00.000Z", 500, 2000);
  const run = await calculateRankings(test.ctx);
  expect(run.ran).toBe(true);
});
afterAll(async () => test.close());

async function rankingRows(period: string) {
  return queryRows<{
    user_id: string;
    rank_position: number;
    composite_score: number;
    total_tokens: number;
    session_count: number;
    streak_days: number;
  }>(
    test.ctx.db,
    sql`SELECT user_id, rank_position, composite_score::float8 AS composite_score, total_tokens::float8 AS total_tokens,
          session_count, streak_days
        FROM rankings WHERE period_type = ${period} AND period_start = ${getPeriodStart(period as "daily", NOW)}::date
        ORDER BY rank_position`,
  );
}

describe("calculateRankings", () => {
  it("ranks today's activity with the seed's formula (hand-computed scores)", async () => {
    const rows = await rankingRows("daily");
    // carol: tokens log10(2501)/10, efficiency min(4,2)/2, sessions log10(2)/3, streak 1/30 -> 410.99
    // alice: tokens log10(4001)/10, efficiency (1000/3000)/2, sessions log10(2)/3, streak 2/30 -> 215.82
    expect(rows.map((row) => [row.user_id, row.rank_position, row.composite_score, row.streak_days])).toEqual([
      [ids.carol, 1, 410.99, 1],
      [ids.alice, 2, 215.82, 2],
    ]);
  });

  it("sums the days of the ISO week and of the month", async () => {
    const weekly = await rankingRows("weekly");
    expect(weekly.find((row) => row.user_id === ids.alice)).toMatchObject({
      composite_score: 238.3,
      total_tokens: 5500,
      session_count: 2,
    });
    expect(weekly.some((row) => row.user_id === ids.bob)).toBe(false);
    const monthly = await rankingRows("monthly");
    expect(monthly.map((row) => [row.user_id, row.composite_score])).toEqual([
      [ids.carol, 410.99],
      [ids.bob, 397.11],
      [ids.alice, 238.3],
    ]);
  });

  it("ranks all time from the running totals", async () => {
    const rows = await rankingRows("all_time");
    expect(rows).toHaveLength(3);
    expect(rows.find((row) => row.user_id === ids.bob)).toMatchObject({
      total_tokens: 2_000_000,
      session_count: 1,
      streak_days: 0,
    });
  });

  it("is idempotent: a second run gives the same rows", async () => {
    const before = await rankingRows("monthly");
    await calculateRankings(test.ctx);
    expect(await rankingRows("monthly")).toEqual(before);
  });

  it("does not run while another instance holds the lock", async () => {
    const blocker = await test.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${RANKINGS_LOCK_KEY})`);
      if (test.dbHandle.kind === "pglite") return null; // one connection: the lock is re-entrant for it
      return calculateRankings(test.ctx);
    });
    if (blocker) expect(blocker.ran).toBe(false);
  });
});

describe("GET /api/v1/rank", () => {
  it("answers positions, participants and totals in the seed's shape", async () => {
    const res = await app.request("/api/v1/rank", { headers: { "x-api-key": keys.alice! } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      username: "alice",
      rankings: {
        daily: { position: 2, compositeScore: 215.82, totalParticipants: 2 },
        weekly: { position: 2, compositeScore: 238.3, totalParticipants: 2 },
        monthly: { position: 3, totalParticipants: 3 },
      },
      stats: { totalTokens: 5500, totalSessions: 2, inputTokens: 4000, outputTokens: 1500 },
    });
    expect(body.rankings.allTime.totalParticipants).toBe(3);
    expect(typeof body.lastUpdated).toBe("string");
  });
});

describe("GET /api/leaderboard", () => {
  it("pages the ranking and hides privacy-mode users' identity", async () => {
    const res = await app.request("/api/leaderboard?period=monthly&limit=2&offset=0");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.pagination).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2, hasMore: true });
    const [first, second] = body.data;
    expect(first).toMatchObject({ rank: 1, userId: null, avatarUrl: null, isPrivate: true, tier: "gold" });
    expect(first.username).toMatch(/^anonymous-[0-9a-f]{8}$/);
    expect(JSON.stringify(body)).not.toContain("carol");
    expect(JSON.stringify(body)).not.toContain(ids.carol);
    expect(second).toMatchObject({ rank: 2, username: "bob", userId: ids.bob, isPrivate: false, tier: "silver" });
  });

  it("shows successful projects, but not for privacy-mode users", async () => {
    await test.ctx.db.execute(
      sql`UPDATE user_stats SET successful_projects_count = 2 WHERE user_id IN (${ids.bob}, ${ids.carol})`,
    );
    await calculateRankings(test.ctx);
    const body = await (await app.request("/api/leaderboard?period=monthly")).json();
    const projects = body.data.map((entry: { username: string; successfulProjects: number }) => [
      entry.username,
      entry.successfulProjects,
    ]);
    expect(projects.find(([name]: [string]) => name === "bob")).toEqual(["bob", 2]);
    expect(projects.find(([name]: [string]) => name === "alice")).toEqual(["alice", 0]);
    expect(body.data[0]).toMatchObject({ isPrivate: true, successfulProjects: 0, toolMix: {} });
    expect(body.data.find((entry: { username: string }) => entry.username === "bob").toolMix).toEqual({
      "claude-code": 2_000_000,
    });
  });

  it("defaults to the weekly period and validates the query", async () => {
    const body = await (await app.request("/api/leaderboard")).json();
    expect(body.period).toBe("weekly");
    const bad = await app.request("/api/leaderboard?period=yearly&limit=500");
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(["limit", "period"]);
  });

  it("serves fresh data after a ranking run invalidates the cache", async () => {
    const before = await (await app.request("/api/leaderboard?period=daily")).json();
    expect(before.pagination.total).toBe(2);
    await addSession("bob", "b2", "2026-03-11T11:00:00.000Z", 10, 10);
    const cached = await (await app.request("/api/leaderboard?period=daily")).json();
    expect(cached.pagination.total).toBe(2);
    await calculateRankings(test.ctx);
    const after = await (await app.request("/api/leaderboard?period=daily")).json();
    expect(after.pagination.total).toBe(3);
  });
});

describe("GET /api/users/:username", () => {
  it("shows a public profile with its evaluations, and 404s for privacy mode", async () => {
    await test.ctx.db.execute(
      sql`INSERT INTO project_evaluations (user_id, project_path_hash, project_name, local_score, backend_score, final_score, passed, feedback)
          VALUES (${ids.alice}, 'h1', 'arena-cli', 30, 45, 75, true, 'Clear install and usage sections.')`,
    );
    const res = await app.request("/api/users/ALICE");
    expect(res.status).toBe(200);
    const profile = await res.json();
    expect(profile).toMatchObject({
      username: "alice",
      stats: { totalTokens: 5500, totalSessions: 2 },
      streak: { current: 2 },
    });
    expect(profile.evaluations).toMatchObject([
      { projectName: "arena-cli", finalScore: 75, passed: true, feedback: "Clear install and usage sections." },
    ]);
    const hidden = await app.request("/api/users/carol");
    expect(hidden.status).toBe(404);
    expect((await hidden.json()).error.code).toBe("not_found");
  });
});

describe("cron endpoints", () => {
  it("require the cron secret", async () => {
    expect((await app.request("/api/cron/calculate-rankings")).status).toBe(401);
    const wrong = await app.request("/api/cron/calculate-rankings", { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    const ok = await app.request("/api/cron/calculate-rankings", {
      headers: { authorization: `Bearer ${test.ctx.config.cronSecret}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ success: true, ran: true, rankedByPeriod: { all_time: 3 } });
  });
});
