import { describe, expect, it } from "vitest";
import { claudeCodeCollector } from "../../src/collectors/claude-code";
import type { ClaudeState } from "../../src/collectors/claude-scan";
import { PROJECT, SID, SID_B, tokensOf, useClaudeFixture } from "../fixtures/claude-home";
import { assistantLine } from "../fixtures/claude-records";
import { appendText, toJsonl, writeText } from "../fixtures/fixture-home";

const { fixture, collect, transcript } = useClaudeFixture();

describe("claude-code collector, incremental runs", () => {
  it("skips and counts malformed lines, leaves a truncated last line for the next run", async () => {
    const call = (id: string, second: number, output: number) =>
      assistantLine({
        sessionId: SID,
        messageId: id,
        timestamp: `2026-03-02T10:00:0${second}.000Z`,
        usage: { input: 1, output },
      });
    const complete = JSON.stringify(call("msg_3", 3, 300));
    const path = transcript(SID);
    writeText(
      path,
      `${toJsonl([call("msg_1", 1, 100), '{"type":"assistant","message":{"usage":{"input_tokens":5', call("msg_2", 2, 200)])}${complete.slice(0, 40)}`,
    );
    const first = await collect();
    expect(first.malformedLines).toBe(1);
    expect(tokensOf(first.sessions[0]!)).toEqual([2, 300, 0, 0]);
    appendText(path, `${complete.slice(40)}\n`);
    const second = await collect(first.state);
    expect(second.malformedLines).toBe(0);
    expect(tokensOf(second.sessions[0]!)).toEqual([3, 600, 0, 0]);
    expect(second.records.map((record) => record.outputTokens)).toEqual([300]);
  });

  it("continues cumulative totals incrementally and returns only touched sessions", async () => {
    writeText(
      transcript(SID),
      toJsonl([
        assistantLine({
          sessionId: SID,
          messageId: "m1",
          timestamp: "2026-03-02T10:00:00.000Z",
          usage: { input: 10, output: 1 },
        }),
      ]),
    );
    writeText(
      transcript(SID_B),
      toJsonl([
        assistantLine({
          sessionId: SID_B,
          messageId: "m2",
          timestamp: "2026-03-02T11:00:00.000Z",
          usage: { input: 20, output: 2 },
        }),
      ]),
    );
    const first = await collect();
    expect(first.sessions).toHaveLength(2);
    expect((await collect(first.state)).sessions).toEqual([]);
    // placeholder of m1 re-logged with its final numbers, plus a new call: the totals stay cumulative
    appendText(
      transcript(SID),
      toJsonl([
        assistantLine({
          sessionId: SID,
          messageId: "m1",
          timestamp: "2026-03-02T10:00:01.000Z",
          usage: { input: 10, output: 50 },
        }),
        assistantLine({
          sessionId: SID,
          messageId: "m3",
          timestamp: "2026-03-02T10:05:00.000Z",
          usage: { input: 5, output: 5, cacheRead: 7 },
        }),
      ]),
    );
    const second = await collect(first.state);
    expect(second.filesRead).toBe(1);
    expect(second.sessions.map((session) => session.sessionId)).toEqual([SID]);
    expect(tokensOf(second.sessions[0]!)).toEqual([15, 55, 0, 7]);
  });

  it("restarts a file rewritten smaller or in place without counting anything twice", async () => {
    const lines = [
      assistantLine({
        sessionId: SID,
        messageId: "m1",
        timestamp: "2026-03-02T10:00:00.000Z",
        usage: { input: 10, output: 1 },
      }),
      assistantLine({
        sessionId: SID,
        messageId: "m2",
        timestamp: "2026-03-02T10:00:01.000Z",
        usage: { input: 20, output: 2 },
      }),
    ];
    writeText(transcript(SID), toJsonl(lines));
    const first = await collect();
    expect(tokensOf(first.sessions[0]!)).toEqual([30, 3, 0, 0]);
    // rewritten smaller (compaction by some tool): only m1 remains, plus a new call m3
    writeText(transcript(SID), toJsonl([lines[0]!]));
    const second = await collect(first.state);
    expect(tokensOf(second.sessions[0]!)).toEqual([30, 3, 0, 0]);
    const m3 = assistantLine({
      sessionId: SID,
      messageId: "m3",
      timestamp: "2026-03-02T10:00:02.000Z",
      usage: { input: 4, output: 4 },
    });
    // rewritten in place to a larger size: the old tail no longer matches, so it is read from 0 again
    writeText(transcript(SID), toJsonl([lines[1]!, lines[0]!, m3]));
    const third = await collect(second.state);
    expect(tokensOf(third.sessions[0]!)).toEqual([34, 7, 0, 0]);
  });

  it("honours CLAUDE_CONFIG_DIR and reads the XDG root next to ~/.claude", async () => {
    const line = (sessionId: string, id: string) =>
      assistantLine({
        sessionId,
        messageId: id,
        timestamp: "2026-03-02T10:00:00.000Z",
        usage: { input: 1, output: 1 },
      });
    writeText(fixture.path(".config", "claude", "projects", PROJECT, `${SID}.jsonl`), toJsonl([line(SID, "x1")]));
    writeText(transcript(SID_B), toJsonl([line(SID_B, "x2")]));
    writeText(fixture.path("custom", "projects", PROJECT, "abc.jsonl"), toJsonl([line("abc", "x3")]));
    const defaults = await collect();
    expect(defaults.sessions.map((session) => session.sessionId).sort()).toEqual([SID, SID_B].sort());
    const custom = await collect(undefined, { CLAUDE_CONFIG_DIR: fixture.path("custom") });
    expect(custom.sessions.map((session) => session.sessionId)).toEqual(["abc"]);
    expect(claudeCodeCollector.detect(fixture.environment({ CLAUDE_CONFIG_DIR: fixture.path("nowhere") }))).toBe(false);
    expect(claudeCodeCollector.detect(fixture.environment())).toBe(true);
  });

  it("ignores a state of another version and rescans (totals stay cumulative)", async () => {
    writeText(
      transcript(SID),
      toJsonl([
        assistantLine({
          sessionId: SID,
          messageId: "m1",
          timestamp: "2026-03-02T10:00:00.000Z",
          usage: { input: 4, output: 2 },
        }),
      ]),
    );
    const stale = { version: 1, files: {}, calls: {}, seen: {}, sessions: {} } as unknown as ClaudeState;
    const result = await claudeCodeCollector.collect(fixture.environment(), stale);
    expect(tokensOf(result.sessions[0]!)).toEqual([4, 2, 0, 0]);
    expect(result.state.version).toBe(4);
  });
});
