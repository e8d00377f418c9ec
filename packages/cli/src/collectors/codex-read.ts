import type { Stats } from "node:fs";
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

const NEEDLES = ['"token_count"', '"session_meta"', '"turn_context"', '"user_message"', '_call"'].map((needle) =>
  Buffer.from(needle),
);
const HEAD_BYTES = 160;
const RESPONSE_ITEM = Buffer.from('"type":"response_item"');
const EVENT_MSG = Buffer.from('"type":"event_msg"');
const PAYLOAD_TYPE = Buffer.from('"payload":{"type":"');
const TOOL_CALL_KINDS = ['"type":"function_call"', '"type":"custom_tool_call"', '"type":"local_shell_call"'].map(
  (kind) => Buffer.from(kind),
);
const EVENT_KINDS = ['"type":"token_count"', '"type":"user_message"'].map((kind) => Buffer.from(kind));

function headIncludes(head: Buffer, needles: Buffer[]): boolean {
  for (const needle of needles) if (head.indexOf(needle) !== -1) return true;
  return false;
}

/**
 * Byte-level pre-filter: most rollout bytes are message, reasoning and tool-output items that carry nothing
 * we need. Codex writes `timestamp`, `type`, then `payload` with its own `type` first, so the line's head
 * decides; a line laid out differently falls back to searching the whole line.
 */
function isWorthParsing(line: Buffer): boolean {
  const head = line.subarray(0, HEAD_BYTES);
  if (head.indexOf(PAYLOAD_TYPE) !== -1) {
    if (head.indexOf(RESPONSE_ITEM) !== -1) return headIncludes(head, TOOL_CALL_KINDS);
    if (head.indexOf(EVENT_MSG) !== -1) return headIncludes(head, EVENT_KINDS);
  }
  return headIncludes(line, NEEDLES);
}

export interface ReadTally {
  malformedLines: number;
  accepted: AcceptedCall[];
}

export function readRollout(
  file: RolloutFile,
  stats: Stats,
  known: RolloutState | undefined,
  salt: string,
  tally: ReadTally,
) {
  const zstd = file.path.endsWith(".zst");
  const resume = !zstd && known !== undefined && canResume(file.path, stats, known.cursor);
  // A rollout that cannot be continued is recomputed from scratch: its old contribution is replaced.
  // A copy: if the read fails midway, the saved progress must still match the saved cursor.
  const progress = resume && known ? structuredClone(known.progress) : createRolloutProgress();
  const onLine = (line: Buffer) => {
    if (!isWorthParsing(line)) return;
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
    if (call) tally.accepted.push(call);
  };
  const outcome = zstd
    ? readZstdLines(file.path, stats, onLine)
    : readNewLines(file.path, stats, resume ? known?.cursor : undefined, onLine);
  return { path: file.path, cursor: outcome.cursor, progress } satisfies RolloutState;
}

/** One rollout to read on any thread: the file, what was known of it, the project salt. */
export interface RolloutTask {
  file: RolloutFile;
  known: RolloutState | undefined;
  salt: string;
}

export interface RolloutRead {
  next: RolloutState;
  malformedLines: number;
  accepted: AcceptedCall[];
}

/** Reads one rollout; null when it vanished or is unreadable (a corrupt .zst): retried next run. */
export function readRolloutTask(task: RolloutTask): RolloutRead | null {
  const stats = statOrNull(task.file.path);
  if (!stats) return null;
  const tally: ReadTally = { malformedLines: 0, accepted: [] };
  try {
    const next = readRollout(task.file, stats, task.known, task.salt, tally);
    return { next, ...tally };
  } catch {
    return null;
  }
}
