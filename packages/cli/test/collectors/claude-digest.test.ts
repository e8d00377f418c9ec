import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digestTranscript, isWorthParsing } from "../../src/collectors/claude-digest";
import { type DigestSink, digestInOrder } from "../../src/collectors/claude-digest-pool";
import type { ClaudeEvent } from "../../src/collectors/claude-lines";
import {
  type DigestedCall,
  type TranscriptDigest,
  TranscriptDigestBuilder,
  visitTranscriptDigest,
} from "../../src/collectors/claude-transcript-digest";
import { CODEX_PARALLEL_MIN_BYTES } from "../../src/collectors/codex";
import { findFiles } from "../../src/collectors/find-files";
import { hashKey64 } from "../../src/collectors/key-table";
import { chooseThreads } from "../../src/collectors/scan-threads";
import { writeMixedClaudeHome } from "../e2e/claude-home";
import { assistantLine, promptLine, toolResultLine } from "../fixtures/claude-records";
import { createFixtureHome, type FixtureHome } from "../fixtures/fixture-home";

const SID = "5b0c9d2e-1111-4a2b-9c3d-aa00bb11cc22";
const T0 = "2026-03-02T10:00:00.000Z";
const T1 = "2026-03-02T10:00:05.000Z";

let fixture: FixtureHome;
let files: string[];
beforeEach(() => {
  fixture = createFixtureHome();
  writeMixedClaudeHome(fixture.home, 5);
  files = findFiles(fixture.path(".claude", "projects"), {
    maxDepth: 3,
    acceptFile: (_, name) => name.endsWith(".jsonl"),
  });
});
afterEach(() => fixture.remove());

function collectSink() {
  const seen: { index: number; result: unknown }[] = [];
  const sink: DigestSink = (index, result) => seen.push({ index, result });
  return { seen, sink };
}

function lineEvent(overrides: Partial<ClaudeEvent> & Pick<ClaudeEvent, "timestamp">): ClaudeEvent {
  return { sessionId: "s1", cwd: null, tools: null, call: null, promptKey: null, ...overrides };
}

function callOf(messageId: string, requestId: string | null, output: number, model = "claude-opus-4-1") {
  return {
    messageId,
    requestId,
    sidechain: false,
    model,
    tokens: [10, output, 0, 0] as [number, number, number, number],
  };
}

/** The digest's records as plain values. */
function listRecords(digest: TranscriptDigest) {
  const calls: DigestedCall[] = [];
  const tools: unknown[] = [];
  const prompts: unknown[] = [];
  const spans: unknown[] = [];
  visitTranscriptDigest(digest, {
    call: (call) => calls.push({ ...call, tokens: [...call.tokens] }),
    tool: (sessionId, high, low, name, edits) => tools.push({ sessionId, high, low, name, edits }),
    prompt: (sessionId, high, low) => prompts.push({ sessionId, high, low }),
    span: (sessionId, start, end, cwd) => spans.push({ sessionId, start, end, cwd }),
  });
  return { calls, tools, prompts, spans };
}

describe("claude transcript digest", () => {
  it("folds consecutive sightings of one call, keeping the first timestamp and the largest usage", () => {
    const builder = new TranscriptDigestBuilder();
    builder.add(lineEvent({ timestamp: 100, cwd: "/p", call: callOf("m1", "r1", 1) }));
    const edit = { fileKey: "k1", added: 3, deleted: 1, kind: "edit" as const };
    builder.add(
      lineEvent({ timestamp: 200, call: callOf("m1", "r1", 50), tools: [{ key: "t:1", name: "Edit", edits: [edit] }] }),
    );
    builder.add(lineEvent({ timestamp: 300, call: callOf("m1", "r1", 7) }));
    // Another request of the same message, then the same call under another model: not folded.
    builder.add(lineEvent({ timestamp: 400, call: callOf("m1", "r2", 3) }));
    builder.add(lineEvent({ timestamp: 500, call: callOf("m1", "r2", 9, "claude-sonnet-4") }));
    builder.add(lineEvent({ sessionId: null, timestamp: Number.NaN, cwd: "/q", promptKey: "u:1" }));
    builder.add(lineEvent({ timestamp: 50, cwd: "/other" }));
    const digest = builder.finish();
    // What a worker posts arrives intact.
    const records = listRecords(structuredClone(digest));
    const r1 = hashKey64("r1")[0];
    const r2 = hashKey64("r2")[0];
    expect(records.calls.map((call) => [call.requestHigh, call.timestamp, call.tokens[1], call.model])).toEqual([
      [r1, 100, 50, "claude-opus-4-1"],
      [r2, 400, 3, "claude-opus-4-1"],
      [r2, 500, 9, "claude-sonnet-4"],
    ]);
    expect(records.calls.every((call) => call.hasRequest && call.messageHigh === hashKey64("m1")[0])).toBe(true);
    const [toolHigh, toolLow] = hashKey64("t:1");
    expect(records.tools).toEqual([{ sessionId: "s1", high: toolHigh, low: toolLow, name: "Edit", edits: [edit] }]);
    const [promptHigh, promptLow] = hashKey64("u:1");
    expect(records.prompts).toEqual([{ sessionId: null, high: promptHigh, low: promptLow }]);
    expect(records.spans).toEqual([
      { sessionId: "s1", start: 50, end: 500, cwd: "/p" },
      { sessionId: null, start: Number.NaN, end: Number.NaN, cwd: "/q" },
    ]);
  });

  it("digests every fixture transcript into calls, tools and spans", () => {
    for (const file of files) {
      const records = listRecords(digestTranscript(file, undefined)!.digest);
      expect(records.tools.length).toBeGreaterThan(0);
      expect(records.calls.length).toBeGreaterThan(0);
      expect(records.spans.length).toBeGreaterThan(0);
    }
  });

  it("when the workers die, the main thread digests their files, still in order", async () => {
    const inline = collectSink();
    await digestInOrder(
      files.map((path) => ({ path, cursor: undefined })),
      0,
      inline.sink,
    );
    const dying = join(fixture.home, "dying-worker.mjs");
    writeFileSync(dying, "process.exit(3);\n");
    const fallen = collectSink();
    await digestInOrder(
      files.map((path) => ({ path, cursor: undefined })),
      2,
      fallen.sink,
      pathToFileURL(dying),
    );
    expect(fallen.seen).toEqual(inline.seen);
    expect(inline.seen.map((item) => item.index)).toEqual(files.map((_, index) => index));
    expect(inline.seen.every((item) => item.result !== null)).toBe(true);
  });

  it("uses workers only for big scans, one per core but the main thread's", () => {
    const big = 200 * 1024 * 1024;
    expect(chooseThreads(1024 * 1024, undefined, 8)).toBe(0);
    expect(chooseThreads(big, undefined, 1)).toBe(0);
    expect(chooseThreads(big, undefined, 2)).toBe(1);
    expect(chooseThreads(big, undefined, 16)).toBe(4);
    expect(chooseThreads(1024, 2, 2)).toBe(2);
    // Codex's own threshold: 315 MB stays on the main thread, 2 GB takes a worker.
    expect(chooseThreads(315 * 2 ** 20, undefined, 2, CODEX_PARALLEL_MIN_BYTES)).toBe(0);
    expect(chooseThreads(2 * 2 ** 30, undefined, 2, CODEX_PARALLEL_MIN_BYTES)).toBe(1);
  });

  it("pre-filters lines: replies and prompts in any key order are parsed, tool results never", () => {
    const bytes = (record: unknown) => Buffer.from(JSON.stringify(record));
    const reply = assistantLine({ sessionId: SID, messageId: "m1", usage: { input: 1, output: 2 }, timestamp: T0 });
    expect(isWorthParsing(bytes(reply))).toBe(true);
    // Another layout (`type` first): its usage gives it away.
    expect(isWorthParsing(bytes({ type: "assistant", ...reply }))).toBe(true);
    expect(isWorthParsing(bytes(promptLine(SID, T0)))).toBe(true);
    const result = toolResultLine(SID, T0, "toolu_1");
    expect(isWorthParsing(bytes(result))).toBe(false);
    // A subagent's result carries its usage; it is still a tool result, and counts nothing.
    const subagentResult = { ...result, toolUseResult: { status: "completed", usage: { input_tokens: 9 } } };
    expect(isWorthParsing(bytes(subagentResult))).toBe(false);
    // Named past the head, a tool result falls back to the whole-line rule (here: its usage).
    const padded = { filler: "x".repeat(2000), ...subagentResult };
    expect(isWorthParsing(bytes(padded))).toBe(true);
    expect(isWorthParsing(bytes({ type: "file-history-snapshot", snapshot: { trackedFileBackups: {} } }))).toBe(false);
  });

  it("a session's span runs from its first to its last reply or prompt, not to a tool result", () => {
    const path = join(fixture.home, "span.jsonl");
    const subagentResult = {
      ...toolResultLine(SID, "2026-03-02T10:00:09.000Z", "toolu_1"),
      toolUseResult: { status: "completed", usage: { input_tokens: 9, output_tokens: 4 } },
    };
    const lines = [
      promptLine(SID, T0),
      assistantLine({ sessionId: SID, messageId: "m1", usage: { input: 1, output: 2 }, timestamp: T1 }),
      subagentResult,
    ];
    writeFileSync(path, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
    const records = listRecords(digestTranscript(path, undefined)!.digest);
    expect(records.spans).toEqual([
      { sessionId: SID, start: Date.parse(T0), end: Date.parse(T1), cwd: "/home/ana/src/demo" },
    ]);
    expect(records.calls.map((call) => call.tokens)).toEqual([[1, 2, 0, 0]]);
  });
});
