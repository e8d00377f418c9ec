import type { ToolType } from "@modu-arena/core";
import { readJsonIfValid, writeJsonAtomic } from "./atomic-file";
import type { StatePaths } from "./paths";

/** What `status` shows and what backoff needs between runs. */
export interface SyncStatus {
  lastSyncAt: Partial<Record<ToolType, string>>;
  lastUploadAt: string | null;
  lastError: { message: string; at: string; tool?: ToolType } | null;
  consecutiveFailures: number;
  /** No automatic upload before this time (backoff after network errors, 5xx, 429 Retry-After). */
  nextAttemptAt: string | null;
}

const EMPTY_STATUS: SyncStatus = {
  lastSyncAt: {},
  lastUploadAt: null,
  lastError: null,
  consecutiveFailures: 0,
  nextAttemptAt: null,
};

export function loadSyncStatus(paths: StatePaths): SyncStatus {
  const value = readJsonIfValid(paths.status);
  if (typeof value !== "object" || value === null) return { ...EMPTY_STATUS, lastSyncAt: {} };
  return { ...EMPTY_STATUS, ...(value as Partial<SyncStatus>) };
}

export function saveSyncStatus(paths: StatePaths, status: SyncStatus): void {
  writeJsonAtomic(paths.status, status);
}

/** Exponential backoff from 30 s to one hour, unless the server said how long (Retry-After). */
export function computeNextAttempt(now: Date, failures: number, retryAfterSeconds?: number): Date {
  const seconds = retryAfterSeconds ?? Math.min(3600, 30 * 2 ** Math.max(0, failures - 1));
  return new Date(now.getTime() + seconds * 1000);
}
