import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import type { ToolType } from "@modu-arena/core";
import { readJsonIfValid, writeFileAtomic } from "../state/atomic-file";
import { CallCopies, ClaudeBook, COUNTED, HAS_REQUEST, SIDECHAIN } from "./claude-book";
import type { ClaudeState } from "./claude-scan";
import type { FileCursor } from "./file-cursor";
import { hashKey64, KeyTable } from "./key-table";
import type { SessionTotals } from "./session-totals";
import type { StateStore } from "./types";

/**
 * The Claude collectors' state on disk, under `state/`:
 * - `<tool>.json`, the head: cursors, the name table, the sessions' running totals, and which book file
 *   goes with them;
 * - `<tool>/book-<generation>.bin`: the dedup book's columns (every call copy, every seen key's hash), with
 *   a CRC. ~70 bytes per call: a big history's book is a few MB, read and written without any parsing.
 * The book is written under a new name, then the head (atomically, durably), then older books are swept: a
 * kill at any moment leaves the previous head with its complete book. A book that fails its CRC (torn by a
 * power cut: it is not fsynced) means reading everything again, which cumulative totals make safe.
 */
export interface ClaudeStateHead {
  version: 4;
  files: Record<string, FileCursor>;
  names: string[];
  sessions: Record<string, SessionTotals>;
  book: string;
  listings?: ClaudeState["listings"];
  listedAllAtMs?: number;
}

const MAGIC = 0x4b42414d;
/** 3: copy columns saved with spare room (capacity at byte 24). 2 (read still): columns cut to the count. */
const FORMAT = 3;
const FORMAT_WITHOUT_SPARE = 2;
const HEADER_BYTES = 32;
/** Bytes per copy over all copy columns: timestamp and four tokens (8 each), seven 32-bit keys and refs, flags. */
const COPY_BYTES = 8 * 5 + 4 * 7 + 1;

/**
 * Room saved after the copies: a loaded book's columns are views of its file, full to the last copy, so
 * the first call a sync adds would copy every column (≈10 MB in a big history; 15–30 ms here, mostly
 * first-touched pages) to widen them. With an eighth to spare, that happens once per many syncs.
 */
export function savedCapacity(count: number): number {
  return count + Math.max(4096, count >> 3);
}

const headFile = (stateDir: string, tool: ToolType) => join(stateDir, `${tool}.json`);
const bookFile = (dir: string, generation: string) => join(dir, `book-${generation}.bin`);

type Column = Float64Array | Uint32Array | Int32Array | Uint8Array;
type Slots = KeyTable["slots"];

/** A column as saved: the elements in use, then zeros up to the elements it occupies in the file. */
interface SavedColumn {
  column: Column;
  used: number;
  length: number;
}

/**
 * The book's columns in file order: the copies' up to `capacity` (zero past the count), the tables' slots
 * as they are (so loading re-inserts nothing). Float64 first: every section stays aligned.
 */
function bookColumns(copies: CallCopies, seen: Slots, calls: Slots, capacity: number): SavedColumn[] {
  const copyColumn = (column: Column, perCopy = 1) => ({
    column,
    used: copies.count * perCopy,
    length: capacity * perCopy,
  });
  const slotColumn = (column: Column) => ({ column, used: column.length, length: column.length });
  return [
    copyColumn(copies.timestamp),
    copyColumn(copies.tokens, 4),
    copyColumn(copies.messageHigh),
    copyColumn(copies.messageLow),
    copyColumn(copies.requestHigh),
    copyColumn(copies.requestLow),
    copyColumn(copies.session),
    copyColumn(copies.model),
    copyColumn(copies.next),
    ...[seen.high, seen.low, seen.values, calls.high, calls.low, calls.values].map(slotColumn),
    copyColumn(copies.flags),
  ];
}

/**
 * The book file as chunks to write one after the other: the header, then views of the columns themselves
 * and zeros for their spare room (no ~10 MB buffer to fill first: on a slow machine its fresh pages alone
 * cost 30 ms).
 */
export function encodeBook(book: ClaudeBook): Uint8Array[] {
  const seen = book.seen.slots;
  const calls = book.calls.slots;
  const capacity = savedCapacity(book.copies.count);
  const columns = bookColumns(book.copies, seen, calls, capacity);
  const spareBytes = (capacity - book.copies.count) * 32;
  const zeros = Buffer.alloc(spareBytes);
  const chunks: Uint8Array[] = [];
  let crc = 0;
  for (const { column, used, length } of columns) {
    const size = column.BYTES_PER_ELEMENT;
    const parts = [
      new Uint8Array(column.buffer, column.byteOffset, used * size),
      zeros.subarray(0, (length - used) * size),
    ];
    for (const part of parts) {
      crc = crc32(part, crc);
      chunks.push(part);
    }
  }
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(FORMAT, 4);
  header.writeUInt32LE(book.copies.count, 8);
  header.writeUInt32LE(seen.values.length, 12);
  header.writeUInt32LE(calls.values.length, 16);
  header.writeUInt32LE(crc, 20);
  header.writeUInt32LE(capacity, 24);
  return [header, ...chunks];
}

/**
 * The book in `bytes` with the head's names and sessions, or undefined when it is not a complete book. The
 * columns are views of `bytes` (every section is aligned), so nothing is copied; they are widened only when
 * the saved spare room is used up.
 */
export function decodeBook(
  bytes: Buffer,
  names: string[],
  sessions: Record<string, SessionTotals>,
): ClaudeBook | undefined {
  if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC) return undefined;
  const format = bytes.readUInt32LE(4);
  if (format !== FORMAT && format !== FORMAT_WITHOUT_SPARE) return undefined;
  if (crc32(bytes.subarray(HEADER_BYTES)) !== bytes.readUInt32LE(20)) return undefined;
  const copyCount = bytes.readUInt32LE(8);
  const seenSlots = bytes.readUInt32LE(12);
  const callSlots = bytes.readUInt32LE(16);
  const capacity = format === FORMAT ? bytes.readUInt32LE(24) : copyCount;
  const expected = HEADER_BYTES + capacity * COPY_BYTES + (seenSlots + callSlots) * 12;
  if (capacity < copyCount || bytes.length !== expected) return undefined;
  // A view needs its offset aligned to its element size: copy the rare buffer that is not.
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  let at = aligned.byteOffset + HEADER_BYTES;
  const take = <T extends Column>(
    type: new (buffer: ArrayBufferLike, offset: number, length: number) => T,
    length: number,
    size: number,
  ): T => {
    const column = new type(aligned.buffer, at, length);
    at += length * size;
    return column;
  };
  const copies = new CallCopies();
  copies.count = copyCount;
  copies.timestamp = take(Float64Array, capacity, 8);
  copies.tokens = take(Float64Array, capacity * 4, 8);
  copies.messageHigh = take(Uint32Array, capacity, 4);
  copies.messageLow = take(Uint32Array, capacity, 4);
  copies.requestHigh = take(Uint32Array, capacity, 4);
  copies.requestLow = take(Uint32Array, capacity, 4);
  copies.session = take(Int32Array, capacity, 4);
  copies.model = take(Int32Array, capacity, 4);
  copies.next = take(Int32Array, capacity, 4);
  const seen = KeyTable.fromSlots(
    take(Uint32Array, seenSlots, 4),
    take(Uint32Array, seenSlots, 4),
    take(Int32Array, seenSlots, 4),
  );
  const calls = KeyTable.fromSlots(
    take(Uint32Array, callSlots, 4),
    take(Uint32Array, callSlots, 4),
    take(Int32Array, callSlots, 4),
  );
  copies.flags = take(Uint8Array, capacity, 1);
  if (!seen || !calls) return undefined;
  const book = new ClaudeBook();
  for (const name of names) book.intern(name);
  book.sessions = sessions;
  book.copies = copies;
  book.seen = seen;
  book.calls = calls;
  return book;
}

/** A copy as states before version 4 kept it: session, requestId, sidechain, counted, timestamp, model, tokens. */
type JsonCallCopy = [number, string | null, 0 | 1, 0 | 1, number, number, number, number, number, number];

interface JsonBook {
  names: string[];
  calls: Record<string, JsonCallCopy[]>;
  seen: Record<string, number>;
  sessions: Record<string, SessionTotals>;
}

/** Takes over the JSON book of states before version 4 (whole, or gathered from their shards): no re-read. */
function importJsonBook(json: JsonBook): ClaudeBook {
  const book = new ClaudeBook();
  for (const name of json.names) book.intern(name);
  book.sessions = json.sessions;
  const copies = book.copies;
  for (const [messageId, list] of Object.entries(json.calls)) {
    const message = hashKey64(messageId);
    const [messageHigh, messageLow] = [message[0]!, message[1]!];
    let previous = -1;
    for (const [session, requestId, sidechain, counted, timestamp, model, ...tokens] of list) {
      const copy = copies.add();
      const request = hashKey64(requestId ?? "");
      copies.messageHigh[copy] = messageHigh;
      copies.messageLow[copy] = messageLow;
      copies.requestHigh[copy] = request[0]!;
      copies.requestLow[copy] = request[1]!;
      copies.flags[copy] =
        (requestId === null ? 0 : HAS_REQUEST) | (sidechain ? SIDECHAIN : 0) | (counted ? COUNTED : 0);
      copies.session[copy] = session;
      copies.model[copy] = model;
      copies.timestamp[copy] = timestamp;
      copies.tokens.set(tokens, copy * 4);
      if (previous === -1) book.calls.set(messageHigh, messageLow, copy);
      else copies.next[previous] = copy;
      previous = copy;
    }
  }
  for (const [key, session] of Object.entries(json.seen)) {
    const hash = hashKey64(key);
    book.seen.set(hash[0]!, hash[1]!, session);
  }
  return book;
}

/** Version 3 kept the JSON book in 64 shard files; undefined when one of them is gone or torn. */
function readShardedJsonBook(dir: string, raw: Record<string, unknown>): JsonBook | undefined {
  const book: JsonBook = { names: raw.names as string[], calls: {}, seen: {}, sessions: {} };
  for (const [shard, generation] of Object.entries((raw.shards ?? {}) as Record<string, string>)) {
    const content = readJsonIfValid(join(dir, `shard-${shard}-${generation}.json`)) as Partial<JsonBook> | undefined;
    if (!content?.calls || !content.seen || !content.sessions) return undefined;
    Object.assign(book.calls, content.calls);
    Object.assign(book.seen, content.seen);
    Object.assign(book.sessions, content.sessions);
  }
  return book;
}

function readBook(dir: string, head: ClaudeStateHead): ClaudeBook | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(bookFile(dir, head.book));
  } catch {
    return undefined;
  }
  return decodeBook(bytes, head.names, head.sessions);
}

/** Saved folder listings are only a hint: anything but the expected shape is dropped (folders read again). */
function isListings(value: unknown): value is ClaudeState["listings"] {
  const listings = value as ClaudeState["listings"];
  return typeof listings?.rules === "string" && typeof listings.dirs === "object" && listings.dirs !== null;
}

/**
 * The saved state, or undefined when there is none or it cannot be trusted whole (then everything is read
 * again). States of earlier versions are taken over as they are.
 */
export function loadClaudeState(stateDir: string, tool: ToolType): ClaudeState | undefined {
  const saved = readJsonIfValid(headFile(stateDir, tool)) as { state?: Record<string, unknown> } | undefined;
  const raw = saved?.state;
  if (!raw || typeof raw.files !== "object" || !Array.isArray(raw.names)) return undefined;
  const files = raw.files as Record<string, FileCursor>;
  if (raw.version === 4) {
    const head = raw as unknown as ClaudeStateHead;
    const book = readBook(join(stateDir, tool), head);
    if (!book) return undefined;
    const bookOnDisk = { generation: head.book, revision: book.revision };
    return {
      version: 4,
      files,
      book,
      bookOnDisk,
      ...(isListings(head.listings) ? { listings: head.listings } : {}),
      ...(Number.isFinite(head.listedAllAtMs) ? { listedAllAtMs: head.listedAllAtMs } : {}),
    };
  }
  const json =
    raw.version === 2
      ? (raw as unknown as JsonBook)
      : raw.version === 3
        ? readShardedJsonBook(join(stateDir, tool), raw)
        : undefined;
  if (!json?.calls || !json.seen || !json.sessions) return undefined;
  return { version: 4, files, book: importJsonBook(json) };
}

/** Removes what the head does not reference: superseded books, shards of earlier versions, torn temp files. */
function sweep(stateDir: string, tool: ToolType, keep: string): void {
  const dir = join(stateDir, tool);
  for (const name of readdirSync(dir)) if (name !== keep) rmSync(join(dir, name), { force: true });
  for (const name of readdirSync(stateDir)) {
    if (name.startsWith(`${tool}.json.`) && name.endsWith(".tmp")) rmSync(join(stateDir, name), { force: true });
  }
}

/** The book file already on disk when the book did not change since it was loaded or saved; else null. */
function unchangedBook(dir: string, state: ClaudeState): string | null {
  const onDisk = state.bookOnDisk;
  if (!onDisk || onDisk.revision !== state.book.revision) return null;
  return existsSync(bookFile(dir, onDisk.generation)) ? onDisk.generation : null;
}

/**
 * Writes the book under a new name (unless it did not change: a run with nothing new rewrites only the
 * head), then the head that names it, then sweeps the old one.
 */
export function saveClaudeState(stateDir: string, tool: ToolType, state: ClaudeState, now: Date): void {
  const dir = join(stateDir, tool);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let generation = unchangedBook(dir, state);
  if (generation === null) {
    generation = `${now.getTime().toString(36)}${randomBytes(3).toString("hex")}`;
    writeFileAtomic(bookFile(dir, generation), encodeBook(state.book), 0o600, { durable: false });
  }
  const head: ClaudeStateHead = {
    version: 4,
    files: state.files,
    names: state.book.names,
    sessions: state.book.sessions,
    book: generation,
    listings: state.listings,
    listedAllAtMs: state.listedAllAtMs,
  };
  writeFileAtomic(headFile(stateDir, tool), JSON.stringify({ savedAt: now.toISOString(), state: head }));
  sweep(stateDir, tool, `book-${generation}.bin`);
  state.bookOnDisk = { generation, revision: state.book.revision };
}

export const claudeStateStore: StateStore<ClaudeState> = { load: loadClaudeState, save: saveClaudeState };
