import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readClaudeLine } from "../../src/collectors/claude-line-reader";
import { countLineChanges, parsePatchFiles } from "../../src/collectors/code-metrics";
import { LineSplitter, linesOf } from "../../src/collectors/line-splitter";
import { hashProjectPath } from "../../src/collectors/project-id";
import { createSessionTotals, toSessionInput } from "../../src/collectors/session-totals";
import { parseTimestamp } from "../../src/collectors/timestamps";

function splitInChunks(text: string, cuts: number[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(linesOf((line) => lines.push(line.toString("utf8"))));
  const bytes = Buffer.from(text);
  let start = 0;
  for (const cut of [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)) {
    splitter.push(bytes.subarray(start, cut));
    start = cut;
  }
  splitter.push(bytes.subarray(start));
  expect(splitter.consumed).toBe(bytes.lastIndexOf(0x0a) + 1);
  return lines;
}

describe("line splitter", () => {
  it("yields the same complete lines however the bytes are chunked, and never the unfinished last one", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme" }), { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat()),
        (raw, complete, cuts) => {
          const lines = raw.map((line) => line.replaceAll("\n", " "));
          const text = lines.join("\n") + (complete ? "\n" : "");
          const expected = (complete ? lines : lines.slice(0, -1)).filter((line) => line !== "");
          expect(splitInChunks(text, cuts)).toEqual(expected);
        },
      ),
    );
  });
});

describe("code metrics", () => {
  it("counts what git diff would count", () => {
    expect(countLineChanges("a\nb\nc\n", "a\nB\nc\nd\n")).toEqual({ added: 2, deleted: 1 });
    expect(countLineChanges("", "x\ny")).toEqual({ added: 2, deleted: 0 });
    expect(countLineChanges("x\ny", "")).toEqual({ added: 0, deleted: 2 });
    expect(countLineChanges("1\n2\n3\n4", "1\n3\n2\n4")).toEqual({ added: 1, deleted: 1 });
  });

  it("reads apply_patch envelopes and unified diffs", () => {
    const patch =
      "*** Begin Patch\n*** Add File: a.ts\n+1\n+2\n*** Update File: b.ts\n@@\n-x\n+y\n*** Delete File: c.ts\n*** End Patch";
    expect(parsePatchFiles(patch).map((file) => [file.path, file.kind, file.added, file.deleted])).toEqual([
      ["a.ts", "created", 2, 0],
      ["b.ts", "modified", 1, 1],
      ["c.ts", "deleted", 0, 0],
    ]);
    const unified = "--- /dev/null\n+++ b/new.ts\n@@ -0,0 +1 @@\n+a\n--- a/old.ts\n+++ b/old.ts\n@@ -1 +1 @@\n-b\n+c";
    expect(parsePatchFiles(unified).map((file) => [file.path, file.kind, file.added, file.deleted])).toEqual([
      ["new.ts", "created", 1, 0],
      ["old.ts", "modified", 1, 1],
    ]);
  });
});

describe("session input", () => {
  it("salts project ids and keeps tool names within the API's rules", () => {
    expect(hashProjectPath("/a/b/", "s")).toBe(hashProjectPath("/a/b", "s"));
    expect(hashProjectPath("/a/b", "s")).not.toBe(hashProjectPath("/a/b", "t"));
    const totals = createSessionTotals();
    totals.start = 0;
    totals.end = 40 * 86_400_000;
    totals.tools = { "mcp__github__create issue!": 2, __proto__x: 1, ["x".repeat(80)]: 1 };
    const session = toSessionInput("claude-code", "s1", totals)!;
    expect(session.durationSeconds).toBe(30 * 86_400);
    expect(Object.keys(session.toolUsage!)).toEqual(["mcp__github__create issue_", "__proto__x", "x".repeat(64)]);
  });
});

describe("transcript lines", () => {
  it("parses timestamps exactly as Date.parse does", () => {
    const edges = [
      "2026-03-05T08:00:04.548Z",
      "2026-02-30T00:00:00.000Z",
      "2026-01-32T00:00:00.000Z",
      "2026-13-01T00:00:00.000Z",
      "2026-01-01T24:00:00.000Z",
      "0050-01-01T00:00:00.000Z",
      "2026-01-01T00:00:60.000Z",
      "2026-01-01 00:00:00.000Z",
      "2026-01-01T00:00:00Z",
      "2026-0a-01T00:00:00.000Z",
      "",
    ];
    for (const text of edges) expect(parseTimestamp(text)).toEqual(Date.parse(text));
    fc.assert(
      fc.property(fc.date({ min: new Date(-5e13), max: new Date(2.5e14), noInvalidDate: true }), (date) => {
        const text = date.toISOString();
        expect(parseTimestamp(text)).toBe(Date.parse(text));
      }),
    );
  });

  it("returns null for what is not a JSON object", () => {
    expect(readClaudeLine(Buffer.from('{"type":"assistant","message":{"usage":{"input_tokens":5'))).toBeNull();
    expect(readClaudeLine(Buffer.from("[1,2]"))).toBeNull();
    expect(readClaudeLine(Buffer.from("null"))).toBeNull();
  });
});
