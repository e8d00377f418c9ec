import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDashboard } from "../src/services/dashboard/get-dashboard";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { exportUserData } from "../src/services/takeout/export-user-data";
import { exportToCsv } from "../src/services/takeout/to-csv";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

let test: TestContext;
let userId = "";

beforeAll(async () => {
  test = await createTestContext({ now: new Date("2026-03-11T12:00:00.000Z") });
  userId = (await createUser(test.ctx, { username: "reasoner" })).id;
  await ingestSessions(
    test.ctx,
    userId,
    [
      makeSession({ sessionId: "r1", endedAt: "2026-03-10T09:30:00Z", startedAt: undefined, reasoningTokens: 1200 }),
      makeSession({ sessionId: "r2", endedAt: "2026-03-11T09:30:00Z", reasoningTokens: 700 }),
      makeSession({ sessionId: "r3", endedAt: "2026-03-11T10:30:00Z", toolType: "codex" }),
    ],
    {},
    "batch",
  );
});
afterAll(async () => test.close());

describe("reasoning tokens in what the user sees", () => {
  it("the dashboard gives the all-time total and each day's figure", async () => {
    const dashboard = await getDashboard(test.ctx, userId, { timezone: "UTC" });
    expect(dashboard.totals.reasoningTokens).toBe(1900);
    const days = Object.fromEntries(dashboard.tokenTimeline.map((day) => [day.date, day.reasoningTokens]));
    expect(days["2026-03-10"]).toBe(1200);
    expect(days["2026-03-11"]).toBe(700);
    expect(days["2026-03-09"]).toBe(0);
    expect(dashboard.recentSessions.map((session) => session.reasoningTokens)).toEqual([0, 700, 1200]);
  });

  it("the takeout carries them per session and per day, in JSON and in CSV", async () => {
    const data = await exportUserData(test.ctx, userId);
    expect(data.sessions.map((session) => session.reasoningTokens)).toEqual([1200, 700, 0]);
    expect(data.dailyStats.map((day) => [day.date, day.reasoningTokens])).toEqual([
      ["2026-03-10", 1200],
      ["2026-03-11", 700],
    ]);
    const column = (csv: string) => {
      const [header, ...rows] = csv.trim().split("\r\n");
      const index = header!.split(",").indexOf("reasoning_tokens");
      expect(index).toBeGreaterThan(-1);
      return rows.map((row) => row.split(",").at(index - header!.split(",").length));
    };
    expect(column(exportToCsv(data, "sessions"))).toEqual(["1200", "700", "0"]);
    expect(column(exportToCsv(data, "daily"))).toEqual(["1200", "700"]);
  });
});
