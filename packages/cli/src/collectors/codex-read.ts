import { endsClosed, readLineTimestamp, readPlainCallName, readTokenCountCounters } from "./codex-line-bytes";
import { classifyRolloutLine, RolloutLineKind } from "./codex-line-filter";
import {
  type AcceptedCall,
  applyTokenCountLine,
  applyToolCallLine,
  applyUserMessageLine,
  createRolloutProgress,
  handleRolloutLine,
  type RolloutProgress,
} from "./codex-rollout";
import { canResume, type FileCursor, type FileIdentity, readNewLines, readZstdLines } from "./file-cursor";

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
}

interface ReadTally {
  malformedLines: number;
  /** The billed calls accepted, for local reports; null when no records are wanted. */
  accepted: AcceptedCall[] | null;
}

const counters = new Float64Array(8);

/** Applies one of the frequent lines read from its bytes; false when it must be parsed instead. */
function readInPlace(
  progress: RolloutProgress,
  kind: RolloutLineKind,
  chunk: Buffer,
  start: number,
  end: number,
  tally: ReadTally,
): boolean {
  const timestamp = readLineTimestamp(chunk, start);
  if (Number.isNaN(timestamp)) return false;
  if (kind === RolloutLineKind.tokenCount) {
    // Before any turn_context, the line's own model fields would name the model: the parser reads them.
    if (progress.model === null) return false;
    if (!readTokenCountCounters(chunk, start, end, counters)) return false;
    applyTokenCountLine(progress, timestamp, counters, tally.accepted);
    return true;
  }
  if (kind === RolloutLineKind.userMessage) {
    if (!endsClosed(chunk, end)) return false;
    applyUserMessageLine(progress, timestamp);
    return true;
  }
  const name = readPlainCallName(chunk, start, end);
  if (name === null) return false;
  applyToolCallLine(progress, timestamp, name);
  return true;
}

function readRollout(
  file: RolloutFile,
  stats: FileIdentity,
  known: RolloutState | undefined,
  salt: string,
  tally: ReadTally,
) {
  const zstd = file.path.endsWith(".zst");
  const resume = !zstd && known !== undefined && canResume(file.path, stats, known.cursor);
  // A rollout that cannot be continued is recomputed from scratch: its old contribution is replaced.
  // A copy: if the read fails midway, the saved progress must still match the saved cursor.
  const progress = resume && known ? structuredClone(known.progress) : createRolloutProgress();
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
    handleRolloutLine(progress, parsed as Record<string, unknown>, salt, tally.accepted);
  };
  const onLine = (chunk: Buffer, start: number, end: number) => {
    const kind = classifyRolloutLine(chunk, start, end);
    if (kind === RolloutLineKind.skip) return;
    if (kind !== RolloutLineKind.parse && readInPlace(progress, kind, chunk, start, end, tally)) return;
    parseLine(chunk, start, end);
  };
  const outcome = zstd
    ? readZstdLines(file.path, stats, onLine)
    : readNewLines(file.path, stats, resume ? known?.cursor : undefined, onLine);
  return { path: file.path, cursor: outcome.cursor, progress } satisfies RolloutState;
}

/**
 * One rollout to read on any thread: the file and its stats as listed, what was known of it, the project
 * salt, whether calls are wanted.
 */
export interface RolloutTask {
  file: RolloutFile;
  stats: FileIdentity;
  known: RolloutState | undefined;
  salt: string;
  records: boolean;
}

export interface RolloutRead {
  next: RolloutState;
  malformedLines: number;
  accepted: AcceptedCall[] | null;
}

/** Reads one rollout; null when it vanished or is unreadable (a corrupt .zst): retried next run. */
export function readRolloutTask(task: RolloutTask): RolloutRead | null {
  const tally: ReadTally = { malformedLines: 0, accepted: task.records ? [] : null };
  try {
    const next = readRollout(task.file, task.stats, task.known, task.salt, tally);
    return { next, ...tally };
  } catch {
    return null;
  }
}
