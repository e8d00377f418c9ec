import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRecentSessions } from "../src/services/dashboard/queries/get-recent-sessions";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { exportUserData } from "../src/services/takeout/export-user-data";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

let test: TestContext;
let userId = "";

beforeAll(async () => {
  test = await createTestContext({ now: new Date("2026-03-11T12:00:00.000Z") });
  userId = (await createUser(test.ctx, { username: "erin" })).id;
  const sessions = [
    makeSession({
      sessionId: "e1",
      startedAt: "2026-03-11T09:00:00Z",
      endedAt: "2026-03-11T09:30:00Z",
      durationSeconds: 1800,
      turnCount: 12,
      reasoningTokens: 3000,
      toolUsage: { Read: 4, Edit: 1 },
      codeMetrics: { linesAdded: 40, linesDeleted: 10, filesModified: 2, filesCreated: 1 },
    }),
    // No metrics, no start: zeros and nulls, not NaN.
    makeSession({
      sessionId: "e2",
      toolType: "codex",
      modelName: undefined,
      startedAt: undefined,
      endedAt: "2026-03-11T10:00:00Z",
    }),
  ];
  await ingestSessions(test.ctx, userId, sessions, {}, "batch");
});
afterAll(async () => test.close());

describe("one session row shape for the dashboard table and the takeout", () => {
  const first = {
    toolType: "claude-code",
    modelName: "claude-sonnet-4-20250514",
    startedAt: "2026-03-11T09:00:00.000Z",
    endedAt: "2026-03-11T09:30:00.000Z",
    durationSeconds: 1800,
    turnCount: 12,
    inputTokens: 15000,
    outputTokens: 8000,
    cacheCreationTokens: 2000,
    cacheReadTokens: 5000,
    reasoningTokens: 3000,
    linesAdded: 40,
    linesDeleted: 10,
  };
  const second = {
    toolType: "codex",
    modelName: null,
    startedAt: null,
    endedAt: "2026-03-11T10:00:00.000Z",
    reasoningTokens: 0,
    linesAdded: 0,
    linesDeleted: 0,
  };

  it("gives the same numbers in both", async () => {
    const recent = await getRecentSessions(test.ctx, userId);
    const exported = (await exportUserData(test.ctx, userId)).sessions;
    expect(recent).toHaveLength(2);
    expect(recent.map(({ id, ...numbers }) => ({ id: typeof id, ...numbers }))).toEqual([
      expect.objectContaining({ id: "string", ...second }),
      { id: "string", ...first },
    ]);
    expect(exported).toEqual([
      { ...first, filesModified: 2, filesCreated: 1, toolUsage: { Read: 4, Edit: 1 } },
      expect.objectContaining({ ...second, filesModified: 0, filesCreated: 0, toolUsage: {} }),
    ]);
  });
});
