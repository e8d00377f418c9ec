import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { isWorthParsingByNeedles } from "../../src/collectors/codex-line-filter";
import { readRolloutTask } from "../../src/collectors/codex-read";
import {
  type CodexCounters,
  createRolloutContext,
  createRolloutProgress,
  handleRolloutLine,
} from "../../src/collectors/codex-rollout";
import {
  assistantMessage,
  customToolCall,
  functionCall,
  sessionMeta,
  tokenCount,
  turnContext,
  userMessage,
} from "../fixtures/codex-records";

const SALT = "salt";
const ID = "0197f3a2-0000-7000-8000-00000000abcd";
const folder = mkdtempSync(join(tmpdir(), "codex-in-place-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The reference: each line the general rule keeps is parsed whole and applied by the parsed-line handler. */
function readByParsing(lines: string[], fileTimeMs = 0, parentTotals: CodexCounters[] | null = null) {
  const progress = createRolloutProgress();
  const context = createRolloutContext(SALT, fileTimeMs);
  context.parentTotals = parentTotals;
  let malformedLines = 0;
  for (const line of lines) {
    if (line === "" || !isWorthParsingByNeedles(Buffer.from(line))) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      malformedLines++;
      continue;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      malformedLines++;
      continue;
    }
    handleRolloutLine(progress, parsed as Record<string, unknown>, context);
  }
  return { progress, calls: context.calls, malformedLines };
}

let fileCount = 0;
/** What the collector reads from a rollout holding `lines` (in-place readers and parser together). */
function readAsCollector(lines: string[], parentTotals?: CodexCounters[]) {
  const path = join(folder, `rollout-${fileCount++}.jsonl`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  const stats = statSync(path);
  const file = { key: "k", path, rank: 0 };
  const read = readRolloutTask({ file, stats, known: undefined, salt: SALT, parentTotals });
  if (!read || "parentId" in read) throw new Error("rollout unreadable");
  return {
    progress: read.next.progress,
    calls: read.calls,
    malformedLines: read.malformedLines,
    fileTimeMs: stats.mtimeMs,
  };
}

const CREATED = Date.UTC(2026, 2, 2, 9, 0, 0);
const at = (offsetMs: number) => new Date(CREATED + offsetMs).toISOString();
/** Mostly Codex's fixed form around the creation second (where a fork's replay ends), sometimes other forms. */
const timestamp = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -500, max: 5000 }).map(at) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("2026-03-02T09:00:03Z", "2026-13-02T09:00:03.000Z", "2026-02-31T09:00:03.000Z"),
  },
);
const count = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 50_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 53 - 1, 10 ** 15, 10 ** 15 - 1) },
);
const usage = fc.tuple(count, count, count, count);
const toolName = fc.constantFrom(
  "exec_command",
  "shell",
  "apply_patch",
  "Apply_Patch",
  "日本語",
  'q"uote',
  "",
  "a\u0001b",
);
/** Totals a fork replays from its parent. */
const REPLAYED: CodexCounters[] = [
  [100, 40, 10, 5],
  [200, 80, 20, 5],
  [300, 90, 30, 8],
];
const PATCH = "*** Begin Patch\n*** Add File: src/a.ts\n+one\n+two\n*** End Patch";

const line = fc.oneof(
  timestamp.map((time) => sessionMeta(ID, time)),
  timestamp.map((time) => sessionMeta(ID, time, { forked_from_id: "parent" })),
  fc.tuple(timestamp, fc.constantFrom("gpt-5.2-codex", "gpt-5", "")).map(([time, model]) => turnContext(time, model)),
  fc.tuple(timestamp, fc.string({ maxLength: 20 })).map(([time, text]) => userMessage(time, text)),
  fc.tuple(timestamp, fc.option(usage), fc.option(usage)).map(([time, total, last]) => tokenCount(time, total, last)),
  fc.tuple(timestamp, usage).map(([time, total]) => {
    const record = tokenCount(time, total);
    return { ...record, payload: { ...record.payload, rate_limits: { primary: { used_percent: 12.5 } } } };
  }),
  fc.tuple(timestamp, usage).map(([time, total]) => {
    const record = tokenCount(time, total);
    return { ...record, payload: { ...record.payload, info: { ...record.payload.info, model: "from-line" } } };
  }),
  fc
    .tuple(timestamp, toolName, fc.boolean())
    .map(([time, name, patch]) => functionCall(time, name, patch ? { input: PATCH } : { cmd: "ls" })),
  fc.tuple(timestamp, toolName).map(([time, name]) => customToolCall(time, name, PATCH)),
  // A raw `input` beside the arguments, holding a unified diff (no Begin marker).
  fc.tuple(timestamp, toolName).map(([time, name]) => {
    const record = functionCall(time, name, { cmd: "ls" });
    return { ...record, payload: { ...record.payload, input: "--- a/b.ts\n+++ b/b.ts\n@@ -1 +1,2 @@\n one\n+two" } };
  }),
  timestamp.map((time) => assistantMessage(time, "token_count user_message")),
  // A parent's row replayed by a fork.
  fc.tuple(timestamp, fc.constantFrom(...REPLAYED)).map(([time, total]) => tokenCount(time, total)),
  // A model named by the event itself, at the payload's end.
  fc.tuple(timestamp, usage).map(([time, total]) => {
    const record = tokenCount(time, total);
    return { ...record, payload: { ...record.payload, model: "payload-model" } };
  }),
  // A model named on the line itself.
  fc.tuple(timestamp, usage).map(([time, total]) => ({ ...tokenCount(time, total), model: "line-model" })),
  // Times other writers put there, or none.
  fc
    .tuple(
      fc.constantFrom(undefined, null, 1772442003, 1772442003123, -5, 0, "", "NaN", "yesterday", 1e300),
      fc.constantFrom("token_count", "user_message", "function_call"),
      usage,
    )
    .map(([time, kind, total]) => {
      const record =
        kind === "token_count"
          ? tokenCount(at(0), total)
          : kind === "user_message"
            ? userMessage(at(0))
            : functionCall(at(0), "exec_command", { cmd: "ls" });
      return { ...record, timestamp: time };
    }),
);

/** Ways a line goes wrong on disk or in a newer Codex: cut short, numbers written otherwise, other spacing. */
const mutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant((text: string) => text) },
  {
    weight: 1,
    arbitrary: fc.nat().map((cut) => (text: string) => {
      // Cut short (a line whose cut leaves it closed by `}}` is the documented exception, tested below).
      let rest = text.slice(0, cut % text.length);
      while (rest.endsWith("}")) rest = rest.slice(0, -1);
      return rest;
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("1.5", "1e3", "-1", "007", "12345678901234567")
      .map((number) => (text: string) => text.replace(/"(input|output)_tokens":\d+/, `"$1_tokens":${number}`)),
  },
  { weight: 1, arbitrary: fc.constant((text: string) => text.replace('"type":"', '"type": "')) },
  { weight: 1, arbitrary: fc.constant((text: string) => text.replace(/,"payload":/, ',"ordinal":3,"payload":')) },
);

/** A fork's parent totals: sometimes those the lines themselves carry, so that replays match. */
const parentTotals = fc.option(fc.oneof(fc.subarray(REPLAYED), fc.array(usage, { maxLength: 3 })), { nil: null });

describe("codex lines read in place", () => {
  it("give exactly what parsing every kept line gives, for any mix of lines and damage", () => {
    const rollout = fc.array(fc.tuple(line, mutation), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(rollout, parentTotals, (entries, parent) => {
        const lines = entries.map(([record, mutate]) => mutate(JSON.stringify(record)));
        const { fileTimeMs, ...collected } = readAsCollector(lines, parent ?? undefined);
        expect(collected).toEqual(readByParsing(lines, fileTimeMs, parent));
      }),
      { numRuns: 400 },
    );
  });

  it("counts the spec example's re-emitted total once, read in place", () => {
    const lines = [
      sessionMeta(ID, at(0)),
      turnContext(at(2000)),
      tokenCount(at(10_000), [9000, 6000, 400, 250]),
      tokenCount(at(10_400), [9000, 6000, 400, 250]),
      tokenCount(at(21_000), [19500, 15000, 700, 300], [10500, 9000, 300, 50]),
    ].map((record) => JSON.stringify(record));
    const { progress, calls } = readAsCollector(lines);
    expect(progress.totals.tokens).toEqual([4500, 700, 0, 15000]);
    expect(calls?.map((call) => call.tokens)).toEqual([
      [3000, 400, 0, 6000],
      [1500, 300, 0, 9000],
    ]);
  });

  it("takes a closed line damaged after the counters it reads (the documented exception)", () => {
    const damaged = JSON.stringify(tokenCount(at(3000), [100, 40, 10, 0])).replace(
      '"rate_limits":null',
      '"rate_limits":{"primary":{"used_}',
    );
    const lines = [JSON.stringify(sessionMeta(ID, at(0))), JSON.stringify(turnContext(at(1000))), damaged];
    expect(() => JSON.parse(damaged)).toThrow();
    expect(readAsCollector(lines).progress.totals.tokens).toEqual([60, 10, 0, 40]);
    expect(readByParsing(lines).malformedLines).toBe(1);
  });

  it("stops a read from the start at the session_meta naming a parent, when asked to", () => {
    const path = join(folder, "rollout-fork.jsonl");
    const lines = [
      sessionMeta("0197f3a2-0000-7000-8000-0000000000bb", at(0), { forked_from_id: ID }),
      tokenCount(at(3000), [100, 40, 10, 0]),
    ];
    writeFileSync(path, `${lines.map((record) => JSON.stringify(record)).join("\n")}\n`);
    const task = { file: { key: "k", path, rank: 0 }, stats: statSync(path), known: undefined, salt: SALT };
    expect(readRolloutTask({ ...task, stopAtParent: true })).toEqual({ parentId: ID });
    const whole = readRolloutTask(task);
    expect(whole && "next" in whole && whole.next.progress.parentId).toBe(ID);
  });
});
