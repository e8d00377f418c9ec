import { describe, expect, it } from "vitest";
import { formatKey64, hashKey64 } from "../../src/collectors/key-table";
import { hashProjectPath } from "../../src/collectors/project-id";
import { PROJECT, SID, SID_B, tokensOf, useClaudeFixture } from "../fixtures/claude-home";
import { assistantLine, promptLine, toolResultLine, toolUse } from "../fixtures/claude-records";
import { appendText, toJsonl, writeText } from "../fixtures/fixture-home";

const { fixture, collect, transcript } = useClaudeFixture();

describe("claude-code collector", () => {
  it("counts a response split over several lines once, keeping the largest (placeholder) usage", async () => {
    const base = { sessionId: SID, messageId: "msg_A", requestId: "req_A" };
    writeText(
      transcript(SID),
      toJsonl([
        promptLine(SID, "2026-03-02T10:15:00.000Z"),
        // streaming placeholder first (pre-2.1.97), then the final numbers, then a later block repeating them
        assistantLine({ ...base, timestamp: "2026-03-02T10:15:04.000Z", usage: { input: 12, output: 1 } }),
        assistantLine({
          ...base,
          timestamp: "2026-03-02T10:15:05.000Z",
          usage: { input: 12, output: 310, cacheWrite: 2048, cacheRead: 18000 },
        }),
        assistantLine({
          ...base,
          timestamp: "2026-03-02T10:15:06.000Z",
          usage: { input: 12, output: 310, cacheWrite: 2048, cacheRead: 18000 },
        }),
      ]),
    );
    const result = await collect();
    expect(result.sessions).toHaveLength(1);
    const session = result.sessions[0]!;
    expect(tokensOf(session)).toEqual([12, 310, 2048, 18000]);
    expect(session.turnCount).toBe(1);
    expect(session.startedAt).toBe("2026-03-02T10:15:00.000Z");
    expect(session.endedAt).toBe("2026-03-02T10:15:06.000Z");
    expect(session.durationSeconds).toBe(6);
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({
      inputTokens: 12,
      outputTokens: 310,
      model: "claude-sonnet-4-5-20250929",
    });
  });

  it("keeps the largest copy even when it is not the first or the last line", async () => {
    const base = { sessionId: SID, messageId: "msg_A", requestId: "req_A" };
    writeText(
      transcript(SID),
      toJsonl([
        assistantLine({ ...base, timestamp: "2026-03-02T10:00:01.000Z", usage: { input: 5, output: 2 } }),
        assistantLine({ ...base, timestamp: "2026-03-02T10:00:02.000Z", usage: { input: 5, output: 900 } }),
        assistantLine({ ...base, timestamp: "2026-03-02T10:00:03.000Z", usage: { input: 5, output: 40 } }),
      ]),
    );
    const [session] = (await collect()).sessions;
    expect(tokensOf(session!)).toEqual([5, 900, 0, 0]);
  });

  it("dedupes a resumed session's copied history across files and attributes it to the first file", async () => {
    const shared = { messageId: "msg_1", requestId: "req_1", timestamp: "2026-03-02T10:00:00.000Z" };
    const usage = { input: 100, output: 50, cacheRead: 1000 };
    writeText(
      transcript(SID),
      toJsonl([assistantLine({ ...shared, sessionId: SID, usage })]),
      new Date("2026-03-02T10:00:00Z"),
    );
    writeText(
      transcript(SID_B),
      toJsonl([
        assistantLine({ ...shared, sessionId: SID_B, usage }),
        assistantLine({
          sessionId: SID_B,
          messageId: "msg_2",
          requestId: "req_2",
          timestamp: "2026-03-03T09:00:00.000Z",
          usage: { input: 7, output: 3 },
        }),
      ]),
      new Date("2026-03-03T09:00:00Z"),
    );
    const result = await collect();
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect(tokensOf(byId.get(SID)!)).toEqual([100, 50, 0, 1000]);
    expect(tokensOf(byId.get(SID_B)!)).toEqual([7, 3, 0, 0]);
  });

  it("drops a sidechain replay with a new requestId, whichever copy comes first", async () => {
    const first = {
      sessionId: SID,
      messageId: "msg_1",
      requestId: "req_1",
      timestamp: "2026-03-02T10:00:00.000Z",
      usage: { input: 10, output: 20 },
    };
    const second = {
      sessionId: SID_B,
      messageId: "msg_2",
      requestId: "req_2",
      timestamp: "2026-03-02T11:00:00.000Z",
      usage: { input: 1, output: 2 },
    };
    const aside = (line: typeof first) => ({
      ...line,
      sessionId: SID,
      requestId: `${line.requestId}_btw`,
      isSidechain: true,
    });
    // msg_1: main copy, then its /btw replay; msg_2: the replay (in SID's file) is read before the main copy
    writeText(
      transcript(SID),
      toJsonl([assistantLine(first), assistantLine(aside(first)), assistantLine(aside(second))]),
      new Date("2026-03-02T10:30:00Z"),
    );
    writeText(transcript(SID_B), toJsonl([assistantLine(second)]), new Date("2026-03-02T11:00:00Z"));
    const result = await collect();
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect(tokensOf(byId.get(SID)!)).toEqual([10, 20, 0, 0]);
    expect(tokensOf(byId.get(SID_B)!)).toEqual([1, 2, 0, 0]);
    // Local reports get the two main copies, once each (a full scan's records need no key).
    const recordsOf = (records: typeof result.records) =>
      records.map((record) => [record.sessionId, record.inputTokens, record.outputTokens, record.dedupKey]);
    expect(recordsOf(result.records).sort()).toEqual(
      [
        [SID, 10, 20, undefined],
        [SID_B, 1, 2, undefined],
      ].sort(),
    );
    // A continued run re-emits a grown call under its identity: the hashes of its message id and requestId.
    appendText(transcript(SID_B), toJsonl([assistantLine({ ...second, usage: { input: 1, output: 9 } })]));
    const grown = await collect(result.state);
    const hex = (text: string) => {
      const [high, low] = hashKey64(text);
      return formatKey64(high!, low!);
    };
    expect(recordsOf(grown.records)).toEqual([[SID_B, 1, 9, `${hex("msg_2")}:${hex("req_2")}`]]);
  });

  it("rolls subagent transcripts (new and old layout) into the parent session without double counting", async () => {
    const parentCall = {
      sessionId: SID,
      messageId: "msg_P",
      requestId: "req_P",
      timestamp: "2026-03-02T10:00:00.000Z",
      usage: { input: 100, output: 10 },
    };
    const agentCall = {
      sessionId: SID,
      messageId: "msg_S",
      requestId: "req_S",
      isSidechain: true,
      agentId: "a1",
      timestamp: "2026-03-02T10:01:00.000Z",
      usage: { input: 40, output: 4, cacheRead: 400 },
    };
    const oldAgentCall = {
      ...agentCall,
      messageId: "msg_O",
      requestId: "req_O",
      agentId: "a2",
      timestamp: "2026-03-02T10:02:00.000Z",
      usage: { input: 3, output: 1 },
    };
    // the subagent call is logged in the parent file too (CodexBar#646)
    writeText(transcript(SID), toJsonl([assistantLine(parentCall), assistantLine(agentCall)]));
    writeText(
      fixture.path(".claude", "projects", PROJECT, SID, "subagents", "agent-a1.jsonl"),
      toJsonl([assistantLine(agentCall)]),
    );
    writeText(
      fixture.path(".claude", "projects", PROJECT, SID, "subagents", "agent-a1.meta.json"),
      JSON.stringify({ agentType: "explore" }),
    );
    writeText(fixture.path(".claude", "projects", PROJECT, "agent-a2.jsonl"), toJsonl([assistantLine(oldAgentCall)]));
    // not transcripts: a workflow journal and tool results
    writeText(
      fixture.path(".claude", "projects", PROJECT, SID, "subagents", "workflows", "wf1", "journal.jsonl"),
      toJsonl([assistantLine({ ...parentCall, messageId: "msg_J" })]),
    );
    writeText(
      fixture.path(".claude", "projects", PROJECT, SID, "tool-results", "x.jsonl"),
      toJsonl([assistantLine({ ...parentCall, messageId: "msg_T" })]),
    );
    const result = await collect();
    expect(result.sessions.map((session) => session.sessionId)).toEqual([SID]);
    expect(tokensOf(result.sessions[0]!)).toEqual([100 + 40 + 3, 10 + 4 + 1, 0, 400]);
    expect(result.filesRead).toBe(3);
  });

  it("falls back to message.id scoped by session when requestId is missing", async () => {
    const gateway = { messageId: "gw-1", requestId: null, usage: { input: 30, output: 6 } };
    writeText(
      transcript(SID),
      toJsonl([
        assistantLine({ ...gateway, sessionId: SID, timestamp: "2026-03-02T10:00:00.000Z" }),
        assistantLine({ ...gateway, sessionId: SID, timestamp: "2026-03-02T10:00:01.000Z" }),
      ]),
    );
    // an unrelated session of the same gateway reusing the id is another call
    writeText(
      transcript(SID_B),
      toJsonl([assistantLine({ ...gateway, sessionId: SID_B, timestamp: "2026-03-02T12:00:00.000Z" })]),
    );
    const result = await collect();
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect(tokensOf(byId.get(SID)!)).toEqual([30, 6, 0, 0]);
    expect(tokensOf(byId.get(SID_B)!)).toEqual([30, 6, 0, 0]);
  });

  it("skips synthetic and API-error replies and reads the cache-write breakdown of older files", async () => {
    writeText(
      transcript(SID),
      toJsonl([
        assistantLine({
          sessionId: SID,
          messageId: "msg_1",
          timestamp: "2026-03-02T10:00:00.000Z",
          usage: { input: 2, output: 3, breakdown: { fiveMinutes: 500, oneHour: 70 } },
        }),
        assistantLine({
          sessionId: SID,
          messageId: "msg_2",
          model: "<synthetic>",
          timestamp: "2026-03-02T10:00:01.000Z",
          usage: { input: 0, output: 0 },
        }),
        assistantLine({
          sessionId: SID,
          messageId: "msg_3",
          isApiErrorMessage: true,
          timestamp: "2026-03-02T10:00:02.000Z",
          usage: { input: 9, output: 9 },
        }),
      ]),
    );
    const [session] = (await collect()).sessions;
    expect(tokensOf(session!)).toEqual([2, 3, 570, 0]);
  });

  it("counts tools, turns and code metrics from edit inputs; sends a salted project id and no path", async () => {
    const edit = toolUse("toolu_1", "Edit", {
      file_path: "/home/ana/src/demo/app.ts",
      old_string: "a\nb\nc",
      new_string: "a\nB\nc\nd",
    });
    const write = toolUse("toolu_2", "Write", { file_path: "/home/ana/src/demo/new.ts", content: "x\ny\nz\n" });
    const multi = toolUse("toolu_3", "MultiEdit", {
      file_path: "/home/ana/src/demo/app.ts",
      edits: [
        { old_string: "q", new_string: "" },
        { old_string: "", new_string: "r\ns" },
      ],
    });
    const bash = toolUse("toolu_4", "Bash", { command: "npm test" });
    const call = { sessionId: SID, requestId: "req_1", messageId: "msg_1", usage: { input: 1, output: 1 } };
    writeText(
      transcript(SID),
      toJsonl([
        promptLine(SID, "2026-03-02T10:00:00.000Z", "first"),
        assistantLine({ ...call, timestamp: "2026-03-02T10:00:01.000Z", content: [edit] }),
        assistantLine({ ...call, timestamp: "2026-03-02T10:00:01.100Z", content: [write] }),
        toolResultLine(SID, "2026-03-02T10:00:02.000Z", "toolu_1"),
        promptLine(SID, "2026-03-02T10:01:00.000Z", "second"),
        assistantLine({
          ...call,
          messageId: "msg_2",
          requestId: "req_2",
          timestamp: "2026-03-02T10:01:05.000Z",
          content: [multi, bash],
        }),
        // the same blocks replayed in a copy (resume) are not counted twice
        assistantLine({
          ...call,
          messageId: "msg_2",
          requestId: "req_2",
          timestamp: "2026-03-02T10:01:05.000Z",
          content: [multi, bash],
        }),
      ]),
    );
    const result = await collect();
    const session = result.sessions[0]!;
    expect(session.toolUsage).toEqual({ Edit: 1, Write: 1, MultiEdit: 1, Bash: 1 });
    expect(session.turnCount).toBe(2);
    // Edit: b->B (1 add, 1 del) + d (1 add); Write: 3 lines; MultiEdit: q deleted (1 del), r,s added (2 add)
    expect(session.codeMetrics).toEqual({
      linesAdded: 2 + 3 + 2,
      linesDeleted: 1 + 1,
      filesModified: 1,
      filesCreated: 1,
    });
    expect(session.anonymousProjectId).toBe(hashProjectPath("/home/ana/src/demo", "test-salt"));
    expect(session.anonymousProjectId).not.toBe(hashProjectPath("/home/ana/src/demo", ""));
    const sent = JSON.stringify(result.sessions);
    expect(sent).not.toContain("/home/ana");
    expect(sent).not.toContain("npm test");
  });
});
