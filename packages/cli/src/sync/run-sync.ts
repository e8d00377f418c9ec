import { existsSync, rmSync, writeFileSync } from "node:fs";
import type { ToolType } from "@modu-arena/core";
import type { ApiClient } from "../api/client";
import type { CollectEnvironment, Collector } from "../collectors/index";
import { describeError } from "../errors";
import { readJsonIfValid } from "../state/atomic-file";
import { loadCollectorState, saveCollectorState } from "../state/collector-state";
import { type Lock, tryAcquireLock } from "../state/lock";
import type { StatePaths } from "../state/paths";
import { enqueueSessions, listQueue } from "../state/queue";
import { computeNextAttempt, loadSyncStatus, saveSyncStatus } from "../state/sync-status";
import { type UploadReport, uploadQueue } from "./upload-queue";

export interface ToolSyncReport {
  tool: ToolType;
  sessions: number;
  malformedLines: number;
  filesRead: number;
  error?: string;
}

export interface SyncReport {
  /** Another sync held the lock: it was asked to run once more, and this run did nothing. */
  busy: boolean;
  tools: ToolSyncReport[];
  queued: number;
  upload?: UploadReport;
  uploadSkipped?: string;
}

export interface SyncContext {
  paths: StatePaths;
  environment: CollectEnvironment;
  collectors: Collector[];
  client: ApiClient;
  now: () => Date;
  /** Automatic runs (hooks, schedule) wait out the backoff; a user's `sync` tries at once. */
  respectBackoff: boolean;
  /** Every collector a note from another sync may ask for (defaults to `collectors`). */
  availableCollectors?: Collector[];
  /** A user's `sync` waits this long for a running one to finish; hooks pass 0 and leave a note instead. */
  waitForLockMs?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called before each collector reads (a terminal shows it: a first backfill can take a while). */
  onCollect?: (tool: ToolType) => void;
}

/** Collect → queue → persist the cursors → upload. Each step is safe to interrupt (see queue.ts). */
async function collectIntoQueue(
  context: SyncContext,
  collector: Collector,
  environment: CollectEnvironment,
): Promise<ToolSyncReport> {
  const tool = collector.tool;
  try {
    context.onCollect?.(tool);
    const previous = loadCollectorState(context.paths, tool, collector.store);
    const result = await collector.collect(environment, previous);
    await enqueueSessions(context.paths, result.sessions, context.now());
    // Only now: a crash before this line re-collects the same cumulative totals next time.
    saveCollectorState(context.paths, tool, result.state, context.now(), collector.store);
    return {
      tool,
      sessions: result.sessions.length,
      malformedLines: result.malformedLines,
      filesRead: result.filesRead,
    };
  } catch (error) {
    return { tool, sessions: 0, malformedLines: 0, filesRead: 0, error: describeError(error) };
  }
}

async function uploadWithBackoff(context: SyncContext, report: SyncReport): Promise<void> {
  const status = loadSyncStatus(context.paths);
  const now = context.now();
  if (context.respectBackoff && status.nextAttemptAt && Date.parse(status.nextAttemptAt) > now.getTime()) {
    report.uploadSkipped = `backing off until ${status.nextAttemptAt}`;
    return;
  }
  const upload = await uploadQueue({
    paths: context.paths,
    client: context.client,
    now: context.now,
    onProgress: context.onProgress,
  });
  report.upload = mergeUploads(report.upload, upload);
  if (upload.error) {
    status.consecutiveFailures += 1;
    const retryAfter = upload.error.status === 429 ? upload.error.retryAfterSeconds : undefined;
    status.nextAttemptAt = computeNextAttempt(now, status.consecutiveFailures, retryAfter).toISOString();
    status.lastError = { message: upload.error.message, at: now.toISOString() };
  } else {
    status.consecutiveFailures = 0;
    status.nextAttemptAt = null;
    status.lastUploadAt = context.now().toISOString();
  }
  saveSyncStatus(context.paths, status);
}

function mergeUploads(previous: UploadReport | undefined, next: UploadReport): UploadReport {
  if (!previous) return next;
  return {
    sent: previous.sent + next.sent,
    acknowledged: {
      created: previous.acknowledged.created + next.acknowledged.created,
      updated: previous.acknowledged.updated + next.acknowledged.updated,
      duplicate: previous.acknowledged.duplicate + next.acknowledged.duplicate,
    },
    deadLettered: previous.deadLettered + next.deadLettered,
    kept: next.kept,
    error: next.error,
  };
}

function recordToolResults(context: SyncContext, results: ToolSyncReport[]): void {
  const status = loadSyncStatus(context.paths);
  const now = context.now().toISOString();
  for (const result of results) {
    if (result.error) status.lastError = { message: result.error, at: now, tool: result.tool };
    else status.lastSyncAt[result.tool] = now;
  }
  saveSyncStatus(context.paths, status);
}

/** Asks the running sync to go once more, so that a hook firing during a sync is not lost. */
function requestRerun(paths: StatePaths, tools: ToolType[]): void {
  const previous = readJsonIfValid(paths.pending);
  const known = Array.isArray(previous) ? (previous as ToolType[]) : [];
  try {
    // A plain write: if uninstall removed the folder meanwhile, there is nobody left to tell.
    writeFileSync(paths.pending, JSON.stringify([...new Set([...known, ...tools])]), { mode: 0o600 });
  } catch {
    // Nothing to do: the running sync (or uninstall) owns the folder.
  }
}

function takeRerunRequest(paths: StatePaths): ToolType[] | undefined {
  const value = readJsonIfValid(paths.pending);
  if (value === undefined) return undefined;
  rmSync(paths.pending, { force: true });
  return Array.isArray(value) ? (value as ToolType[]) : [];
}

export async function acquireLock(lockPath: string, now: () => Date, waitMs: number): Promise<Lock | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = tryAcquireLock(lockPath, now());
    if (lock || Date.now() >= deadline) return lock;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function lockOrMissing(context: SyncContext, waitMs: number): Promise<Lock | undefined | null> {
  return acquireLock(context.paths.lock, context.now, waitMs).catch((error: unknown) => {
    // Uninstalled between our start and now: stay out of the home.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  });
}

/** Rounds under the lock: ours first, then one per note left by syncs that found the lock taken. */
async function syncWhileHoldingLock(context: SyncContext, report: SyncReport, first: Collector[]): Promise<void> {
  const available = context.availableCollectors ?? context.collectors;
  let collectors = first;
  // A hook's hint of what changed is for its own round: a note from another sync carries none.
  const { changedFiles: _hint, ...unhinted } = context.environment;
  for (let round = 0; round < 5; round += 1) {
    if (collectors.length > 0) {
      const environment = round === 0 ? context.environment : unhinted;
      const results: ToolSyncReport[] = [];
      for (const collector of collectors) results.push(await collectIntoQueue(context, collector, environment));
      recordToolResults(context, results);
      report.tools.push(...results);
      await uploadWithBackoff(context, report);
    }
    const rerun = takeRerunRequest(context.paths);
    if (!rerun) return;
    collectors = available.filter((collector) => rerun.includes(collector.tool));
  }
}

export async function runSync(context: SyncContext): Promise<SyncReport> {
  const report: SyncReport = { busy: false, tools: [], queued: 0 };
  if (!existsSync(context.paths.dir)) return { ...report, uploadSkipped: "not installed" };
  let lock = await lockOrMissing(context, context.waitForLockMs ?? 0);
  if (lock === undefined) {
    requestRerun(
      context.paths,
      context.collectors.map((collector) => collector.tool),
    );
    // The holder may have let go between our attempt and our note: then the note is ours to serve.
    lock = await lockOrMissing(context, 0);
    if (lock === undefined) return { ...report, busy: true };
  }
  if (lock === null) return { ...report, uploadSkipped: "not installed" };
  try {
    await syncWhileHoldingLock(context, report, context.collectors);
  } finally {
    lock.release();
  }
  // A note written after our last look and before the release would otherwise wait for the next hook.
  if (context.collectors.length > 0 && existsSync(context.paths.pending)) {
    const next = await runSync({ ...context, collectors: [], waitForLockMs: 0 });
    report.tools.push(...next.tools);
    if (next.upload) report.upload = mergeUploads(report.upload, next.upload);
  }
  report.queued = listQueue(context.paths).length;
  return report;
}
