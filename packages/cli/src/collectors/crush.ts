import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { SessionInput } from "@modu-arena/core";
import { summarizeCrushTree } from "./crush-tree";
import { statOrNull } from "./file-cursor";
import { hashProjectPath } from "./project-id";
import { advanceHighWater, createHighWater, type HighWater, listTables, openReadOnlyDb } from "./sqlite-read";
import type { CollectEnvironment, Collector, CollectResult, UsageRecord } from "./types";

interface DbProgress {
  sessions: HighWater;
  messages: HighWater;
  /** Largest prompt/completion tokens ever seen per session (Crush overwrites them with the last step's). */
  peaks: Record<string, [number, number]>;
}

export interface CrushState {
  version: 1;
  dbs: Record<string, DbProgress>;
}

interface CrushProject {
  path: string;
  db: string;
}

/** Where `projects.json` lives: `$CRUSH_GLOBAL_DATA`, `$XDG_DATA_HOME/crush`, `~/.local/share/crush`, Windows `%LOCALAPPDATA%\crush`. */
export function resolveCrushDataDir(environment: CollectEnvironment): string {
  const { env } = environment;
  if (env.CRUSH_GLOBAL_DATA?.trim()) return env.CRUSH_GLOBAL_DATA.trim();
  if (env.XDG_DATA_HOME?.trim()) return join(env.XDG_DATA_HOME.trim(), "crush");
  if (environment.platform === "win32" && env.LOCALAPPDATA?.trim()) return join(env.LOCALAPPDATA.trim(), "crush");
  return join(environment.home, ".local", "share", "crush");
}

/** Every project's `crush.db`, from the registry (§5.1; stale entries whose database is gone are skipped). */
export function listCrushProjects(environment: CollectEnvironment): CrushProject[] {
  let registry: unknown;
  try {
    registry = JSON.parse(readFileSync(join(resolveCrushDataDir(environment), "projects.json"), "utf8"));
  } catch {
    return [];
  }
  const entries = (registry as { projects?: unknown })?.projects;
  if (!Array.isArray(entries)) return [];
  const projects = new Map<string, CrushProject>();
  for (const entry of entries) {
    const { path, data_dir: dataDir } = (entry ?? {}) as { path?: unknown; data_dir?: unknown };
    if (typeof path !== "string" || path === "") continue;
    const dir = typeof dataDir === "string" && dataDir !== "" ? dataDir : ".crush";
    const db = join(isAbsolute(dir) ? dir : join(path, dir), "crush.db");
    if (existsSync(db) && !projects.has(db)) projects.set(db, { path, db });
  }
  return [...projects.values()];
}

interface Row {
  id: string;
  time: number;
  session_id?: string;
}

function findRoot(parents: Map<string, string | null>, id: string): string {
  let current = id;
  for (let depth = 0; depth < 32; depth++) {
    const parent = parents.get(current);
    if (!parent || parent === current) return current;
    current = parent;
  }
  return current;
}

interface ProjectOutcome {
  sessions: SessionInput[];
  /** Trees with no usable time of their own, dated by the database's mtime. */
  undated: number;
}

/** `nowMs` dates a tree when neither its rows nor the database file have a usable time. */
function readProject(project: CrushProject, progress: DbProgress, salt: string, nowMs: number): ProjectOutcome | null {
  const db = openReadOnlyDb(project.db);
  if (!db) return null;
  try {
    const tables = listTables(db);
    if (!tables.has("sessions") || !tables.has("messages")) return null;
    const touched = new Set<string>();
    const sessionRows = db
      .prepare("SELECT id, updated_at AS time FROM sessions WHERE updated_at >= ? ORDER BY updated_at, id")
      .iterate(progress.sessions.t) as Iterable<Row>;
    progress.sessions = advanceHighWater(progress.sessions, sessionRows, (row) => touched.add(row.id));
    const messageRows = db
      .prepare("SELECT id, session_id, updated_at AS time FROM messages WHERE updated_at >= ? ORDER BY updated_at, id")
      .iterate(progress.messages.t) as Iterable<Row>;
    progress.messages = advanceHighWater(progress.messages, messageRows, (row) => {
      if (row.session_id) touched.add(row.session_id);
    });
    if (touched.size === 0) return { sessions: [], undated: 0 };
    const links = db.prepare("SELECT id, parent_session_id AS parent FROM sessions").all() as {
      id: string;
      parent: string | null;
    }[];
    const parents = new Map(links.map((link) => [link.id, link.parent]));
    const roots = new Set([...touched].filter((id) => parents.has(id)).map((id) => findRoot(parents, id)));
    const projectId = hashProjectPath(project.path, salt);
    const mtimeMs = statOrNull(project.db)?.mtimeMs ?? nowMs;
    const outcome: ProjectOutcome = { sessions: [], undated: 0 };
    for (const root of roots) {
      const summary = summarizeCrushTree(db, root, progress.peaks, projectId, mtimeMs);
      if (!summary) continue;
      outcome.sessions.push(summary.session);
      if (summary.undated) outcome.undated++;
    }
    return outcome;
  } finally {
    db.close();
  }
}

async function collectCrush(
  environment: CollectEnvironment,
  previous: CrushState | undefined,
): Promise<CollectResult<CrushState>> {
  const state: CrushState = previous?.version === 1 ? previous : { version: 1, dbs: {} };
  const sessions: SessionInput[] = [];
  let filesRead = 0;
  let malformedLines = 0;
  let undatedRecords = 0;
  for (const project of listCrushProjects(environment)) {
    const known = state.dbs[project.db];
    // Worked on a copy: a database that fails midway (busy, odd schema) leaves its saved marks untouched.
    const progress = known
      ? structuredClone(known)
      : { sessions: createHighWater(), messages: createHighWater(), peaks: {} };
    let found: ProjectOutcome | null;
    try {
      found = readProject(project, progress, environment.projectSalt ?? "", environment.now.getTime());
    } catch {
      malformedLines++;
      continue;
    }
    if (!found) continue;
    state.dbs[project.db] = progress;
    sessions.push(...found.sessions);
    undatedRecords += found.undated;
    filesRead++;
  }
  const records = environment.skipRecords ? [] : sessions.map(recordOfTree);
  return { sessions, records, state, malformedLines, filesRead, undatedRecords };
}

/**
 * Crush stores no per-call tokens: a local report gets one record per session tree, dated at its end and
 * keyed by its root (re-emitted with its grown totals, the last one counts), so that it sums as sync does.
 */
function recordOfTree(session: SessionInput): UsageRecord {
  return {
    tool: "crush",
    sessionId: session.sessionId,
    timestamp: Date.parse(session.endedAt),
    model: session.modelName ?? null,
    inputTokens: session.inputTokens,
    outputTokens: session.outputTokens,
    cacheCreationTokens: session.cacheCreationTokens ?? 0,
    cacheReadTokens: session.cacheReadTokens ?? 0,
    reasoningTokens: 0,
    dedupKey: session.sessionId,
  };
}

export const crushCollector: Collector<CrushState> = {
  tool: "crush",
  detect: (environment) => listCrushProjects(environment).length > 0,
  collect: collectCrush,
};
