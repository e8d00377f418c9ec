import { mkdirSync } from "node:fs";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getStatePaths } from "../../src/state/paths";
import { enqueueSessions, listQueue } from "../../src/state/queue";
import { loadSyncStatus } from "../../src/state/sync-status";
import { ensureCliBuilt } from "../helpers/build-cli";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";
import { runCli } from "../helpers/run-cli";

const USERNAME = "finn_e2e";

describe("a rate-limited server (429 with Retry-After), end to end", () => {
  let server: RunningApiServer;
  let apiKey: string;
  let home: string;

  beforeAll(async () => {
    ensureCliBuilt();
    // Three signed requests a minute: verify, then two batches of 100; the third batch is refused.
    server = await startApiServer({ env: { RATE_LIMIT_API_PER_MIN: "3" } });
    ({ apiKey } = await server.createUser(USERNAME));
    home = createTempHome("modu-e2e-429-");
    mkdirSync(`${home}/.claude`, { recursive: true });
  });

  afterAll(async () => {
    await server?.close();
    if (home) removeTempHome(home);
  });

  it("keeps what was refused, waits as long as the server said, and never counts twice", async () => {
    expect(
      (await runCli(["install", "--api-key", apiKey, "--server", server.url, "--no-backfill"], { home })).code,
    ).toBe(0);
    const paths = getStatePaths(home);
    const sessions = Array.from({ length: 250 }, (_, index) => ({
      toolType: "codex" as const,
      sessionId: `rate-${index}`,
      endedAt: "2026-11-20T10:00:00.000Z",
      inputTokens: 10,
      outputTokens: 1,
    }));
    await enqueueSessions(paths, sessions, new Date());
    const started = Date.now();
    const result = await runCli(["sync"], { home });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/error: the server answered 429: .*; 50 session\(s\) kept in the queue\nhint: /);
    expect(listQueue(paths)).toHaveLength(50);
    expect(await server.getUserTotals(USERNAME)).toMatchObject({ inputTokens: 2000, totalSessions: 200 });
    const status = loadSyncStatus(paths);
    const waitSeconds = (Date.parse(status.nextAttemptAt!) - started) / 1000;
    // The server's Retry-After (the rest of its one-minute window), not the 30 s default backoff.
    expect(waitSeconds).toBeGreaterThan(30);
    expect(waitSeconds).toBeLessThanOrEqual(62);
    // A hook-started sync inside that window does not knock again.
    const automatic = await runCli(["sync", "--from-hook", "--json"], { home });
    expect(JSON.parse(automatic.stdout).uploadSkipped).toMatch(/^backing off until /);
    expect(listQueue(paths)).toHaveLength(50);
    expect(await server.getUserTotals(USERNAME)).toMatchObject({ inputTokens: 2000, totalSessions: 200 });
  });
});
