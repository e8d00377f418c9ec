import { globalStatsSchema, type LeaderboardResponse, leaderboardResponseSchema } from "@modu-arena/core";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { getGlobalStats } from "../src/services/dashboard/get-global-stats";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { getLeaderboard } from "../src/services/leaderboard/get-leaderboard";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

// Wednesday 2026-03-11: the week started Monday 03-09. Weekly figures of the factory users below, by hand
// (efficiency = min(output/input, 2)/2; streak = run of active days ending today or yesterday):
//   ann  1 session  (03-11)        tokens 1,100,000  efficiency 0.05  streak 1  score 279.22  rank 4
//   ben  3 sessions (03-09..03-11)  tokens     6,000  efficiency 0.5   streak 3  score 331.27  rank 2
//   cid  2 sessions (03-11)        tokens     8,000  efficiency 1     streak 1  score 442.93  rank 1
//   dee  1 session  (03-10)        tokens     4,000  efficiency 0.5   streak 1  score 294.16  rank 3  (privacy mode)
const NOW = new Date("2026-03-11T12:00:00.000Z");
let test: TestContext;
let app: Hono;
const ids: Record<string, string> = {};

async function addSession(user: string, sessionId: string, endedAt: string, input: number, output: number) {
  const session = makeSession({
    sessionId,
    endedAt,
    startedAt: undefined,
    inputTokens: input,
    outputTokens: output,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
  });
  await ingestSessions(test.ctx, ids[user]!, [session], {}, "single");
}

/** Usernames in page order; the privacy-mode user (shown under an anonymous name) as "dee*". */
function names(board: LeaderboardResponse): string[] {
  return board.data.map((entry) => (entry.isPrivate ? "dee*" : entry.username));
}

beforeAll(async () => {
  test = await createTestContext({ now: NOW });
  app = createApiApp(test.ctx);
  for (const name of ["ann", "ben", "cid", "dee"]) {
    ids[name] = (await createUser(test.ctx, { username: name, privacyMode: name === "dee" })).id;
  }
  await addSession("ann", "a1", "2026-03-11T09:00:00.000Z", 1_000_000, 100_000);
  await addSession("ben", "b1", "2026-03-09T09:00:00.000Z", 1000, 1000);
  await addSession("ben", "b2", "2026-03-10T09:00:00.000Z", 1000, 1000);
  await addSession("ben", "b3", "2026-03-11T09:00:00.000Z", 1000, 1000);
  await addSession("cid", "c1", "2026-03-11T08:00:00.000Z", 1000, 3000);
  await addSession("cid", "c2", "2026-03-11T10:00:00.000Z", 1000, 3000);
  await addSession("dee", "d1", "2026-03-10T09:00:00.000Z", 2000, 2000);
  expect((await calculateRankings(test.ctx)).ran).toBe(true);
});
afterAll(async () => test.close());

describe("getLeaderboard sort", () => {
  const weekly = (sort: "score" | "tokens" | "sessions" | "efficiency" | "streak", offset = 0, limit = 10) =>
    getLeaderboard(test.ctx, { period: "weekly", sort, limit, offset });

  it("orders by the ranking by default, with the hand-computed scores", async () => {
    const board = await weekly("score");
    expect(
      board.data.map((entry) => [entry.isPrivate ? "dee*" : entry.username, entry.rank, entry.compositeScore]),
    ).toEqual([
      ["cid", 1, 442.93],
      ["ben", 2, 331.27],
      ["dee*", 3, 294.16],
      ["ann", 4, 279.22],
    ]);
    expect(board.sort).toBe("score");
  });

  it("orders by each column, descending, ties by ranking position; rank stays the ranking's", async () => {
    // tokens: 1.1M, 8000, 6000, 4000
    expect(names(await weekly("tokens"))).toEqual(["ann", "cid", "ben", "dee*"]);
    // sessions: 3, 2, then dee and ann at 1 in ranking order (3 before 4)
    expect(names(await weekly("sessions"))).toEqual(["ben", "cid", "dee*", "ann"]);
    // efficiency: 1, then ben and dee at 0.5 (rank 2 before 3), 0.05
    expect(names(await weekly("efficiency"))).toEqual(["cid", "ben", "dee*", "ann"]);
    // streak: 3, then cid, dee, ann at 1 (ranks 1, 3, 4)
    const streak = await weekly("streak");
    expect(names(streak)).toEqual(["ben", "cid", "dee*", "ann"]);
    expect(streak.data.map((entry) => entry.rank)).toEqual([2, 1, 3, 4]);
    expect(streak.data.map((entry) => entry.streakDays)).toEqual([3, 1, 1, 1]);
    expect(streak.sort).toBe("streak");
  });

  it("pages within a sort without overlap", async () => {
    const first = await weekly("tokens", 0, 2);
    const second = await weekly("tokens", 2, 2);
    expect([...names(first), ...names(second)]).toEqual(["ann", "cid", "ben", "dee*"]);
    expect(second.pagination).toEqual({ page: 2, limit: 2, total: 4, totalPages: 2, hasMore: false });
  });
});

describe("GET /api/leaderboard?sort=", () => {
  const get = async (query: string) => app.request(`/api/leaderboard${query}`);

  it("sorts over HTTP and keeps the answer of clients that send no sort", async () => {
    const sorted = leaderboardResponseSchema.parse(await (await get("?period=weekly&sort=tokens")).json());
    expect(names(sorted)).toEqual(["ann", "cid", "ben", "dee*"]);
    // Same period, limit and offset, other sort: a separate cache entry, not the page above.
    const plain = leaderboardResponseSchema.parse(await (await get("?period=weekly")).json());
    expect(names(plain)).toEqual(["cid", "ben", "dee*", "ann"]);
    expect(plain.sort).toBe("score");
  });

  it("answers 400 naming the field for a sort it does not know", async () => {
    for (const bad of ["rank", "TOKENS", "tokens;DROP TABLE users", "r.user_id"]) {
      const res = await get(`?sort=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe("invalid_request");
      expect(Object.keys(body.error.fields)).toEqual(["sort"]);
    }
  });
});

describe("GET /api/stats", () => {
  it("serves the leaderboard's global stats, aggregates only", async () => {
    const res = await app.request("/api/stats");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    const body = globalStatsSchema.parse(await res.json());
    // 4 users; 7 sessions; tokens 1.1M + 6000 + 8000 + 4000; today (03-11): ann, ben, cid with 4 sessions.
    expect(body).toEqual({
      users: 4,
      activeUsersToday: 3,
      totalTokens: 1_118_000,
      totalSessions: 7,
      sessionsToday: 4,
      tokensToday: 1_100_000 + 2000 + 8000,
      day: "2026-03-11",
    });
    expect(body).toEqual(await getGlobalStats(test.ctx));
  });
});
