import { describe, expect, it } from "vitest";
import { geminiCollector } from "../../src/collectors/gemini";
import { appendText, toJsonl, useCollectorFixture, writeText } from "../fixtures/fixture-home";
import {
  chatFileName,
  chatMetadata,
  geminiMessage,
  realChatTotals,
  realGeminiChat,
  userMessage,
} from "../fixtures/gemini-records";

const SID = "3f9e2c1a-7b6d-4e5f-8a9b-0c1d2e3f4a5b";
const START = "2026-05-04T08:10:00.000Z";
const MTIME = new Date("2026-05-06T00:00:00.000Z");
const tokens = { input: 100, output: 10, cached: 40, thoughts: 4, tool: 0 };

const { fixture, collect } = useCollectorFixture(geminiCollector);
const chatPath = () => fixture.path(".gemini", "tmp", "demo-app", "chats", chatFileName(SID, START));
const isoOf = (records: { timestamp: number }[]) => records.map((record) => new Date(record.timestamp).toISOString());

describe("gemini collector, real chats and odd records", () => {
  it("counts a Gemini CLI 0.61 chat exactly, reasoning included", async () => {
    writeText(chatPath(), toJsonl(realGeminiChat(SID, START)));
    const result = await collect();
    expect(result.sessions).toHaveLength(1);
    expect(result.sessions[0]).toMatchObject({
      inputTokens: realChatTotals.input,
      outputTokens: realChatTotals.output,
      cacheReadTokens: realChatTotals.cacheRead,
      reasoningTokens: realChatTotals.reasoning,
      turnCount: realChatTotals.turns,
      toolUsage: { glob: 1 },
    });
    expect(result.records).toHaveLength(realChatTotals.calls);
    expect(result.records.reduce((sum, record) => sum + (record.reasoningTokens ?? 0), 0)).toBe(
      realChatTotals.reasoning,
    );
  });

  it("dates a reply without a usable time from the nearest earlier record, else the file's mtime", async () => {
    const undated = (id: string, timestamp: unknown) => ({ ...geminiMessage(id, "", tokens), timestamp });
    writeText(
      chatPath(),
      toJsonl([
        { sessionId: SID, kind: "main" },
        undated("g-0", undefined),
        userMessage("u-1", "2026-05-04T08:11:00.000Z"),
        undated("g-1", "not a time"),
        undated("g-2", 1_777_882_000),
        undated("g-3", null),
        undated("g-4", -1),
        undated("g-5", 1e300),
      ]),
      MTIME,
    );
    const result = await collect();
    expect(isoOf(result.records)).toEqual([
      MTIME.toISOString(),
      "2026-05-04T08:11:00.000Z",
      "2026-05-04T08:06:40.000Z",
      "2026-05-04T08:06:40.000Z",
      "2026-05-04T08:06:40.000Z",
      "2026-05-04T08:06:40.000Z",
    ]);
    expect(result.undatedRecords).toBe(5);
    expect(result.sessions[0]).toMatchObject({ inputTokens: 6 * 60, endedAt: MTIME.toISOString() });
  });

  it("counts a finished chat whose last line has no newline once, in a full read and across syncs", async () => {
    const path = chatPath();
    const lines = [chatMetadata(SID, START), geminiMessage("g-1", "2026-05-04T08:10:09.000Z", tokens)];
    writeText(path, toJsonl(lines, false));
    const full = await collect();
    expect(full.malformedLines).toBe(0);
    expect(full.records).toHaveLength(1);
    expect(full.sessions[0]).toMatchObject({ inputTokens: 60, outputTokens: 14, reasoningTokens: 4 });
    appendText(path, `\n${JSON.stringify(geminiMessage("g-2", "2026-05-04T08:10:20.000Z", tokens))}\n`);
    const grown = await collect(full.state);
    expect(grown.sessions[0]).toMatchObject({ inputTokens: 120, outputTokens: 28, reasoningTokens: 8 });
  });

  it("reads a state saved before reasoning was kept from scratch, with its reasoning", async () => {
    writeText(chatPath(), toJsonl([chatMetadata(SID, START), geminiMessage("g-1", START, tokens)]));
    const first = await collect();
    const older = { ...first.state, version: 1 } as unknown as typeof first.state;
    const again = await collect(older);
    expect(again.sessions[0]).toMatchObject({ inputTokens: 60, reasoningTokens: 4 });
  });
});
