import { dailyUserStats, projectEvaluations, users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceError } from "../src/errors";
import { getDashboard } from "../src/services/dashboard/get-dashboard";
import { getGlobalStats } from "../src/services/dashboard/get-global-stats";
import { getProfileAnalytics } from "../src/services/dashboard/get-profile-analytics";
import { listSessionPage } from "../src/services/dashboard/queries/list-session-page";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

// Factory data, clock at 2026-03-11T12:00Z (a Wednesday). Hand-computed expectations below.
const DANA_SESSIONS = [
  makeSession({
    sessionId: "s1",
    startedAt: "2026-03-11T09:00:00Z",
    endedAt: "2026-03-11T09:30:00Z",
    inputTokens: 1000,
    outputTokens: 500,
    cacheCreationTokens: 100,
    cacheReadTokens: 200,
    modelName: "claude-sonnet-4",
    toolUsage: { Read: 5, Edit: 2, Bash: 1 },
    codeMetrics: { linesAdded: 40, linesDeleted: 10, filesModified: 2, filesCreated: 1 },
    durationSeconds: 1800,
    turnCount: 10,
  }),
  makeSession({
    toolType: "codex",
    sessionId: "s2",
    startedAt: "2026-03-10T22:00:00Z",
    endedAt: "2026-03-10T23:30:00Z",
    inputTokens: 2000,
    outputTokens: 1000,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    modelName: "gpt-5",
    toolUsage: { exec_command: 4, apply_patch: 3 },
    codeMetrics: { linesAdded: 5, linesDeleted: 20, filesModified: 0, filesCreated: 0 },
    durationSeconds: 5400,
  }),
  makeSession({
    sessionId: "s3",
    startedAt: "2026-03-09T13:00:00Z",
    endedAt: "2026-03-09T14:00:00Z",
    inputTokens: 300,
    outputTokens: 300,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    modelName: "claude-sonnet-4",
    toolUsage: { Read: 10 },
  }),
  makeSession({
    sessionId: "s4",
    startedAt: "2026-03-05T07:00:00Z",
    endedAt: "2026-03-05T08:00:00Z",
    inputTokens: 100,
    outputTokens: 50,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    modelName: "claude-opus-4",
  }),
];

let test: TestContext;
let danaId: string;

beforeAll(async () => {
  test = await createTestContext();
  const dana = await createUser(test.ctx, { username: "dana" });
  const erin = await createUser(test.ctx, { username: "erin" });
  danaId = dana.id;
  await ingestSessions(test.ctx, dana.id, DANA_SESSIONS, {}, "batch");
  await ingestSessions(
    test.ctx,
    erin.id,
    [makeSession({ sessionId: "e1", endedAt: "2026-03-11T10:00:00Z", inputTokens: 100_000, outputTokens: 100_000 })],
    {},
    "single",
  );
  // A day whose sessions retention already removed: only its daily row is left.
  await test.ctx.db.insert(dailyUserStats).values({
    userId: dana.id,
    statDate: "2025-06-01",
    inputTokens: 400,
    outputTokens: 300,
    totalTokens: 700,
    sessionCount: 2,
    byTool: { "claude-code": { tokens: 700, sessions: 2 } },
    byModel: { "claude-sonnet-4": 700 },
  });
  await test.ctx.db.insert(projectEvaluations).values([
    {
      userId: dana.id,
      projectPathHash: "h1",
      projectName: "first",
      finalScore: 70,
      passed: true,
      evaluatedAt: new Date("2026-03-01T00:00:00Z"),
    },
    {
      userId: dana.id,
      projectPathHash: "h2",
      projectName: "second",
      finalScore: 40,
      passed: false,
      evaluatedAt: new Date("2026-03-08T00:00:00Z"),
    },
  ]);
  await calculateRankings(test.ctx);
});
afterAll(async () => test.close());

describe("getDashboard (UTC)", () => {
  it("matches the hand computation", async () => {
    const dashboard = await getDashboard(test.ctx, danaId);
    expect(dashboard.timezone).toBe("UTC");
    expect(dashboard.today).toBe("2026-03-11");
    expect(dashboard.totals).toMatchObject({
      inputTokens: 3400,
      outputTokens: 1850,
      cacheCreationTokens: 100,
      cacheReadTokens: 200,
      totalTokens: 5250,
      allTokens: 5550,
      sessions: 4,
    });
    expect(dashboard.heatmap).toHaveLength(365);
    expect(dashboard.heatmap[0]!.date).toBe("2025-03-12");
    const active = dashboard.heatmap.filter((day) => day.level > 0);
    expect(active.map((day) => [day.date, day.tokens, day.sessions, day.level])).toEqual([
      ["2025-06-01", 700, 2, 1],
      ["2026-03-05", 150, 1, 1],
      ["2026-03-09", 600, 1, 1],
      ["2026-03-10", 3000, 1, 4],
      ["2026-03-11", 1500, 1, 2],
    ]);
    expect(dashboard.streak).toEqual({ current: 3, longest: 3 });
    expect(dashboard.models).toEqual([
      { model: "gpt-5", tokens: 3000, share: 50.4 },
      { model: "claude-sonnet-4", tokens: 2800, share: 47.1 },
      { model: "claude-opus-4", tokens: 150, share: 2.5 },
    ]);
    expect(dashboard.tools.map((tool) => [tool.toolType, tool.tokens, tool.sessions])).toEqual([
      ["codex", 3000, 1],
      ["claude-code", 2950, 5],
    ]);
    expect(dashboard.tools[0]!.displayName).toBe("Codex CLI");
    const hours = Object.fromEntries(dashboard.hourly.filter((h) => h.sessions > 0).map((h) => [h.hour, h.tokens]));
    expect(hours).toEqual({ 7: 150, 9: 1500, 13: 600, 22: 3000 });
    const weekdays = Object.fromEntries(
      dashboard.weekday.filter((d) => d.sessions > 0).map((d) => [d.weekday, [d.sessions, d.tokens]]),
    );
    expect(weekdays).toEqual({ 1: [1, 600], 2: [1, 3000], 3: [1, 1500], 4: [1, 150] });
    expect(dashboard.toolUsage.map((tool) => [tool.name, tool.count, tool.category])).toEqual([
      ["Read", 15, "explorer"],
      ["exec_command", 4, "automator"],
      ["apply_patch", 3, "refactorer"],
      ["Edit", 2, "refactorer"],
      ["Bash", 1, "automator"],
    ]);
    expect(dashboard.codingStyle).toMatchObject({
      style: "explorer",
      scores: { explorer: 60, creator: 0, refactorer: 20, automator: 20 },
      linesAdded: 45,
      linesDeleted: 30,
    });
    expect(dashboard.codeMetrics).toEqual({ linesAdded: 45, linesDeleted: 30, filesModified: 2, filesCreated: 1 });
    expect(dashboard.sessionSummary).toEqual({ sessions: 4, durationSeconds: 7200, turns: 10 });
    expect(dashboard.tokenTimeline).toHaveLength(90);
    expect(dashboard.tokenTimeline.at(-1)).toEqual({
      date: "2026-03-11",
      inputTokens: 1000,
      outputTokens: 500,
      cacheCreationTokens: 100,
      cacheReadTokens: 200,
      reasoningTokens: 0,
      sessions: 1,
    });
    expect(dashboard.recentSessions.map((session) => [session.toolType, session.inputTokens])).toEqual([
      ["claude-code", 1000],
      ["codex", 2000],
      ["claude-code", 300],
      ["claude-code", 100],
    ]);
    expect(dashboard.recentSessions[0]).toMatchObject({ linesAdded: 40, linesDeleted: 10, durationSeconds: 1800 });
    expect(dashboard.evaluations.map((entry) => [entry.projectName, entry.finalScore, entry.passed])).toEqual([
      ["second", 40, false],
      ["first", 70, true],
    ]);
    // Two ranked users: erin's 200k tokens put her first of all time.
    expect(dashboard.rankings.allTime).toMatchObject({ position: 2, totalParticipants: 2 });
    expect(dashboard.account.username).toBe("dana");
  });
});

describe("getDashboard in the user's time zone", () => {
  it("buckets days, hours and weekdays in Asia/Seoul", async () => {
    const dashboard = await getDashboard(test.ctx, danaId, { timezone: "Asia/Seoul" });
    expect(dashboard.today).toBe("2026-03-11");
    const active = dashboard.heatmap.filter((day) => day.level > 0);
    // s2 ended 23:30 UTC on the 10th = 08:30 on the 11th in Seoul; the old day comes from its daily row.
    expect(active.map((day) => [day.date, day.tokens, day.sessions])).toEqual([
      ["2025-06-01", 700, 2],
      ["2026-03-05", 150, 1],
      ["2026-03-09", 600, 1],
      ["2026-03-11", 4500, 2],
    ]);
    expect(dashboard.streak).toEqual({ current: 1, longest: 1 });
    const hours = Object.fromEntries(dashboard.hourly.filter((h) => h.sessions > 0).map((h) => [h.hour, h.tokens]));
    expect(hours).toEqual({ 7: 3000, 16: 150, 18: 1500, 22: 600 });
    const weekdays = Object.fromEntries(
      dashboard.weekday.filter((d) => d.sessions > 0).map((d) => [d.weekday, [d.sessions, d.tokens]]),
    );
    expect(weekdays).toEqual({ 1: [1, 600], 3: [2, 4500], 4: [1, 150] });
  });

  it("uses the account's time zone by default and ignores an unknown one", async () => {
    await test.ctx.db.update(users).set({ timezone: "Asia/Seoul" }).where(eq(users.id, danaId));
    expect((await getDashboard(test.ctx, danaId)).timezone).toBe("Asia/Seoul");
    expect((await getDashboard(test.ctx, danaId, { timezone: "Mars/Olympus" })).timezone).toBe("Asia/Seoul");
    // A stored zone neither Intl nor the database knows (set behind the service's back) falls back to UTC.
    await test.ctx.db.update(users).set({ timezone: "Mars/Olympus" }).where(eq(users.id, danaId));
    expect((await getDashboard(test.ctx, danaId)).timezone).toBe("UTC");
    await test.ctx.db.update(users).set({ timezone: "UTC" }).where(eq(users.id, danaId));
  });
});

describe("listSessionPage", () => {
  it("pages through the sessions newest first with an opaque cursor", async () => {
    const first = await listSessionPage(test.ctx, danaId, { limit: 3 });
    expect(first.sessions.map((session) => session.inputTokens)).toEqual([1000, 2000, 300]);
    const second = await listSessionPage(test.ctx, danaId, { limit: 3, cursor: first.nextCursor! });
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.sessions.map((session) => session.inputTokens)).toEqual([100]);
    const garbage = await listSessionPage(test.ctx, danaId, { limit: 3, cursor: "not-a-cursor" });
    expect(garbage.sessions).toHaveLength(3);
  });
});

describe("getProfileAnalytics", () => {
  it("returns the shared charts of a public user and 404 in privacy mode", async () => {
    const analytics = await getProfileAnalytics(test.ctx, "DANA");
    expect(analytics.heatmap.filter((day) => day.level > 0)).toHaveLength(5);
    expect(analytics.codingStyle.style).toBe("explorer");
    expect(analytics).not.toHaveProperty("summary");
    expect(analytics).not.toHaveProperty("recentSessions");
    await test.ctx.db.update(users).set({ privacyMode: true }).where(eq(users.id, danaId));
    await expect(getProfileAnalytics(test.ctx, "dana")).rejects.toBeInstanceOf(ServiceError);
    await expect(getProfileAnalytics(test.ctx, "nobody")).rejects.toMatchObject({ code: "not_found" });
    await test.ctx.db.update(users).set({ privacyMode: false }).where(eq(users.id, danaId));
  });
});

describe("getGlobalStats", () => {
  it("counts users, all-time tokens and today's sessions", async () => {
    expect(await getGlobalStats(test.ctx)).toEqual({
      users: 2,
      activeUsersToday: 2,
      totalTokens: 5250 + 200_000,
      totalSessions: 5,
      sessionsToday: 2,
      tokensToday: 1500 + 200_000,
      day: "2026-03-11",
    });
  });
});
