import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApiClient } from "../../src/api/client";
import { loadCollectorState, saveCollectorState } from "../../src/state/collector-state";
import { tryAcquireLock } from "../../src/state/lock";
import { getStatePaths, type StatePaths } from "../../src/state/paths";
import { enqueueSessions, listQueue } from "../../src/state/queue";
import { loadSyncStatus } from "../../src/state/sync-status";
import { runSync, type SyncContext } from "../../src/sync/run-sync";
import { chunkForUpload } from "../../src/sync/upload-queue";
import { getClosedPortUrl } from "../helpers/closed-port";
import { createFakeCollector } from "../helpers/fake-collector";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";

describe("sync: collect, queue, persist, upload", () => {
  let home: string;
  let paths: StatePaths;
  let fake: ReturnType<typeof createFakeCollector>;
  let context: SyncContext;
  const now = new Date("2026-11-20T10:00:00.000Z");

  beforeEach(async () => {
    const unreachable = await getClosedPortUrl();
    home = createTempHome();
    paths = getStatePaths(home);
    mkdirSync(paths.dir);
    fake = createFakeCollector();
    context = {
      paths,
      environment: { home, env: {}, platform: "linux", now },
      collectors: [fake.collector],
      client: createApiClient({
        serverUrl: unreachable,
        apiKey: `modu_arena_AAAAAAAA_${"a".repeat(32)}`,
        fetch,
        now: () => now,
      }),
      now: () => now,
      respectBackoff: true,
    };
  });
  afterEach(() => removeTempHome(home));

  it("keeps everything queued when the server cannot be reached, and backs off", async () => {
    fake.grow("s1", 10);
    fake.grow("s2", 20);
    const report = await runSync(context);
    expect(report.upload?.error?.status).toBe(0);
    expect(report.queued).toBe(2);
    expect(loadCollectorState(paths, "claude-code")).toEqual({ version: 2 });
    const status = loadSyncStatus(paths);
    expect(status.consecutiveFailures).toBe(1);
    expect(status.nextAttemptAt).toBe("2026-11-20T10:00:30.000Z");
    // An automatic run inside the backoff window does not even try.
    fake.grow("s1", 5);
    const second = await runSync(context);
    expect(second.uploadSkipped).toMatch(/backing off/);
    expect(
      listQueue(paths)
        .map((item) => item.entry.payload.inputTokens)
        .sort(),
    ).toEqual([15, 20]);
  });

  it("a crash after queueing but before saving the cursors re-queues the same totals, not more", async () => {
    fake.grow("s1", 10);
    // Step 1 of a sync that dies right after it: the sessions are queued, the cursor is not saved.
    const first = await fake.collector.collect(context.environment, undefined);
    await enqueueSessions(paths, first.sessions, now);
    await runSync(context);
    expect(listQueue(paths).map((item) => item.entry.payload.inputTokens)).toEqual([10]);
  });

  it("a crash after saving the cursors but before the upload loses nothing: the queue still has it", async () => {
    fake.grow("s1", 10);
    const first = await fake.collector.collect(context.environment, undefined);
    await enqueueSessions(paths, first.sessions, now);
    saveCollectorState(paths, "claude-code", first.state, now);
    const report = await runSync(context);
    expect(report.tools[0]?.sessions).toBe(0);
    expect(listQueue(paths).map((item) => item.entry.payload.inputTokens)).toEqual([10]);
  });

  it("a sync that finds another one running leaves it a note to run once more", async () => {
    const lock = tryAcquireLock(paths.lock, now)!;
    fake.grow("s1", 10);
    expect((await runSync(context)).busy).toBe(true);
    expect(JSON.parse(readFileSync(paths.pending, "utf8"))).toEqual(["claude-code"]);
    lock.release();
    const report = await runSync(context);
    // The note is consumed by the next holder: one normal round plus one re-run.
    expect(report.tools).toHaveLength(2);
  });

  it("a note left by another tool's sync is served by the lock holder with that tool's collector", async () => {
    const codex = createFakeCollector("codex");
    codex.grow("c1", 7);
    const lock = tryAcquireLock(paths.lock, now)!;
    expect((await runSync({ ...context, collectors: [codex.collector] })).busy).toBe(true);
    lock.release();
    const report = await runSync({ ...context, availableCollectors: [fake.collector, codex.collector] });
    expect(report.tools.map((tool) => tool.tool)).toEqual(["claude-code", "codex"]);
    expect(listQueue(paths).map((item) => item.entry.sessionId)).toEqual(["c1"]);
  });

  it("a note written during the holder's round is served in the same run", async () => {
    fake.grow("s1", 3);
    const codex = createFakeCollector("codex");
    codex.grow("c1", 7);
    // The note lands while the holder is in its last round (here: written by its own collector).
    const sneaky = {
      ...fake.collector,
      collect: async (...args: Parameters<typeof fake.collector.collect>) => {
        writeFileSync(paths.pending, JSON.stringify(["codex"]));
        return fake.collector.collect(...args);
      },
    };
    const report = await runSync({ ...context, collectors: [sneaky], availableCollectors: [sneaky, codex.collector] });
    expect(report.tools.map((tool) => tool.tool)).toContain("codex");
    expect(existsSync(paths.pending)).toBe(false);
  });

  it("a hook's hint reaches its own round only: a round run for another sync's note gets none", async () => {
    const hints: (readonly string[] | undefined)[] = [];
    const recording = {
      ...fake.collector,
      collect: async (...args: Parameters<typeof fake.collector.collect>) => {
        hints.push(args[0].changedFiles);
        // Another hook fires meanwhile and leaves a note for the same tool.
        if (hints.length === 1) writeFileSync(paths.pending, JSON.stringify(["claude-code"]));
        return fake.collector.collect(...args);
      },
    };
    const hinted = { ...context.environment, changedFiles: ["/home/ana/.claude/projects/-p/s.jsonl"] };
    await runSync({ ...context, environment: hinted, collectors: [recording], availableCollectors: [recording] });
    expect(hints).toEqual([["/home/ana/.claude/projects/-p/s.jsonl"], undefined]);
  });

  it("a corrupt cursor file means a full re-read, which is safe because totals are cumulative", async () => {
    fake.grow("s1", 10);
    await runSync(context);
    writeFileSync(join(paths.collectorStateDir, "claude-code.json"), "{ torn");
    await runSync({ ...context, respectBackoff: false });
    expect(listQueue(paths).map((item) => item.entry.payload.inputTokens)).toEqual([10]);
  });

  it("does nothing, and creates nothing, when not installed (or uninstalled meanwhile)", async () => {
    rmSync(paths.dir, { recursive: true });
    fake.grow("s1", 10);
    expect((await runSync(context)).uploadSkipped).toBe("not installed");
    expect(existsSync(paths.dir)).toBe(false);
  });

  it("splits uploads into requests of at most 100 sessions", () => {
    for (let index = 0; index < 250; index += 1) fake.grow(`s${index}`, 1);
    return fake.collector.collect(context.environment, undefined).then(async (result) => {
      await enqueueSessions(paths, result.sessions, now);
      expect(chunkForUpload(listQueue(paths)).map((chunk) => chunk.length)).toEqual([100, 100, 50]);
    });
  });
});
