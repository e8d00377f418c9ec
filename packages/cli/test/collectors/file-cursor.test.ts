import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canResume, type FileCursor, readNewLines } from "../../src/collectors/file-cursor";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";

/** What a cursor must say of a file read up to `offset`: the 32 bytes before it, as hex. */
const expectedTail = (bytes: Buffer, offset: number) =>
  bytes.subarray(Math.max(0, offset - 32), offset).toString("hex");

describe("readNewLines", () => {
  let dir: string;
  beforeAll(() => {
    dir = createTempHome("modu-cursor-");
  });
  afterAll(() => removeTempHome(dir));

  const read = (path: string, cursor?: FileCursor) => {
    const lines: string[] = [];
    const outcome = readNewLines(path, statSync(path), cursor, (chunk, start, end) =>
      lines.push(chunk.toString("utf8", start, end)),
    );
    return { lines, cursor: outcome.cursor };
  };

  // Sizes around the 4 MiB read chunk: one read, a chunk exactly full, a line across two chunks.
  const line = (index: number, width: number) => `${String(index).padStart(8, "0")}${"x".repeat(width)}`;
  const cases: [string, string][] = [
    ["empty", ""],
    ["a line shorter than the tail", "ab\n"],
    ["an unfinished last line", `${line(1, 50)}\n${line(2, 50)}`],
    ["exactly one chunk", `${line(0, 4 * 1024 * 1024 - 9)}\n`],
    ["lines across chunks", Array.from({ length: 1_200 }, (_, index) => line(index, 7_000)).join("\n")],
  ];
  for (const [name, text] of cases) {
    it(`cursor offset, size and tail match the file's bytes (${name})`, () => {
      const path = join(dir, `${name}.jsonl`);
      writeFileSync(path, text);
      const bytes = readFileSync(path);
      const { lines, cursor } = read(path);
      const offset = bytes.lastIndexOf(0x0a) + 1;
      expect(lines).toEqual(text.slice(0, offset).split("\n").filter(Boolean));
      expect(cursor).toMatchObject({ offset, size: bytes.length, tail: expectedTail(bytes, offset) });
      expect(canResume(path, statSync(path), cursor)).toBe(true);
    });
  }

  it("shows an unfinished last line, spread over chunks, to onUnfinishedLine without consuming it", () => {
    const path = join(dir, "unfinished.jsonl");
    const last = line(2, 5 * 1024 * 1024);
    writeFileSync(path, `${line(1, 10)}\n${last}`);
    const complete: string[] = [];
    const unfinished: string[] = [];
    const outcome = readNewLines(
      path,
      statSync(path),
      undefined,
      (chunk, start, end) => complete.push(chunk.toString("utf8", start, end)),
      (chunk, start, end) => unfinished.push(chunk.toString("utf8", start, end)),
    );
    expect(complete).toEqual([line(1, 10)]);
    expect(unfinished).toEqual([last]);
    expect(outcome.cursor.offset).toBe(line(1, 10).length + 1);
    const none: string[] = [];
    readNewLines(
      path,
      statSync(path),
      outcome.cursor,
      () => {},
      () => none.push("called"),
    );
    appendFileSync(path, "\n");
    readNewLines(
      path,
      statSync(path),
      outcome.cursor,
      () => {},
      () => none.push("called"),
    );
    expect(none).toEqual(["called"]);
  });

  it("continues from a cursor with the tail of the new bytes, and restarts a file rewritten in place", () => {
    const path = join(dir, "grown.jsonl");
    writeFileSync(path, `${line(1, 100)}\n${line(2, 10)}`);
    const first = read(path);
    appendFileSync(path, `${"y".repeat(5)}\n${line(3, 3)}\n`);
    const bytes = readFileSync(path);
    const second = read(path, first.cursor);
    expect(second.lines).toEqual([`${line(2, 10)}yyyyy`, line(3, 3)]);
    expect(second.cursor).toMatchObject({ offset: bytes.length, tail: expectedTail(bytes, bytes.length) });
    // Same length, other bytes just before the offset (what the tail guards): not a continuation.
    writeFileSync(path, bytes.toString().replace(line(3, 3), line(4, 3)));
    expect(canResume(path, statSync(path), second.cursor)).toBe(false);
  });
});
