import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ClaudeBook, HAS_REQUEST } from "../../src/collectors/claude-book";
import { claudeCodeCollector } from "../../src/collectors/claude-code";
import type { ClaudeState } from "../../src/collectors/claude-scan";
import { loadClaudeState, saveClaudeState, savedCapacity } from "../../src/collectors/claude-state-store";
import { formatKey64 } from "../../src/collectors/key-table";
import { writeMixedClaudeHome } from "../e2e/claude-home";
import { assistantLine, promptLine, toolUse } from "../fixtures/claude-records";
import { createFixtureHome, type FixtureHome, roundTrip, toJsonl } from "../fixtures/fixture-home";

/** A kill between two writes of a save: the countdown-th atomic write (and every later one) never happens. */
const kill = vi.hoisted(() => ({ countdown: Number.POSITIVE_INFINITY }));
vi.mock("../../src/state/atomic-file", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/state/atomic-file")>();
  return {
    ...actual,
    writeFileAtomic: (
      path: string,
      content: string | Uint8Array | readonly Uint8Array[],
      mode?: number,
      options?: { durable?: boolean },
    ) => {
      if (kill.countdown-- <= 0) {
        // What a kill inside the write leaves: a torn temp file beside the target.
        const bytes = Array.isArray(content) ? Buffer.concat(content) : (content as string | Uint8Array);
        writeFileSync(`${path}.4242.dead.tmp`, bytes.slice(0, 7));
        throw new Error("killed");
      }
      actual.writeFileAtomic(path, content, mode, options);
    },
  };
});

const NOW = new Date("2026-11-21T00:00:00.000Z");
const SESSIONS = 30;
let fixture: FixtureHome;
let stateDir: string;
beforeEach(() => {
  fixture = createFixtureHome();
  stateDir = fixture.path(".modu-arena", "state");
  kill.countdown = Number.POSITIVE_INFINITY;
});
afterEach(() => fixture.remove());

const collect = (previous: ClaudeState | undefined) => claudeCodeCollector.collect(fixture.environment(), previous);
const bookDir = () => join(stateDir, "claude-code");

/** The book as plain data that does not depend on insertion order (name indexes, table slots). */
function describeBook(book: ClaudeBook) {
  const { copies } = book;
  const calls: [string, unknown[]][] = [];
  book.calls.forEach((high, low, head) => {
    const chain: unknown[] = [];
    for (let copy = head; copy !== -1; copy = copies.next[copy]!) {
      const flags = copies.flags[copy]!;
      chain.push({
        session: book.nameAt(copies.session[copy]!),
        flags,
        request: flags & HAS_REQUEST ? formatKey64(copies.requestHigh[copy]!, copies.requestLow[copy]!) : null,
        timestamp: copies.timestamp[copy],
        model: book.nameAt(copies.model[copy]!),
        tokens: copies.tokensOf(copy),
      });
    }
    calls.push([formatKey64(high, low), chain]);
  });
  const seen: [string, string | null][] = [];
  book.seen.forEach((high, low, session) => {
    seen.push([formatKey64(high, low), book.nameAt(session)]);
  });
  return {
    calls: calls.sort((a, b) => a[0].localeCompare(b[0])),
    seen: seen.sort((a, b) => a[0].localeCompare(b[0])),
    sessions: roundTrip(book.sessions),
  };
}

const describeState = (state: ClaudeState) => ({ files: roundTrip(state.files), book: describeBook(state.book) });

function savedState(): ReturnType<typeof describeState> | undefined {
  const state = loadClaudeState(stateDir, "claude-code");
  return state && describeState(state);
}

/** The same book in format 2, which had no spare room: every copy column cut to the count. */
function withoutSpareRoom(bytes: Buffer): Buffer {
  const count = bytes.readUInt32LE(8);
  const slots = bytes.readUInt32LE(12) + bytes.readUInt32LE(16);
  const capacity = bytes.readUInt32LE(24);
  const parts: Buffer[] = [Buffer.from(bytes.subarray(0, 32))];
  let at = 32;
  const copyColumn = (size: number) => {
    parts.push(bytes.subarray(at, at + count * size));
    at += capacity * size;
  };
  for (const size of [8, 32, 4, 4, 4, 4, 4, 4, 4]) copyColumn(size);
  parts.push(bytes.subarray(at, at + slots * 12));
  at += slots * 12;
  copyColumn(1);
  const old = Buffer.concat(parts);
  old.writeUInt32LE(2, 4);
  old.writeUInt32LE(0, 24);
  old.writeUInt32LE(crc32(old.subarray(32)), 20);
  return old;
}

/** A new session that resumes session 4: copies of its calls (one grown, one as a sidechain), plus its own. */
function addResumingSession(): void {
  const resumed = "77777777-0000-4000-8000-000000000004";
  const sessionId = "88888888-0000-4000-8000-000000000001";
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 1, minute)).toISOString();
  const call = (messageId: string, output: number, extra: Partial<Parameters<typeof assistantLine>[0]> = {}) =>
    JSON.stringify(assistantLine({ sessionId, messageId, timestamp: at(1), usage: { input: 3, output }, ...extra }));
  const lines = [
    JSON.stringify(promptLine(sessionId, at(0))),
    call("msg_4_0", 500, { sessionId: resumed }),
    call("msg_4_1", 1, { sessionId: resumed, isSidechain: true }),
    call("msg_new_1", 42),
  ];
  writeFileSync(fixture.path(".claude", "projects", "-home-ana-src-p0", `${sessionId}.jsonl`), `${lines.join("\n")}\n`);
}

describe("claude state on disk", () => {
  beforeEach(() => writeMixedClaudeHome(fixture.home, SESSIONS));

  it("a saved state loads as it was, and the next run continues exactly as from memory", async () => {
    const first = await collect(undefined);
    const before = describeState(first.state);
    expect(before.book.calls.length).toBeGreaterThan(SESSIONS);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    expect(savedState()).toEqual(before);

    addResumingSession();
    const fromMemory = await collect(first.state);
    const fromDisk = await collect(loadClaudeState(stateDir, "claude-code"));
    expect(fromDisk.sessions).toEqual(fromMemory.sessions);
    expect(fromDisk.sessions.map((session) => session.sessionId).sort()).toEqual([
      "77777777-0000-4000-8000-000000000004",
      "88888888-0000-4000-8000-000000000001",
    ]);
    saveClaudeState(stateDir, "claude-code", fromDisk.state, NOW);
    expect(savedState()).toEqual(describeState(fromMemory.state));
    // One book file: the previous one is swept once the head names the new one.
    expect(readdirSync(bookDir())).toHaveLength(1);
  });

  it("a kill at any write of a save leaves the previous state or the next one, never a mix", async () => {
    const first = await collect(undefined);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    const before = savedState();
    addResumingSession();
    const after = describeState((await collect(loadClaudeState(stateDir, "claude-code"))).state);
    for (let writes = 0; ; writes++) {
      const result = await collect(loadClaudeState(stateDir, "claude-code"));
      kill.countdown = writes;
      let killed = false;
      try {
        saveClaudeState(stateDir, "claude-code", result.state, NOW);
      } catch {
        killed = true;
      }
      kill.countdown = Number.POSITIVE_INFINITY;
      if (!killed) {
        expect(savedState()).toEqual(after);
        break;
      }
      expect(savedState()).toEqual(before);
    }
    // Torn temp files and books of the killed saves are gone after the next complete save.
    expect(readdirSync(bookDir())).toEqual([expect.stringMatching(/^book-.*\.bin$/)]);
  });

  it("a run with nothing new rewrites the head only; a run that changes the book writes a new one", async () => {
    const first = await collect(undefined);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    const [book] = readdirSync(bookDir());
    const written = statSync(join(bookDir(), book!));
    const idle = await collect(loadClaudeState(stateDir, "claude-code"));
    expect(idle.sessions).toHaveLength(0);
    saveClaudeState(stateDir, "claude-code", idle.state, new Date(NOW.getTime() + 60_000));
    expect(readdirSync(bookDir())).toEqual([book]);
    const kept = statSync(join(bookDir(), book!));
    expect([kept.ino, kept.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
    expect(savedState()).toEqual(describeState(idle.state));

    addResumingSession();
    const grown = await collect(loadClaudeState(stateDir, "claude-code"));
    saveClaudeState(stateDir, "claude-code", grown.state, new Date(NOW.getTime() + 120_000));
    expect(readdirSync(bookDir())).toEqual([expect.not.stringMatching(book!)]);
    expect(savedState()).toEqual(describeState(grown.state));
    // A book removed behind our back is written again rather than named by the head.
    rmSync(bookDir(), { recursive: true });
    saveClaudeState(stateDir, "claude-code", grown.state, new Date(NOW.getTime() + 180_000));
    expect(savedState()).toEqual(describeState(grown.state));
  });

  it("a loaded book takes a sync's new calls into its saved spare room, without copying its columns", async () => {
    const first = await collect(undefined);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    const loaded = loadClaudeState(stateDir, "claude-code")!;
    const columns = loaded.book.copies.flags.buffer;
    const count = loaded.book.copies.count;
    expect(loaded.book.copies.flags.length).toBe(savedCapacity(count));
    addResumingSession();
    const fromMemory = await collect(first.state);
    const fromDisk = await collect(loaded);
    expect(fromDisk.state.book.copies.count).toBeGreaterThan(count);
    // Still views of the book file: nothing was widened.
    expect(fromDisk.state.book.copies.flags.buffer).toBe(columns);
    expect(fromDisk.state.book.copies.tokens.buffer).toBe(columns);
    expect(describeState(fromDisk.state)).toEqual(describeState(fromMemory.state));
    expect(fromDisk.sessions).toEqual(fromMemory.sessions);
  });

  it("the transcript folders' listings are saved with the head and serve the next run", async () => {
    const first = await collect(undefined);
    const projects = fixture.path(".claude", "projects");
    expect(Object.keys(first.state.listings!.dirs)).toContain(projects);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    const loaded = loadClaudeState(stateDir, "claude-code")!;
    expect(loaded.listings).toEqual(roundTrip(first.state.listings));
    addResumingSession();
    const next = await collect(loaded);
    expect(next.sessions.map((session) => session.sessionId)).toContain("88888888-0000-4000-8000-000000000001");
    expect(next.state.listings!.dirs[join(projects, "-home-ana-src-p0")]!.files).toContain(
      "88888888-0000-4000-8000-000000000001.jsonl",
    );
  });

  it("a book saved without spare room (format 2) still loads, and grows when added to", async () => {
    const first = await collect(undefined);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    const [book] = readdirSync(bookDir());
    writeFileSync(join(bookDir(), book!), withoutSpareRoom(readFileSync(join(bookDir(), book!))));
    const loaded = loadClaudeState(stateDir, "claude-code")!;
    expect(loaded.book.copies.flags.length).toBe(loaded.book.copies.count);
    expect(describeState(loaded)).toEqual(describeState(first.state));
    addResumingSession();
    const fromMemory = await collect(first.state);
    const fromDisk = await collect(loaded);
    expect(describeState(fromDisk.state)).toEqual(describeState(fromMemory.state));
  });

  it("a torn or missing book means a full re-read, never a partial count", async () => {
    const first = await collect(undefined);
    saveClaudeState(stateDir, "claude-code", first.state, NOW);
    addResumingSession();
    const [book] = readdirSync(bookDir());
    const bytes = readFileSync(join(bookDir(), book!));
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    writeFileSync(join(bookDir(), book!), bytes);
    expect(loadClaudeState(stateDir, "claude-code")).toBeUndefined();
    expect((await collect(loadClaudeState(stateDir, "claude-code"))).sessions).toHaveLength(SESSIONS + 1);
    writeFileSync(join(bookDir(), book!), bytes.subarray(0, 100));
    expect(loadClaudeState(stateDir, "claude-code")).toBeUndefined();
    rmSync(join(bookDir(), book!));
    expect(loadClaudeState(stateDir, "claude-code")).toBeUndefined();
  });
});

describe("claude states of earlier versions", () => {
  const SID = "99999999-0000-4000-8000-000000000001";
  const MODEL = "claude-sonnet-4-5-20250929";
  const PROMPT_UUID = "99999999-0000-4000-8000-00000000aaaa";
  const transcript = () => fixture.path(".claude", "projects", "-home-ana-src-demo", `${SID}.jsonl`);
  const call = (messageId: string, minute: number, output: number, extra: Record<string, unknown> = {}) =>
    assistantLine({
      sessionId: SID,
      messageId,
      timestamp: `2026-03-02T10:0${minute}:00.000Z`,
      usage: { input: 7, output, cacheRead: 100 },
      ...extra,
    });

  beforeEach(() => {
    mkdirSync(join(transcript(), ".."), { recursive: true });
    writeFileSync(
      transcript(),
      toJsonl([
        promptLine(SID, "2026-03-02T10:00:00.000Z", "go", PROMPT_UUID),
        call("msg_a", 1, 20, { content: [toolUse("toolu_a", "Bash", { command: "ls" })] }),
        call("msg_b", 2, 30, { requestId: null }),
      ]),
    );
  });

  /** The JSON book versions 2 and 3 kept for that transcript, written out by hand. */
  async function jsonBook() {
    const fresh = await collect(undefined);
    const at = (minute: number) => Date.UTC(2026, 2, 2, 10, minute);
    return {
      fresh,
      files: roundTrip(fresh.state.files),
      names: [SID, MODEL],
      calls: {
        msg_a: [[0, "req_msg_a", 0, 1, at(1), 1, 7, 20, 0, 100]],
        msg_b: [[0, null, 0, 1, at(2), 1, 7, 30, 0, 100]],
      },
      seen: { "t:toolu_a": 0, [`u:${PROMPT_UUID}`]: 0 },
      sessions: roundTrip(fresh.state.book.sessions),
    };
  }

  async function expectTakenOver(fresh: Awaited<ReturnType<typeof jsonBook>>["fresh"]) {
    const loaded = loadClaudeState(stateDir, "claude-code")!;
    expect(describeState(loaded)).toEqual(describeState(fresh.state));
    // Nothing is read twice, and a grown copy of an old call counts only its growth.
    expect((await collect(loadClaudeState(stateDir, "claude-code"))).sessions).toEqual([]);
    writeFileSync(transcript(), toJsonl([call("msg_a", 5, 25)]), { flag: "a" });
    const next = await collect(loadClaudeState(stateDir, "claude-code"));
    expect(next.sessions).toEqual((await collect(undefined)).sessions);
    expect(next.sessions[0]!.outputTokens).toBe(25 + 30);
  }

  it("takes over a single-file JSON state (version 2) without reading anything again", async () => {
    const { fresh, ...book } = await jsonBook();
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, "claude-code.json"), JSON.stringify({ state: { version: 2, ...book } }));
    await expectTakenOver(fresh);
  });

  it("takes over a sharded JSON state (version 3), and refuses one with a shard missing", async () => {
    const { fresh, files, names, ...shard } = await jsonBook();
    mkdirSync(bookDir(), { recursive: true });
    const head = { version: 3, files, names, shards: { 17: "g1" }, index: "g1" };
    writeFileSync(join(stateDir, "claude-code.json"), JSON.stringify({ state: head }));
    writeFileSync(join(bookDir(), "shard-17-g1.json"), JSON.stringify(shard));
    await expectTakenOver(fresh);
    rmSync(join(bookDir(), "shard-17-g1.json"));
    expect(loadClaudeState(stateDir, "claude-code")).toBeUndefined();
  });
});
