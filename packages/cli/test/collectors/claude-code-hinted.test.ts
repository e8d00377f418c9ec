import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { claudeCodeCollector } from "../../src/collectors/claude-code";
import { type ClaudeState, FULL_LISTING_EVERY_MS } from "../../src/collectors/claude-scan";
import type { CollectEnvironment } from "../../src/collectors/types";
import { SID, SID_B, tokensOf, useClaudeFixture } from "../fixtures/claude-home";
import { assistantLine } from "../fixtures/claude-records";
import { appendText, persistState, toJsonl, writeText } from "../fixtures/fixture-home";

const { fixture, transcript } = useClaudeFixture();

const START = Date.parse("2026-06-01T00:00:00.000Z");
const minutesLater = (minutes: number) => new Date(START + minutes * 60_000);

/** One run as a sync makes it: the state saved and loaded in between, the clock and hint as given. */
function run(previous: ClaudeState | undefined, extra: Partial<CollectEnvironment>) {
  const state = previous && persistState(claudeCodeCollector, previous);
  return claudeCodeCollector.collect(fixture.environment({}, extra), state);
}

const call = (sessionId: string, messageId: string, input: number, output: number, isSidechain = false) =>
  assistantLine({ sessionId, messageId, timestamp: "2026-06-01T00:00:00.000Z", usage: { input, output }, isSidechain });

const subagentTranscript = (sessionId: string) =>
  join(dirname(transcript(sessionId)), sessionId, "subagents", "agent-a1b2.jsonl");

/** Two sessions read once (a full listing at START), then both grown, and a subagent added to B. */
async function twoSessionsGrown() {
  writeText(transcript(SID), toJsonl([call(SID, "a1", 10, 1)]));
  writeText(transcript(SID_B), toJsonl([call(SID_B, "b1", 20, 2)]));
  const first = await run(undefined, { now: minutesLater(0) });
  expect(first.sessions).toHaveLength(2);
  expect(first.state.listedAllAtMs).toBe(START);
  appendText(transcript(SID), toJsonl([call(SID, "a2", 5, 5)]));
  appendText(transcript(SID_B), toJsonl([call(SID_B, "b2", 7, 7)]));
  writeText(subagentTranscript(SID_B), toJsonl([call(SID_B, "s1", 3, 3, true)]));
  return first;
}

const totalsBySession = (sessions: { sessionId: string; inputTokens: number; outputTokens: number }[]) =>
  Object.fromEntries(sessions.map((session) => [session.sessionId, tokensOf(session)]));

describe("claude-code collector, a hook's hint of the transcript that grew", () => {
  it("reads only the named session and its subagents; the next full listing reads the rest", async () => {
    const first = await twoSessionsGrown();
    const hinted = await run(first.state, { now: minutesLater(1), changedFiles: [transcript(SID_B)] });
    expect(hinted.filesRead).toBe(2);
    expect(totalsBySession(hinted.sessions)).toEqual({ [SID_B]: [30, 12, 0, 0] });
    // A was not looked at: its cursor is the first run's, and the listing time did not move.
    expect(hinted.state.files[transcript(SID)]).toEqual(first.state.files[transcript(SID)]);
    expect(hinted.state.listedAllAtMs).toBe(START);

    const full = await run(hinted.state, { now: minutesLater(2) });
    expect(totalsBySession(full.sessions)).toEqual({ [SID]: [15, 6, 0, 0] });
    expect(full.state.listedAllAtMs).toBe(minutesLater(2).getTime());
    // Hinted then full ends where one full run from nothing does.
    const fromScratch = await run(undefined, { now: minutesLater(3) });
    expect(totalsBySession(fromScratch.sessions)).toEqual({ [SID]: [15, 6, 0, 0], [SID_B]: [30, 12, 0, 0] });
  });

  it("is not used once the last full listing is too old: everything is listed again", async () => {
    const first = await twoSessionsGrown();
    const late = minutesLater(FULL_LISTING_EVERY_MS / 60_000 + 1);
    const result = await run(first.state, { now: late, changedFiles: [transcript(SID_B)] });
    expect(totalsBySession(result.sessions)).toEqual({ [SID]: [15, 6, 0, 0], [SID_B]: [30, 12, 0, 0] });
    expect(result.state.listedAllAtMs).toBe(late.getTime());
  });

  it("is not used when it names no session transcript of this home (everything is listed)", async () => {
    const first = await twoSessionsGrown();
    const everything = { [SID]: [15, 6, 0, 0], [SID_B]: [30, 12, 0, 0] };
    for (const hint of [
      subagentTranscript(SID_B),
      join(fixture.home, "elsewhere", "projects", "-p", `${SID_B}.jsonl`),
      join(dirname(transcript(SID)), "notes.txt"),
    ]) {
      const result = await run(first.state, { now: minutesLater(1), changedFiles: [hint] });
      expect(totalsBySession(result.sessions)).toEqual(everything);
    }
  });

  it("a state that never listed everything ignores the hint", async () => {
    writeText(transcript(SID), toJsonl([call(SID, "a1", 10, 1)]));
    writeText(transcript(SID_B), toJsonl([call(SID_B, "b1", 20, 2)]));
    const first = await run(undefined, { now: minutesLater(0) });
    const older = { ...first.state, listedAllAtMs: undefined };
    appendText(transcript(SID), toJsonl([call(SID, "a2", 5, 5)]));
    const result = await run(older, { now: minutesLater(1), changedFiles: [transcript(SID_B)] });
    expect(totalsBySession(result.sessions)).toEqual({ [SID]: [15, 6, 0, 0] });
  });

  it("keeps the cursors of files it did not look at; only a full listing forgets a vanished file", async () => {
    const first = await twoSessionsGrown();
    rmSync(transcript(SID));
    const hinted = await run(first.state, { now: minutesLater(1), changedFiles: [transcript(SID_B)] });
    expect(Object.keys(hinted.state.files)).toContain(transcript(SID));
    const full = await run(hinted.state, { now: minutesLater(2) });
    expect(Object.keys(full.state.files)).not.toContain(transcript(SID));
  });
});
