import { readClaudeLine } from "./claude-line-reader";
import { digestClaudeLine } from "./claude-lines";
import { type TranscriptDigest, TranscriptDigestBuilder } from "./claude-transcript-digest";
import { type FileCursor, readNewLines, statOrNull } from "./file-cursor";
import { linesOf } from "./line-splitter";
import { RecordClock } from "./record-time";
import { isUsableTime } from "./timestamps";

/**
 * What is new in one transcript: the digest of its complete lines, and where reading stopped. A worker posts
 * it as is (the digest's numbers transferred).
 */
export interface DigestedTranscript extends TranscriptEnd {
  digest: TranscriptDigest;
}

const NEEDLE_USAGE = Buffer.from('"usage"');
const NEEDLE_USER = Buffer.from('"type":"user"');
const NEEDLE_TOOL_RESULT = Buffer.from('"tool_result"');

const NEEDLE_ASSISTANT = Buffer.from('"type":"assistant"');
/** Claude Code writes `type` after `message`, so an assistant line says so in its last bytes. */
const TAIL_BYTES = 256;
/** A tool result says so before its content: `"type":"user"`, the message, then its first block's type. */
const HEAD_BYTES = 1024;

/**
 * Byte-level pre-filter: only lines that can carry usage or a typed prompt are worth parsing. A line whose
 * tail says it is an assistant line is parsed without searching the whole line for `"usage"` first (the
 * parse decides; this only spares a pass over its long content). A tool result (a user line whose head
 * names one) counts nothing and is not searched at all: tool results are most of a history's bytes, and the
 * search for `"usage"` (which the results of subagent tools carry) was ≈ 5% of a full scan's CPU.
 */
export function isWorthParsing(line: Buffer): boolean {
  if (line.indexOf(NEEDLE_ASSISTANT, Math.max(0, line.length - TAIL_BYTES)) !== -1) return true;
  const head = line.subarray(0, HEAD_BYTES);
  if (head.indexOf(NEEDLE_USER) !== -1 && head.indexOf(NEEDLE_TOOL_RESULT) !== -1) return false;
  if (line.indexOf(NEEDLE_USAGE) !== -1) return true;
  return line.indexOf(NEEDLE_USER) !== -1 && line.indexOf(NEEDLE_TOOL_RESULT) === -1;
}

/** How one transcript's read ended: where reading stopped, and the lines that were not JSON objects. */
export interface TranscriptEnd {
  cursor: FileCursor;
  malformedLines: number;
  /** Calls without a usable time of their own, dated from the file's earlier lines or its mtime. */
  undatedCalls: number;
}

/**
 * Reads one transcript from its cursor on and digests its lines (no shared state: runs in a worker too).
 * A last line without its newline is digested when it is a whole JSON object (a finished session's), but the
 * cursor stays before it: the next read takes it again, and the dedup keys make that harmless.
 * Null when the file vanished or could not be read: keep the old cursor.
 */
export function digestTranscript(path: string, cursor: FileCursor | undefined): DigestedTranscript | null {
  const stats = statOrNull(path);
  if (!stats) return null;
  const clock = new RecordClock(Number.NaN, stats.mtimeMs);
  const builder = new TranscriptDigestBuilder(clock);
  let malformedLines = 0;
  const digestLine = (line: Buffer, complete: boolean) => {
    if (!isWorthParsing(line)) return;
    const parsed = readClaudeLine(line);
    if (!parsed) {
      // An unfinished last line is most likely still being written: not malformed.
      if (complete) malformedLines++;
      return;
    }
    const event = digestClaudeLine(parsed);
    if (event) builder.add(event);
  };
  try {
    const outcome = readNewLines(
      path,
      stats,
      cursor,
      linesOf((line) => digestLine(line, true)),
      linesOf((line) => digestLine(line, false)),
      (resumed) => {
        // The time before the cursor holds only when the file goes on from it (not rewritten).
        const last = cursor?.lastTimeMs;
        if (resumed && typeof last === "number") clock.last = last;
      },
    );
    const next = isUsableTime(clock.last) ? { ...outcome.cursor, lastTimeMs: clock.last } : outcome.cursor;
    return { cursor: next, malformedLines, undatedCalls: clock.undated, digest: builder.finish() };
  } catch {
    return null;
  }
}
