import { join } from "node:path";
import type { ToolType } from "@modu-arena/core";
import type { StateStore } from "../collectors/types";
import { readJsonIfValid, writeJsonAtomic } from "./atomic-file";
import type { StatePaths } from "./paths";

/** Each collector's cursors in their own file, written atomically after its sessions are queued. */
function getStateFile(paths: StatePaths, tool: ToolType): string {
  return join(paths.collectorStateDir, `${tool}.json`);
}

export function loadCollectorState(paths: StatePaths, tool: ToolType, store?: StateStore<unknown>): unknown {
  if (store) return store.load(paths.collectorStateDir, tool);
  const value = readJsonIfValid(getStateFile(paths, tool)) as { state?: unknown } | undefined;
  return value?.state;
}

export function saveCollectorState(
  paths: StatePaths,
  tool: ToolType,
  state: unknown,
  now: Date,
  store?: StateStore<unknown>,
): void {
  if (store) {
    store.save(paths.collectorStateDir, tool, state, now);
    return;
  }
  writeJsonAtomic(getStateFile(paths, tool), { savedAt: now.toISOString(), state });
}
