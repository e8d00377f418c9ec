import { closeSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { Decompress } from "fzstd";
import { type LineRangeHandler, LineSplitter } from "./line-splitter";

/** Where reading of one file stopped: identity (inode, size) plus the bytes that prove it was not rewritten. */
export interface FileCursor {
  ino: number;
  size: number;
  mtimeMs: number;
  /** Bytes consumed, always just after a newline. */
  offset: number;
  /** Hex of the (up to) 32 bytes before `offset`: a rewrite in place changes them. */
  tail: string;
  /** The latest record time read so far (ms), for dating a later record that has none (absent: none yet). */
  lastTimeMs?: number;
}

export interface ReadOutcome {
  cursor: FileCursor;
  /** True when the file was read from byte 0 although a cursor existed (rewritten, truncated, replaced). */
  restarted: boolean;
  bytesRead: number;
  oversizedLines: number;
}

/** Most transcripts fit in one read: fewer lines carried (copied) across chunk boundaries than with 1 MiB. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const TAIL_BYTES = 32;
let chunkBuffer: Buffer | null = null;

/** One read buffer for the whole process: a full scan opens thousands of files (lines are copied out). */
function getChunkBuffer(): Buffer {
  chunkBuffer ??= Buffer.allocUnsafeSlow(CHUNK_BYTES);
  return chunkBuffer;
}

/** What a cursor needs of a file's stats (a plain object crosses to a worker cheaply). */
export type FileIdentity = Pick<Stats, "ino" | "size" | "mtimeMs">;

export function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** True when nothing was appended or changed since the cursor (cheap: no read). */
export function isUnchanged(cursor: FileCursor | undefined, stats: FileIdentity): boolean {
  return (
    cursor !== undefined && cursor.ino === stats.ino && cursor.size === stats.size && cursor.mtimeMs === stats.mtimeMs
  );
}

function readTail(fd: number, end: number): string {
  const length = Math.min(TAIL_BYTES, end);
  if (length === 0) return "";
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, end - length);
  return buffer.toString("hex");
}

/**
 * The cursor's tail taken from the last chunk read (`chunk[0, length)` holds the file's bytes from
 * `chunkStart`) when it holds them all, as it does for most files: no second read per file.
 */
function tailFromChunk(chunk: Buffer, chunkStart: number, length: number, offset: number): string | undefined {
  const tailStart = offset - Math.min(TAIL_BYTES, offset);
  if (tailStart < chunkStart || offset > chunkStart + length) return undefined;
  return chunk.toString("hex", tailStart - chunkStart, offset - chunkStart);
}

/** Offset to resume from: the cursor's when the file is provably the same file grown, else 0. */
function resolveStart(fd: number, cursor: FileCursor | undefined, stats: FileIdentity): number {
  if (!cursor || cursor.ino !== stats.ino || stats.size < cursor.offset) return 0;
  return readTail(fd, cursor.offset) === cursor.tail ? cursor.offset : 0;
}

/** True when the file provably continues the cursor (same inode, not shorter, same bytes before the offset). */
export function canResume(path: string, stats: FileIdentity, cursor: FileCursor | undefined): boolean {
  if (!cursor) return false;
  const fd = openSync(path, "r");
  try {
    return resolveStart(fd, cursor, stats) === cursor.offset;
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams the complete lines of a plain file from the cursor on (or from 0 when the file changed identity).
 * The cursor stops before a last line without its newline (the writer may be mid-append); `onUnfinishedLine`,
 * when given, still sees that line (a finished session's last line may never get its newline).
 */
export function readNewLines(
  path: string,
  stats: FileIdentity,
  cursor: FileCursor | undefined,
  onLine: LineRangeHandler,
  onUnfinishedLine?: LineRangeHandler,
  /** Told before the first line whether reading goes on from `cursor` (false: from byte 0). */
  onStart?: (resumed: boolean) => void,
) {
  const fd = openSync(path, "r");
  try {
    const start = resolveStart(fd, cursor, stats);
    onStart?.(cursor !== undefined && start === cursor.offset);
    const splitter = new LineSplitter(onLine);
    const buffer = getChunkBuffer();
    let position = start;
    let read = 0;
    for (;;) {
      read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      position += read;
      splitter.push(buffer.subarray(0, read));
      // A short read of a regular file is its end (as of now): no second call to be told so. (A file system
      // that stops short anyway leaves the size below the file's: the next run goes on from the cursor.)
      if (read < buffer.length) break;
    }
    if (onUnfinishedLine) splitter.flushUnfinished(onUnfinishedLine);
    const offset = start + splitter.consumed;
    const next: FileCursor = {
      ino: stats.ino,
      size: position,
      mtimeMs: stats.mtimeMs,
      offset,
      tail: tailFromChunk(buffer, position - read, read, offset) ?? readTail(fd, offset),
    };
    return {
      cursor: next,
      restarted: cursor !== undefined && start === 0,
      bytesRead: position - start,
      oversizedLines: splitter.oversizedLines,
    } satisfies ReadOutcome;
  } finally {
    closeSync(fd);
  }
}

/** Streams every complete line of a zstd file (offsets into compressed data are meaningless: always whole). */
export function readZstdLines(path: string, stats: FileIdentity, onLine: LineRangeHandler): ReadOutcome {
  const fd = openSync(path, "r");
  try {
    const splitter = new LineSplitter(onLine);
    const decompress = new Decompress((data) => {
      splitter.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    });
    const buffer = getChunkBuffer();
    let position = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      position += read;
      // fzstd may keep references to pushed input, so hand it a copy.
      decompress.push(Uint8Array.prototype.slice.call(buffer, 0, read), false);
    }
    decompress.push(new Uint8Array(0), true);
    splitter.push(Buffer.from([0x0a])); // a compressed (finished) file's last line is complete
    return {
      cursor: { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, offset: stats.size, tail: "" },
      restarted: false,
      bytesRead: position,
      oversizedLines: splitter.oversizedLines,
    };
  } finally {
    closeSync(fd);
  }
}
