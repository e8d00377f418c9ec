import type { Stats } from "node:fs";
import { isRolloutLineWorthParsing } from "./codex-line-filter";
import { type AcceptedCall, createRolloutProgress, handleRolloutLine, type RolloutProgress } from "./codex-rollout";
import { canResume, type FileCursor, readNewLines, readZstdLines, statOrNull } from "./file-cursor";

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

function readRollout(file: RolloutFile, stats: Stats, known: RolloutState | undefined, salt: string, tally: ReadTally) {
  const zstd = file.path.endsWith(".zst");
  const resume = !zstd && known !== undefined && canResume(file.path, stats, known.cursor);
  // A rollout that cannot be continued is recomputed from scratch: its old contribution is replaced.
  // A copy: if the read fails midway, the saved progress must still match the saved cursor.
  const progress = resume && known ? structuredClone(known.progress) : createRolloutProgress();
  const onLine = (line: Buffer) => {
    if (!isRolloutLineWorthParsing(line)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.toString("utf8"));
    } catch {
      tally.malformedLines++;
      return;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      tally.malformedLines++;
      return;
    }
    const call = handleRolloutLine(progress, parsed as Record<string, unknown>, salt);
    if (call) tally.accepted?.push(call);
  };
  const outcome = zstd
    ? readZstdLines(file.path, stats, onLine)
    : readNewLines(file.path, stats, resume ? known?.cursor : undefined, onLine);
  return { path: file.path, cursor: outcome.cursor, progress } satisfies RolloutState;
}

/** One rollout to read on any thread: the file, what was known of it, the project salt, whether calls are wanted. */
export interface RolloutTask {
  file: RolloutFile;
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
  const stats = statOrNull(task.file.path);
  if (!stats) return null;
  const tally: ReadTally = { malformedLines: 0, accepted: task.records ? [] : null };
  try {
    const next = readRollout(task.file, stats, task.known, task.salt, tally);
    return { next, ...tally };
  } catch {
    return null;
  }
}
