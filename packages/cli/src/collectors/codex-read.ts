import { closeSync, openSync, readSync } from "node:fs";
import { endsClosed, readLineTimestamp, readPlainCallName, readTokenCountCounters } from "./codex-line-bytes";
import { classifyRolloutLine, RolloutLineKind } from "./codex-line-filter";
import {
  type AcceptedCall,
  applyTokenCountLine,
  applyToolCallLine,
  applyUserMessageLine,
  type CodexCounters,
  createRolloutContext,
  createRolloutProgress,
  handleRolloutLine,
  ParentNamed,
  type RolloutContext,
  type RolloutProgress,
  settleReplay,
} from "./codex-rollout";
import { canResume, type FileCursor, type FileIdentity, readNewLines, readZstdLines } from "./file-cursor";
import { MAX_LINE_BYTES } from "./line-splitter";

/** One rollout file to read: its thread key, and which copy of the thread it is (lower wins). */
export interface RolloutFile {
  key: string;
  path: string;
  rank: number;
}

export interface RolloutState {
  path: string;
  cursor: FileCursor;
  progress: RolloutProgress;
  /**
   * The calls this file counted, as row hashes (base64 of a Float64Array, `codex-rows.ts`): a row equal
   * to one of them in another file is not counted again.
   */
  rows?: string;
  /** The earliest and latest time among `rows` (files whose span misses a run's new calls are not loaded). */
  rowsFrom?: number;
  rowsTo?: number;
}

const counters = new Float64Array(8);

/** Applies one of the frequent lines read from its bytes; false when it must be parsed instead. */
function readInPlace(
  progress: RolloutProgress,
  kind: RolloutLineKind,
  chunk: Buffer,
  start: number,
  end: number,
  context: RolloutContext,
): boolean {
  const timestamp = readLineTimestamp(chunk, start);
  // Not a usable time (NaN, before 1970): the parser dates the line from its neighbours.
  if (!(timestamp > 0)) return false;
  if (kind === RolloutLineKind.tokenCount) {
    if (!readTokenCountCounters(chunk, start, end, counters)) return false;
    applyTokenCountLine(progress, timestamp, counters, context);
    return true;
  }
  if (kind === RolloutLineKind.userMessage) {
    if (!endsClosed(chunk, end)) return false;
    applyUserMessageLine(progress, timestamp, context);
    return true;
  }
  const name = readPlainCallName(chunk, start, end);
  if (name === null) return false;
  applyToolCallLine(progress, timestamp, name, context);
  return true;
}

function isWholeObject(line: Buffer): boolean {
  try {
    const parsed: unknown = JSON.parse(line.toString("utf8"));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

const TAIL_BYTES = 32;

/**
 * A finished rollout's last line may lack its newline. When it is a whole JSON object it is taken now (a
 * one-shot report must count it) and the cursor moves past it: the newline written later is an empty line
 * to the next read. A line still being written is no whole object yet and waits.
 */
function readUnterminatedLine(
  path: string,
  cursor: FileCursor,
  onLine: (chunk: Buffer, start: number, end: number) => void,
) {
  const length = cursor.size - cursor.offset;
  if (length <= 0 || length > MAX_LINE_BYTES) return cursor;
  const line = Buffer.alloc(length);
  const fd = openSync(path, "r");
  try {
    if (readSync(fd, line, 0, length, cursor.offset) !== length) return cursor;
  } finally {
    closeSync(fd);
  }
  if (!isWholeObject(line)) return cursor;
  onLine(line, 0, length);
  const before = Buffer.concat([Buffer.from(cursor.tail, "hex"), line]);
  const tail = before.toString("hex", Math.max(0, before.length - TAIL_BYTES));
  return { ...cursor, offset: cursor.size, tail } satisfies FileCursor;
}

/**
 * One rollout to read on any thread: the file and its stats as listed, what was known of it, the project
 * salt, and the parent's distinct totals when the rollout is a fork whose parent is there.
 */
export interface RolloutTask {
  file: RolloutFile;
  stats: FileIdentity;
  known: RolloutState | undefined;
  salt: string;
  parentTotals?: CodexCounters[];
  /** Stop a read from the start at a session_meta naming a parent: the rollout is read again knowing it. */
  stopAtParent?: boolean;
}

function readRollout(task: RolloutTask, context: RolloutContext, tally: { malformedLines: number }) {
  const { file, stats, known } = task;
  const zstd = file.path.endsWith(".zst");
  const resume = !zstd && known !== undefined && canResume(file.path, stats, known.cursor);
  // A rollout that cannot be continued is recomputed from scratch: its old contribution is replaced.
  // A copy: if the read fails midway, the saved progress must still match the saved cursor.
  const progress = resume && known ? structuredClone(known.progress) : createRolloutProgress();
  settleReplay(progress, context);
  context.stopAtParent = task.stopAtParent === true && !resume;
  const parseLine = (chunk: Buffer, start: number, end: number) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(chunk.toString("utf8", start, end));
    } catch {
      tally.malformedLines++;
      return;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      tally.malformedLines++;
      return;
    }
    handleRolloutLine(progress, parsed as Record<string, unknown>, context);
  };
  const onLine = (chunk: Buffer, start: number, end: number) => {
    const kind = classifyRolloutLine(chunk, start, end);
    if (kind === RolloutLineKind.skip) return;
    if (kind !== RolloutLineKind.parse && readInPlace(progress, kind, chunk, start, end, context)) return;
    parseLine(chunk, start, end);
  };
  let cursor: FileCursor;
  if (zstd) cursor = readZstdLines(file.path, stats, onLine).cursor;
  else {
    cursor = readNewLines(file.path, stats, resume ? known?.cursor : undefined, onLine).cursor;
    cursor = readUnterminatedLine(file.path, cursor, onLine);
  }
  return { state: { path: file.path, cursor, progress } satisfies RolloutState, resumed: resume };
}

export interface RolloutRead {
  next: RolloutState;
  /** True when the read continued the known state (only the calls after its cursor are in `calls`). */
  resumed: boolean;
  malformedLines: number;
  /** The billed calls accepted in this read, in file order. */
  calls: AcceptedCall[];
}

/** A read stopped at the session_meta naming the rollout's parent (`RolloutTask.stopAtParent`). */
export interface ParentRequest {
  parentId: string;
}

/**
 * Reads one rollout; null when it vanished or is unreadable (a corrupt .zst): retried next run. A fork
 * read with `stopAtParent` from its start yields the parent's id instead.
 */
export function readRolloutTask(task: RolloutTask): RolloutRead | ParentRequest | null {
  const context = createRolloutContext(task.salt, task.stats.mtimeMs);
  context.parentTotals = task.parentTotals ?? null;
  const tally = { malformedLines: 0 };
  try {
    const { state, resumed } = readRollout(task, context, tally);
    return { next: state, resumed, malformedLines: tally.malformedLines, calls: context.calls };
  } catch (error) {
    return error instanceof ParentNamed ? { parentId: error.parentId } : null;
  }
}

/** The distinct cumulative totals of a rollout in file order (a fork's replay repeats them); null when unreadable. */
export function readRolloutTotals(file: RolloutFile, stats: FileIdentity): CodexCounters[] | null {
  const context = createRolloutContext("", stats.mtimeMs);
  const totalsLog: CodexCounters[] = [];
  context.totalsLog = totalsLog;
  try {
    readRollout({ file, stats, known: undefined, salt: "" }, context, { malformedLines: 0 });
    return totalsLog;
  } catch {
    return null;
  }
}
