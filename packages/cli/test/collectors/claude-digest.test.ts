import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digestTranscript } from "../../src/collectors/claude-digest";
import { chooseThreads, type DigestSink, digestInOrder } from "../../src/collectors/claude-digest-pool";
import { decodeTranscript, encodeTranscript } from "../../src/collectors/claude-event-codec";
import type { ClaudeEvent } from "../../src/collectors/claude-lines";
import { findFiles } from "../../src/collectors/find-files";
import { writeMixedClaudeHome } from "../e2e/claude-home";
import { createFixtureHome, type FixtureHome } from "../fixtures/fixture-home";

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
  const seen: { index: number; event?: ClaudeEvent; offset?: number }[] = [];
  const sink: DigestSink = {
    event: (index, event) => seen.push({ index, event }),
    end: (index, end) => seen.push({ index, offset: end?.cursor.offset }),
  };
  return { seen, sink };
}

describe("claude transcript digest", () => {
  it("a worker's encoded transcript decodes to the very same events", () => {
    for (const file of files) {
      const digested = digestTranscript(file, undefined)!;
      expect(digested.events.some((event) => event.tools && event.call)).toBe(true);
      const decoded: ClaudeEvent[] = [];
      decodeTranscript(structuredClone(encodeTranscript(digested)), (event) => decoded.push(event));
      expect(decoded).toEqual(digested.events);
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
    expect(inline.seen.filter((item) => item.offset !== undefined)).toHaveLength(files.length);
  });

  it("uses workers only for big scans, and only on idle cores", () => {
    const big = 200 * 1024 * 1024;
    expect(chooseThreads(1024 * 1024, undefined, 8, 0)).toBe(0);
    expect(chooseThreads(big, undefined, 2, 0.3)).toBe(1);
    expect(chooseThreads(big, undefined, 2, 1.6)).toBe(0);
    expect(chooseThreads(big, undefined, 16, 2)).toBe(4);
    expect(chooseThreads(1024, 2, 2, 9)).toBe(2);
  });
});
