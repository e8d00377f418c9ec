import { existsSync, type Stats } from "node:fs";
import { basename, join } from "node:path";
import { type AcceptedCall, createRolloutProgress, handleRolloutLine, type RolloutProgress } from "./codex-rollout";
import { canResume, type FileCursor, isUnchanged, readNewLines, readZstdLines, statOrNull } from "./file-cursor";
import { findFiles, splitPathList } from "./find-files";
import { buildSessionInputs, type SessionTotals } from "./session-totals";
import type { CollectEnvironment, Collector, CollectResult, UsageRecord } from "./types";

interface RolloutState {
  path: string;
  cursor: FileCursor;
  progress: RolloutProgress;
}

export interface CodexState {
  version: 1;
  /** Keyed by the rollout's thread id (file name uuid): one entry per session whatever its copies. */
  rollouts: Record<string, RolloutState>;
}

interface RolloutFile {
  key: string;
  path: string;
  rank: number;
}

/** `CODEX_HOME` (a comma list is tolerated, as ccusage does), else `~/.codex`. */
export function resolveCodexHomes(environment: CollectEnvironment): string[] {
  const override = splitPathList(environment.env.CODEX_HOME);
  return override.length > 0 ? override : [join(environment.home, ".codex")];
}

const ROLLOUT_NAME = /^rollout-.*\.jsonl(\.zst)?$/;
const THREAD_ID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(?:\.zst)?$/i;

function readRolloutKey(path: string): string {
  const name = basename(path);
  return THREAD_ID.exec(name)?.[1]?.toLowerCase() ?? name.replace(/\.jsonl(\.zst)?$/, "");
}

/**
 * One file per thread (§2.1, §2.5.3–4): active before archived, plain `.jsonl` before `.jsonl.zst`
 * (a plain copy is re-materialised next to the `.zst` while the session is appended to), first home first.
 */
function listRollouts(homes: string[]): RolloutFile[] {
  const chosen = new Map<string, RolloutFile>();
  homes.forEach((home, homeIndex) => {
    for (const [folder, archived] of [
      ["sessions", 0],
      ["archived_sessions", 2],
    ] as const) {
      const paths = findFiles(join(home, folder), { maxDepth: 4, acceptFile: (_, name) => ROLLOUT_NAME.test(name) });
      for (const path of paths) {
        const rank = homeIndex * 10 + archived + (path.endsWith(".zst") ? 1 : 0);
        const key = readRolloutKey(path);
        const known = chosen.get(key);
        if (!known || rank < known.rank) chosen.set(key, { key, path, rank });
      }
    }
  });
  return [...chosen.values()];
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

interface ReadTally {
  malformedLines: number;
  accepted: AcceptedCall[];
}

function readRollout(file: RolloutFile, stats: Stats, known: RolloutState | undefined, salt: string, tally: ReadTally) {
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

function toRecords(sessionId: string, calls: AcceptedCall[]): UsageRecord[] {
  return calls.map((call) => ({
    tool: "codex",
    sessionId,
    timestamp: call.timestamp,
    model: call.model,
    inputTokens: call.tokens[0],
    outputTokens: call.tokens[1],
    cacheCreationTokens: call.tokens[2],
    cacheReadTokens: call.tokens[3],
    dedupKey: `${sessionId}:${call.timestamp}:${call.tokens.join(",")}`,
  }));
}

async function collectCodex(
  environment: CollectEnvironment,
  previous: CodexState | undefined,
): Promise<CollectResult<CodexState>> {
  const state: CodexState = previous?.version === 1 ? previous : { version: 1, rollouts: {} };
  const salt = environment.projectSalt ?? "";
  const files = listRollouts(resolveCodexHomes(environment));
  const present = new Set(files.map((file) => file.key));
  for (const key of Object.keys(state.rollouts)) if (!present.has(key)) delete state.rollouts[key];

  const touched: Record<string, SessionTotals> = {};
  const records: UsageRecord[] = [];
  let malformedLines = 0;
  let filesRead = 0;
  for (const file of files) {
    const stats = statOrNull(file.path);
    const known = state.rollouts[file.key];
    if (!stats || (known?.path === file.path && isUnchanged(known.cursor, stats))) continue;
    const tally: ReadTally = { malformedLines: 0, accepted: [] };
    let next: RolloutState;
    try {
      next = readRollout(file, stats, known, salt, tally);
    } catch {
      malformedLines++; // vanished mid-run or a corrupt .zst: retried next run from the saved state
      continue;
    }
    state.rollouts[file.key] = next;
    malformedLines += tally.malformedLines;
    filesRead++;
    const sessionId = next.progress.sessionId ?? file.key;
    touched[sessionId] = next.progress.totals;
    if (!environment.skipRecords) records.push(...toRecords(sessionId, tally.accepted));
  }
  const sessions = buildSessionInputs("codex", touched, Object.keys(touched));
  return { sessions, records, state, malformedLines, filesRead };
}

export const codexCollector: Collector<CodexState> = {
  tool: "codex",
  detect: (environment) =>
    resolveCodexHomes(environment).some(
      (home) => existsSync(join(home, "sessions")) || existsSync(join(home, "archived_sessions")),
    ),
  collect: collectCodex,
};
