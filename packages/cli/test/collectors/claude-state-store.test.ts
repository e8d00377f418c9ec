import { appendFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { claudeCodeCollector } from "../../src/collectors/claude-code";
import type { ClaudeState } from "../../src/collectors/claude-scan";
import {
  countLoadedShards,
  loadClaudeState,
  loadWholeClaudeState,
  saveClaudeState,
} from "../../src/collectors/claude-state-store";
import { writeMixedClaudeHome } from "../e2e/claude-home";
import { assistantLine, promptLine } from "../fixtures/claude-records";
import { createFixtureHome, type FixtureHome, roundTrip } from "../fixtures/fixture-home";

/** A kill between two writes of a save: the countdown-th atomic write (and every later one) never happens. */
const kill = vi.hoisted(() => ({ countdown: Number.POSITIVE_INFINITY }));
vi.mock("../../src/state/atomic-file", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/state/atomic-file")>();
  return {
    ...actual,
    writeFileAtomic: (path: string, content: string | Uint8Array, mode?: number) => {
      if (kill.countdown-- <= 0) {
        // What a kill inside the write leaves: a torn temp file beside the target.
        writeFileSync(`${path}.4242.dead.tmp`, content.slice(0, 7));
        throw new Error("killed");
      }
      actual.writeFileAtomic(path, content, mode);
    },
  };
});

const NOW = new Date("2026-11-21T00:00:00.000Z");
const SESSIONS = 30;
let fixture: FixtureHome;
let stateDir: string;
beforeEach(() => {
  fixture = createFixtureHome();
  stateDir = fixture.path(".modu-arena", "state");
  writeMixedClaudeHome(fixture.home, SESSIONS);
  kill.countdown = Number.POSITIVE_INFINITY;
});
afterEach(() => fixture.remove());

const collect = (previous: ClaudeState | undefined) => claudeCodeCollector.collect(fixture.environment(), previous);

/** Everything a saved state holds, every shard loaded, as plain data. */
function readWholeState(): ClaudeState {
  const state = loadClaudeState(stateDir, "claude-code")!;
  loadWholeClaudeState(state);
  return roundTrip(state);
}

/** A new session that resumes session 4: copies of its calls (one grown, one as a sidechain), plus its own. */
function addResumingSession(): void {
  const resumed = "77777777-0000-4000-8000-000000000004";
  const sessionId = "88888888-0000-4000-8000-000000000001";
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 1, minute)).toISOString();
  const call = (messageId: string, output: number, extra: Partial<Parameters<typeof assistantLine>[0]> = {}) =>
    JSON.stringify(assistantLine({ sessionId, messageId, timestamp: at(1), usage: { input: 3, output }, ...extra }));
  const lines = [
    JSON.stringify(promptLine(sessionId, at(0))),
    call("msg_4_0", 500, { sessionId: resumed }),
    call("msg_4_1", 1, { sessionId: resumed, isSidechain: true }),
    call("msg_new_1", 42),
  ];
  const path = fixture.path(".claude", "projects", "-home-ana-src-p0", `${sessionId}.jsonl`);
  writeFileSync(path, `${lines.join("\n")}\n`);
}

describe("claude state, split into shards", () => {
  it("an incremental run loads only the shards it touches and ends exactly where the whole state does", async () => {
    const first = await collect(undefined);
    const whole = roundTrip(first.state);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    expect(readWholeState()).toEqual(whole);

    addResumingSession();
    const expected = await collect(whole);
    const partial = loadClaudeState(stateDir, "claude-code")!;
    expect(Object.keys(partial.calls)).toHaveLength(0);
    const result = await collect(partial);
    expect(result.sessions).toEqual(expected.sessions);
    expect(result.sessions.map((session) => session.sessionId).sort()).toEqual([
      "77777777-0000-4000-8000-000000000004",
      "88888888-0000-4000-8000-000000000001",
    ]);
    expect(countLoadedShards(result.state)).toBeLessThanOrEqual(3);
    saveClaudeState(stateDir, "claude-code", result.state, NOW);
    expect(readWholeState()).toEqual(roundTrip(expected.state));

    // And the run after that, on a state saved from a partial one.
    appendFileSync(
      fixture.path(".claude", "projects", "-home-ana-src-p0", "88888888-0000-4000-8000-000000000001.jsonl"),
      `${JSON.stringify(assistantLine({ sessionId: "88888888-0000-4000-8000-000000000001", messageId: "msg_4_0", timestamp: "2026-11-21T02:00:00.000Z", usage: { input: 3, output: 900 } }))}\n`,
    );
    const expectedNext = await collect(roundTrip(expected.state));
    const next = await collect(loadClaudeState(stateDir, "claude-code"));
    expect(next.sessions).toEqual(expectedNext.sessions);
  });

  it("upgrades a single-file state of an earlier version without reading anything twice", async () => {
    const first = await collect(undefined);
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(
      join(stateDir, "claude-code.json"),
      JSON.stringify({ savedAt: NOW.toISOString(), state: roundTrip(first.state) }, null, 2),
    );
    const loaded = loadClaudeState(stateDir, "claude-code")!;
    expect(countLoadedShards(loaded)).toBe("all");
    const again = await collect(loaded);
    expect(again.sessions).toEqual([]);
    saveClaudeState(stateDir, "claude-code", again.state, NOW);
    expect(readWholeState()).toEqual(roundTrip(first.state));
    addResumingSession();
    expect((await collect(loadClaudeState(stateDir, "claude-code"))).sessions).toEqual(
      (await collect(roundTrip(first.state))).sessions,
    );
  });

  it("a kill at any write of a save leaves the previous state or the next one, never a mix", async () => {
    const first = await collect(undefined);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    const before = readWholeState();
    addResumingSession();
    const after = roundTrip((await collect(roundTrip(first.state))).state);
    for (let writes = 0; ; writes++) {
      const result = await collect(loadClaudeState(stateDir, "claude-code"));
      kill.countdown = writes;
      let killed = false;
      try {
        saveClaudeState(stateDir, "claude-code", result.state, NOW);
      } catch {
        killed = true;
      }
      kill.countdown = Number.POSITIVE_INFINITY;
      if (!killed) {
        expect(readWholeState()).toEqual(after);
        break;
      }
      expect(readWholeState()).toEqual(before);
    }
    // Torn temp files and orphaned shards of the killed saves are gone after the next complete save.
    const files = readdirSync(join(stateDir, "claude-code"));
    expect(files.filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(files.filter((name) => name.startsWith("index-"))).toHaveLength(1);
  });

  it("a missing or unreadable shard means a full re-read, never a partial count", async () => {
    const first = await collect(undefined);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    addResumingSession();
    const dir = join(stateDir, "claude-code");
    const shards = readdirSync(dir).filter((name) => name.startsWith("shard-"));
    for (const shard of shards) writeFileSync(join(dir, shard), "{ torn");
    expect((await collect(loadClaudeState(stateDir, "claude-code"))).sessions).toHaveLength(SESSIONS + 1);
    rmSync(join(dir, shards[0]!));
    expect(loadClaudeState(stateDir, "claude-code")).toBeUndefined();
  });
});
