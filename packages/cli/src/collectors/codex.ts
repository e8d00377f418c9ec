import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import {
  type RolloutFile,
  type RolloutRead,
  type RolloutState,
  type RolloutTask,
  readRolloutTask,
  readRolloutTotals,
} from "./codex-read";
import { type AcceptedCall, addSessionTotals, type CodexCounters } from "./codex-rollout";
import { appendRows, decodeRows, hashRow, RowOwners } from "./codex-rows";
import { isUnchanged, statOrNull } from "./file-cursor";
import { mapInParallel } from "./file-pool";
import { findFiles, splitPathList } from "./find-files";
import { chooseThreads, findWorkerScript } from "./scan-threads";
import { addReasoning, addTokens, buildSessionInputs, createSessionTotals, type SessionTotals } from "./session-totals";
import type { CollectEnvironment, Collector, CollectResult, UsageRecord } from "./types";

/** 2: reasoning, undated calls, forks told by content and cross-file rows (a version 1 state is read again). */
const STATE_VERSION = 2;

export interface CodexState {
  version: typeof STATE_VERSION;
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
 * and tokens in one file are two calls).
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
      reasoningTokens: call.reasoning,
    };
    if (keyed) record.dedupKey = `${sessionId}:${call.timestamp}:${call.tokens.join(",")}`;
    return record;
  });
}

/** The parents' distinct totals, each read at most once per run; null when the parent rollout is not there. */
function createParentTotals(files: Map<string, RolloutFile>) {
  const known = new Map<string, CodexCounters[] | null>();
  return (parentId: string, childKey: string): CodexCounters[] | null => {
    const key = parentId.toLowerCase();
    if (key === childKey) return null;
    if (!known.has(key)) {
      const file = files.get(key);
      const stats = file ? statOrNull(file.path) : null;
      known.set(key, file && stats ? readRolloutTotals(file, stats) : null);
    }
    return known.get(key) ?? null;
  };
}

/**
 * Which file counted each row that a call of this run may equal: rows of the files not read again from
 * their start, and only of those whose span of rows meets the span of this run's calls. Files are named by
 * their index in `ownerKeys`.
 */
function loadRowOwners(state: CodexState, reads: ReadDone[], ownerKeys: string[]): RowOwners {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  let calls = 0;
  for (const { read } of reads) {
    calls += read.calls.length;
    for (const call of read.calls) {
      if (call.timestamp < from) from = call.timestamp;
      if (call.timestamp > to) to = call.timestamp;
    }
  }
  const loaded: [string, Float64Array][] = [];
  let rowCount = calls;
  if (from <= to) {
    const replaced = new Set(reads.filter(({ read }) => !read.resumed).map(({ file }) => file.key));
    for (const [key, rollout] of Object.entries(state.rollouts)) {
      if (replaced.has(key) || rollout.rowsFrom === undefined || rollout.rowsTo === undefined) continue;
      if (rollout.rowsFrom > to || rollout.rowsTo < from) continue;
      const rows = decodeRows(rollout.rows);
      loaded.push([key, rows]);
      rowCount += rows.length;
    }
  }
  const owners = new RowOwners(rowCount);
  for (const [key, rows] of loaded) {
    const owner = ownerKeys.push(key) - 1;
    for (const row of rows) owners.claim(row, owner);
  }
  return owners;
}

interface ReadDone {
  file: RolloutFile;
  known: RolloutState | undefined;
  read: RolloutRead;
}

/** Rollouts that replay no other first (a parent before its forks), then by creation and key: a stable order. */
function compareReads(a: ReadDone, b: ReadDone): number {
  const forkedA = a.read.next.progress.parentId === null ? 0 : 1;
  const forkedB = b.read.next.progress.parentId === null ? 0 : 1;
  if (forkedA !== forkedB) return forkedA - forkedB;
  const createdA = a.read.next.progress.createdAt ?? Number.POSITIVE_INFINITY;
  const createdB = b.read.next.progress.createdAt ?? Number.POSITIVE_INFINITY;
  if (createdA !== createdB) return createdA - createdB;
  return a.file.key < b.file.key ? -1 : a.file.key > b.file.key ? 1 : 0;
}

/**
 * §2.5.2 across files: a call whose row (time, model, counters) another file already counted is taken
 * out of this file's totals and records. Returns the calls each read keeps.
 */
function dropRowsCountedElsewhere(state: CodexState, reads: ReadDone[]): Map<ReadDone, AcceptedCall[]> {
  const ownerKeys: string[] = [];
  const owners = loadRowOwners(state, reads, ownerKeys);
  const ownerOfKey = new Map(ownerKeys.map((key, index) => [key, index]));
  const kept = new Map<ReadDone, AcceptedCall[]>();
  for (const done of [...reads].sort(compareReads)) {
    const { file, known, read } = done;
    let self = ownerOfKey.get(file.key);
    if (self === undefined) self = ownerKeys.push(file.key) - 1;
    const totals = read.next.progress.totals;
    const calls: AcceptedCall[] = [];
    const owned: number[] = [];
    let { rowsFrom, rowsTo } = read.resumed && known ? known : { rowsFrom: undefined, rowsTo: undefined };
    for (const call of read.calls) {
      const row = hashRow(call);
      const owner = owners.ownerOf(row);
      if (owner !== -1 && owner !== self) {
        addTokens(totals, call.tokens, call.model, -1);
        addReasoning(totals, call.reasoning, -1);
        continue;
      }
      if (owner === -1) owners.claim(row, self);
      owned.push(row);
      calls.push(call);
      if (rowsFrom === undefined || call.timestamp < rowsFrom) rowsFrom = call.timestamp;
      if (rowsTo === undefined || call.timestamp > rowsTo) rowsTo = call.timestamp;
    }
    const rows = appendRows(read.resumed ? known?.rows : undefined, owned);
    if (rows !== undefined) Object.assign(read.next, { rows, rowsFrom, rowsTo });
    kept.set(done, calls);
  }
  return kept;
}

/** Each touched session's totals: the union of every file carrying its id (one payload per session id). */
function mergeSessions(state: CodexState, touched: Set<string>): Record<string, SessionTotals> {
  const parts = new Map<string, SessionTotals[]>();
  for (const [key, rollout] of Object.entries(state.rollouts)) {
    const sessionId = rollout.progress.sessionId ?? key;
    if (!touched.has(sessionId)) continue;
    const list = parts.get(sessionId);
    if (list) list.push(rollout.progress.totals);
    else parts.set(sessionId, [rollout.progress.totals]);
  }
  const merged: Record<string, SessionTotals> = {};
  for (const [sessionId, list] of parts) {
    if (list.length === 1) {
      merged[sessionId] = list[0]!;
      continue;
    }
    const union = createSessionTotals();
    for (const totals of list) addSessionTotals(union, totals);
    merged[sessionId] = union;
  }
  return merged;
}

async function collectCodex(
  environment: CollectEnvironment,
  previous: CodexState | undefined,
): Promise<CollectResult<CodexState>> {
  const continuing = previous?.version === STATE_VERSION;
  const state: CodexState = continuing ? previous : { version: STATE_VERSION, rollouts: {} };
  const salt = environment.projectSalt ?? "";
  const files = listRollouts(resolveCodexHomes(environment));
  const byKey = new Map(files.map((file) => [file.key, file]));
  for (const key of Object.keys(state.rollouts)) if (!byKey.has(key)) delete state.rollouts[key];
  const parentTotalsOf = createParentTotals(byKey);

  const tasks: RolloutTask[] = [];
  let newBytes = 0;
  for (const file of files) {
    const stats = statOrNull(file.path);
    const known = state.rollouts[file.key];
    if (!stats || (known?.path === file.path && isUnchanged(known.cursor, stats))) continue;
    const identity = { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs };
    const task: RolloutTask = { file, stats: identity, known, salt, stopAtParent: true };
    // A fork still replaying its parent when last read goes on matching the parent's totals.
    const parentId = known && known.progress.replayed !== null ? known.progress.parentId : null;
    if (parentId) task.parentTotals = parentTotalsOf(parentId, file.key) ?? undefined;
    tasks.push(task);
    newBytes += stats.size - (known?.path === file.path ? known.cursor.offset : 0);
  }
  const threads = chooseThreads(newBytes, environment.scanThreads, undefined, CODEX_PARALLEL_MIN_BYTES);
  const script = findWorkerScript(WORKER_FILE);
  const firstReads = await mapInParallel(tasks, threads, script, readRolloutTask);
  // A fork read from its start stopped at its parent's id: it is read again, with the parent's totals when
  // the parent's rollout is there (its replay is then told by content, wherever its rows are stamped).
  const forks: number[] = [];
  firstReads.forEach((read, index) => {
    if (read === null || !("parentId" in read)) return;
    const task = tasks[index]!;
    const parentTotals = parentTotalsOf(read.parentId, task.file.key);
    tasks[index] = { ...task, stopAtParent: false, parentTotals: parentTotals?.length ? parentTotals : undefined };
    forks.push(index);
  });
  const forkReads = await mapInParallel(
    forks.map((index) => tasks[index]!),
    threads,
    script,
    readRolloutTask,
  );
  const reads = firstReads.map((read) => (read && "parentId" in read ? null : read));
  forks.forEach((index, at) => {
    const read = forkReads[at]!;
    reads[index] = read && "parentId" in read ? null : read;
  });

  let malformedLines = 0;
  const done: ReadDone[] = [];
  reads.forEach((read, index) => {
    const { file, known } = tasks[index]!;
    if (!read)
      malformedLines++; // vanished mid-run or a corrupt .zst: retried next run from the saved state
    else done.push({ file, known, read });
  });
  const kept = dropRowsCountedElsewhere(state, done);

  const records: UsageRecord[] = [];
  const touched = new Set<string>();
  let undatedRecords = 0;
  for (const entry of done) {
    const { file, read } = entry;
    state.rollouts[file.key] = read.next;
    malformedLines += read.malformedLines;
    const sessionId = read.next.progress.sessionId ?? file.key;
    touched.add(sessionId);
    const calls = kept.get(entry) ?? [];
    for (const call of calls) if (call.undated) undatedRecords++;
    if (!environment.skipRecords) records.push(...toRecords(sessionId, calls, continuing));
  }
  const sessions = buildSessionInputs("codex", mergeSessions(state, touched), touched);
  return { sessions, records, state, malformedLines, filesRead: done.length, undatedRecords };
}

export const codexCollector: Collector<CodexState> = {
  tool: "codex",
  detect: (environment) =>
    resolveCodexHomes(environment).some(
      (home) => existsSync(join(home, "sessions")) || existsSync(join(home, "archived_sessions")),
    ),
  collect: collectCodex,
};
