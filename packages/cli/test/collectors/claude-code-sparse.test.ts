import { describe, expect, it } from "vitest";
import { SID, tokensOf, useClaudeFixture } from "../fixtures/claude-home";
import { assistantLine, promptLine } from "../fixtures/claude-records";
import { appendText, toJsonl, writeText } from "../fixtures/fixture-home";

const { collect, transcript } = useClaudeFixture();

const MTIME = new Date("2026-04-01T12:00:00.000Z");

/** The reply of the report: usage and ids, and no `timestamp` at all. */
function undatedLine(overrides: Record<string, unknown> = {}) {
  return {
    type: "assistant",
    sessionId: SID,
    uuid: "u1",
    requestId: "r1",
    message: { id: "m1", model: "claude-sonnet-4-5", usage: { input_tokens: 10, output_tokens: 5 } },
    ...overrides,
  };
}

describe("claude-code collector, lines missing a time or an id", () => {
  it("dates a reply without a timestamp from the file's mtime, in records and sessions alike", async () => {
    writeText(transcript(SID), toJsonl([undatedLine()]), MTIME);
    const result = await collect();
    expect(result.undatedRecords).toBe(1);
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({ timestamp: MTIME.getTime(), inputTokens: 10, outputTokens: 5 });
    expect(result.sessions).toHaveLength(1);
    expect(tokensOf(result.sessions[0]!)).toEqual([10, 5, 0, 0]);
    expect(result.sessions[0]!.endedAt).toBe(MTIME.toISOString());
  });

  it("dates it from the nearest earlier line, also when that line was read by an earlier run", async () => {
    const path = transcript(SID);
    writeText(path, toJsonl([promptLine(SID, "2026-03-02T10:00:00.000Z"), undatedLine()]), MTIME);
    const first = await collect();
    expect(first.records.map((record) => new Date(record.timestamp).toISOString())).toEqual([
      "2026-03-02T10:00:00.000Z",
    ]);
    appendText(
      path,
      toJsonl([undatedLine({ uuid: "u2", requestId: "r2", message: { id: "m2", usage: { output_tokens: 7 } } })]),
    );
    const second = await collect(first.state);
    expect(second.undatedRecords).toBe(1);
    expect(second.records.map((record) => new Date(record.timestamp).toISOString())).toEqual([
      "2026-03-02T10:00:00.000Z",
    ]);
    expect(tokensOf(second.sessions[0]!)).toEqual([10, 12, 0, 0]);
  });

  it("dates it by the file's mtime when the file was rewritten since the earlier run", async () => {
    const path = transcript(SID);
    writeText(path, toJsonl([promptLine(SID, "2026-03-02T10:00:00.000Z")]));
    const first = await collect();
    writeText(path, toJsonl([undatedLine(), promptLine(SID, "2026-03-02T11:00:00.000Z")]), MTIME);
    const second = await collect(first.state);
    expect(second.records.map((record) => record.timestamp)).toEqual([MTIME.getTime()]);
  });

  it("reads epoch numbers as times and survives any other value", async () => {
    const odd = [
      ["seconds", 1_772_445_600],
      ["milliseconds", 1_772_445_601_000],
      ["text", "yesterday"],
      ["null", null],
      ["negative", -5],
      ["huge", 1e300],
      ["past year 9999", 253_402_300_800_000],
      ["object", { at: 1 }],
      ["empty", ""],
    ] as const;
    writeText(
      transcript(SID),
      toJsonl(
        odd.map(([name, timestamp], index) =>
          undatedLine({
            timestamp,
            uuid: name,
            requestId: `r${index}`,
            message: { id: `m${index}`, usage: { input_tokens: 1, output_tokens: 1 } },
          }),
        ),
      ),
      MTIME,
    );
    const result = await collect();
    const times = result.records.map((record) => new Date(record.timestamp).toISOString());
    // Unusable values take the nearest earlier usable time: the milliseconds line's.
    expect(times).toEqual(["2026-03-02T10:00:00.000Z", ...Array(odd.length - 1).fill("2026-03-02T10:00:01.000Z")]);
    expect(result.undatedRecords).toBe(odd.length - 2);
    expect(result.sessions[0]).toMatchObject({ inputTokens: odd.length, startedAt: "2026-03-02T10:00:00.000Z" });
  });

  it("counts a reply with neither message id nor requestId once, however many streamed copies", async () => {
    const anonymous = (uuid: string, timestamp: string, output: number) => {
      const line = assistantLine({
        sessionId: SID,
        messageId: "",
        requestId: null,
        uuid,
        timestamp,
        usage: { input: 3, output },
      });
      delete (line.message as Record<string, unknown>).id;
      return line;
    };
    writeText(
      transcript(SID),
      toJsonl([
        anonymous("u1", "2026-03-02T10:00:00.000Z", 40),
        anonymous("u2", "2026-03-02T10:00:00.000Z", 40),
        anonymous("u3", "2026-03-02T10:00:09.000Z", 60),
        anonymous("u4", "2026-03-02T10:00:09.000Z", 60),
      ]),
    );
    const result = await collect();
    expect(tokensOf(result.sessions[0]!)).toEqual([6, 100, 0, 0]);
    expect(result.records.map((record) => record.outputTokens)).toEqual([40, 60]);
  });

  it("counts a reply with a requestId but no message id once per request", async () => {
    const copy = (uuid: string, requestId: string) =>
      undatedLine({
        uuid,
        requestId,
        timestamp: "2026-03-02T10:00:00.000Z",
        message: { usage: { input_tokens: 4, output_tokens: 2 } },
      });
    writeText(transcript(SID), toJsonl([copy("u1", "r1"), copy("u2", "r1"), copy("u3", "r2")]));
    const result = await collect();
    expect(tokensOf(result.sessions[0]!)).toEqual([8, 4, 0, 0]);
  });

  it("counts a finished last line that has no newline once, in a full read and across syncs", async () => {
    const path = transcript(SID);
    const call = (id: string, second: number) =>
      assistantLine({
        sessionId: SID,
        messageId: id,
        timestamp: `2026-03-02T10:00:0${second}.000Z`,
        usage: { input: 1, output: 10 },
      });
    writeText(path, toJsonl([call("msg_1", 1), call("msg_2", 2)], false));
    const full = await collect();
    expect(full.records).toHaveLength(2);
    expect(full.malformedLines).toBe(0);
    expect(tokensOf(full.sessions[0]!)).toEqual([2, 20, 0, 0]);
    const unchanged = await collect(full.state);
    expect(unchanged.sessions).toEqual([]);
    appendText(path, `\n${JSON.stringify(call("msg_3", 3))}\n`);
    const grown = await collect(unchanged.state);
    expect(tokensOf(grown.sessions[0]!)).toEqual([3, 30, 0, 0]);
    expect(grown.records.map((record) => record.outputTokens)).toEqual([10]);
  });
});
