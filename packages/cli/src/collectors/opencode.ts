import { existsSync, readdirSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { createDbMarks, type DbMarks, readOpenCodeDb } from "./opencode-db";
import { type LegacyMarks, readOpenCodeLegacy } from "./opencode-legacy";
import type { OpenCodeBook, RowContext } from "./opencode-rows";
import { RecordClock } from "./record-time";
import { buildSessionInputs } from "./session-totals";
import type { CollectEnvironment, Collector, CollectResult, UsageRecord } from "./types";
import { recordOfTally } from "./usage-records";

/** Version 2 keeps each reply's reasoning: a version 1 state is read again from scratch (totals are cumulative). */
export interface OpenCodeState extends OpenCodeBook {
  version: 2;
  dbs: Record<string, DbMarks>;
  legacy: LegacyMarks;
}

/** `$XDG_DATA_HOME/opencode`, default `~/.local/share/opencode` on every OS (xdg-basedir, §4.1). */
export function resolveOpenCodeDataDir(environment: CollectEnvironment): string {
  const xdg = environment.env.XDG_DATA_HOME?.trim() || join(environment.home, ".local", "share");
  return join(xdg, "opencode");
}

const DB_NAME = /^opencode(-[\w.-]+)?\.db$/;

/** `opencode.db`, channel databases (`opencode-<channel>.db`, v2 `opencode-next.db`) and `OPENCODE_DB`. */
export function listOpenCodeDbs(environment: CollectEnvironment): string[] {
  const dataDir = resolveOpenCodeDataDir(environment);
  const paths = new Set<string>();
  const override = environment.env.OPENCODE_DB?.trim();
  if (override && override !== ":memory:") paths.add(isAbsolute(override) ? override : join(dataDir, override));
  try {
    for (const name of readdirSync(dataDir)) if (DB_NAME.test(name)) paths.add(join(dataDir, name));
  } catch {
    // no data dir
  }
  return [...paths].filter((path) => existsSync(path));
}

function createState(): OpenCodeState {
  return {
    version: 2,
    dbs: {},
    legacy: {},
    messages: {},
    parts: {},
    fingerprints: {},
    parents: {},
    projects: {},
    sessions: {},
  };
}

function buildRecords(state: OpenCodeState, changed: Set<string>): UsageRecord[] {
  const records: UsageRecord[] = [];
  for (const id of changed) {
    const tally = state.messages[id];
    if (!tally || tally[7] === "c") continue;
    records.push(recordOfTally("opencode", tally, id, tally[8] ?? 0));
  }
  return records;
}

async function collectOpenCode(
  environment: CollectEnvironment,
  previous: OpenCodeState | undefined,
): Promise<CollectResult<OpenCodeState>> {
  const state = previous?.version === 2 ? previous : createState();
  const salt = environment.projectSalt ?? "";
  const context: RowContext = {
    book: state,
    touched: new Set(),
    changed: new Set(),
    clock: new RecordClock(Number.NaN, environment.now.getTime()),
    undatedRecords: 0,
  };
  let malformedLines = 0;
  let filesRead = 0;
  // Databases before legacy files: a message read from a database is never overridden by its old file.
  for (const path of listOpenCodeDbs(environment)) {
    const outcome = readOpenCodeDb(path, state.dbs[path] ?? createDbMarks(), salt, context);
    malformedLines += outcome.malformedRows;
    if (!outcome.read) continue;
    state.dbs[path] = outcome.marks;
    filesRead++;
  }
  const legacy = readOpenCodeLegacy(resolveOpenCodeDataDir(environment), state.legacy, salt, context);
  state.legacy = legacy.marks;
  malformedLines += legacy.malformedFiles;
  filesRead += legacy.filesRead;
  const records = environment.skipRecords ? [] : buildRecords(state, context.changed);
  const sessions = buildSessionInputs("opencode", state.sessions, context.touched);
  return { sessions, records, state, malformedLines, filesRead, undatedRecords: context.undatedRecords };
}

export const opencodeCollector: Collector<OpenCodeState> = {
  tool: "opencode",
  detect: (environment) =>
    listOpenCodeDbs(environment).length > 0 || existsSync(join(resolveOpenCodeDataDir(environment), "storage")),
  collect: collectOpenCode,
};
