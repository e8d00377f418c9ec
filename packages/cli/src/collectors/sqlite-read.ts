import { createRequire } from "node:module";
import type Database from "better-sqlite3";

export type ReadOnlyDb = Database.Database;

// Loaded on first use: a missing or broken native module then only disables the SQLite tools
// (OpenCode, Crush) instead of every command of the CLI.
const requireModule = createRequire(import.meta.url);
let loadedDatabase: typeof Database | undefined;
function loadDatabase(): typeof Database {
  loadedDatabase ??= requireModule("better-sqlite3") as typeof Database;
  return loadedDatabase;
}

/**
 * Opens a tool's live database read-only (§4.5.7, §5.5.5): no journal-mode change, WAL read as usual,
 * and a short busy timeout since the tool may be writing. Null when it is missing or not a database.
 */
export function openReadOnlyDb(path: string): ReadOnlyDb | null {
  try {
    const db = new (loadDatabase())(path, { readonly: true, fileMustExist: true, timeout: 2000 });
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return db;
  } catch {
    return null;
  }
}

export function listTables(db: ReadOnlyDb): Set<string> {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return new Set(rows.map((row) => row.name));
}

export function listColumns(db: ReadOnlyDb, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[];
  return new Set(rows.map((row) => row.name));
}

/** Rows at or after a high-water mark; the ids already read at exactly that mark are skipped. */
export interface HighWater {
  t: number;
  ids: string[];
}

export function createHighWater(): HighWater {
  return { t: -1, ids: [] };
}

/** Walks rows ordered by `time`, skipping those already seen, and returns the advanced mark. */
export function advanceHighWater<Row extends { id: string; time: number }>(
  mark: HighWater,
  rows: Iterable<Row>,
  onRow: (row: Row) => void,
): HighWater {
  const seen = new Set(mark.ids);
  let next: HighWater = { t: mark.t, ids: [...mark.ids] };
  for (const row of rows) {
    const time = Number(row.time);
    if (time === mark.t && seen.has(row.id)) continue;
    onRow(row);
    if (time > next.t) next = { t: time, ids: [row.id] };
    else if (time === next.t) next.ids.push(row.id);
  }
  return next;
}
