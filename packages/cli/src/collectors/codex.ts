import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { type RolloutFile, type RolloutState, type RolloutTask, readRolloutTask } from "./codex-read";
import type { AcceptedCall } from "./codex-rollout";
import { isUnchanged, statOrNull } from "./file-cursor";
import { mapInParallel } from "./file-pool";
import { findFiles, splitPathList } from "./find-files";
import { chooseThreads, findWorkerScript } from "./scan-threads";
import { buildSessionInputs, type SessionTotals } from "./session-totals";
import type { CollectEnvironment, Collector, CollectResult, UsageRecord } from "./types";

export interface CodexState {
  version: 1;
  /** Keyed by the rollout's thread id (file name uuid): one entry per session whatever its copies. */
  rollouts: Record<string, RolloutState>;
}

/** `CODEX_HOME` (a comma list is tolerated, as ccusage does), else `~/.codex`. */
export function resolveCodexHomes(environment: CollectEnvironment): string[] {
  const override = splitPathList(environment.env.CODEX_HOME);
  return override.length > 0 ? override : [join(environment.home, ".codex")];
}

const WORKER_FILE = "codex-scan-worker.js";
/**
 * Rollouts are read mostly in place, about twice as fast per byte as Claude transcripts, so a worker's
 * start-up and cold JIT outweigh its share until about 1 GB (315 MB: 0.51 s alone vs 0.61 s with one;
 * 1 GB: even; docs/benchmarks.md).
 */
export const CODEX_PARALLEL_MIN_BYTES = 1024 * 1024 * 1024;
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

/**
 * A rollout's accepted calls as records. Keys only when this run continued a state: a rollout read again
 * from its start re-emits its calls. In a full scan each call is there once (and two calls alike in time
 * and tokens are two calls).
 */
function toRecords(sessionId: string, calls: AcceptedCall[], keyed: boolean): UsageRecord[] {
  return calls.map((call) => {
    const record: UsageRecord = {
      tool: "codex",
      sessionId,
      timestamp: call.timestamp,
      model: call.model,
      inputTokens: call.tokens[0],
      outputTokens: call.tokens[1],
      cacheCreationTokens: call.tokens[2],
      cacheReadTokens: call.tokens[3],
    };
    if (keyed) record.dedupKey = `${sessionId}:${call.timestamp}:${call.tokens.join(",")}`;
    return record;
  });
}

async function collectCodex(
  environment: CollectEnvironment,
  previous: CodexState | undefined,
): Promise<CollectResult<CodexState>> {
  const continuing = previous?.version === 1;
  const state: CodexState = continuing ? previous : { version: 1, rollouts: {} };
  const salt = environment.projectSalt ?? "";
  const files = listRollouts(resolveCodexHomes(environment));
  const present = new Set(files.map((file) => file.key));
  for (const key of Object.keys(state.rollouts)) if (!present.has(key)) delete state.rollouts[key];

  const tasks: RolloutTask[] = [];
  let newBytes = 0;
  for (const file of files) {
    const stats = statOrNull(file.path);
    const known = state.rollouts[file.key];
    if (!stats || (known?.path === file.path && isUnchanged(known.cursor, stats))) continue;
    const identity = { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs };
    tasks.push({ file, stats: identity, known, salt, records: !environment.skipRecords });
    newBytes += stats.size - (known?.path === file.path ? known.cursor.offset : 0);
  }
  const threads = chooseThreads(newBytes, environment.scanThreads, undefined, CODEX_PARALLEL_MIN_BYTES);
  const reads = await mapInParallel(tasks, threads, findWorkerScript(WORKER_FILE), readRolloutTask);

  const touched: Record<string, SessionTotals> = {};
  const records: UsageRecord[] = [];
  let malformedLines = 0;
  let filesRead = 0;
  reads.forEach((read, index) => {
    const file = tasks[index]!.file;
    if (!read) {
      malformedLines++; // vanished mid-run or a corrupt .zst: retried next run from the saved state
      return;
    }
    state.rollouts[file.key] = read.next;
    malformedLines += read.malformedLines;
    filesRead++;
    const sessionId = read.next.progress.sessionId ?? file.key;
    touched[sessionId] = read.next.progress.totals;
    if (read.accepted) records.push(...toRecords(sessionId, read.accepted, continuing));
  });
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
