import { statOrNull } from "./file-cursor";
import { handleMessageRow, handlePartRow, type RowContext, withClock } from "./opencode-rows";
import { hashProjectPath } from "./project-id";
import { advanceHighWater, createHighWater, type HighWater, listTables, openReadOnlyDb } from "./sqlite-read";
import { parseTimeValue } from "./timestamps";

/** High-water marks of one database (rows are updated in place, so marks are on `time_updated`). */
export interface DbMarks {
  session: HighWater;
  message: HighWater;
  part: HighWater;
}

export function createDbMarks(): DbMarks {
  return { session: createHighWater(), message: createHighWater(), part: createHighWater() };
}

interface SessionRow {
  id: string;
  time: number;
  parent_id: string | null;
  directory: string | null;
}

interface DataRow {
  id: string;
  time: number;
  session_id: string;
  data: string;
  message_id?: string;
  type?: string;
}

function parseData(row: DataRow, onMalformed: () => void): Record<string, unknown> | null {
  try {
    const data = JSON.parse(row.data) as unknown;
    if (data && typeof data === "object" && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    // counted below
  }
  onMalformed();
  return null;
}

export interface DbReadOutcome {
  marks: DbMarks;
  malformedRows: number;
  read: boolean;
}

/**
 * Reads the rows of `opencode.db` (v1: `session`, `message`, `part`; v2 `opencode-next.db`: `session_message`)
 * updated since the marks. Sessions first, so that sub-agent sessions resolve to their root.
 */
export function readOpenCodeDb(path: string, marks: DbMarks, salt: string, context: RowContext): DbReadOutcome {
  const mtimeMs = statOrNull(path)?.mtimeMs ?? Number.NaN;
  return withClock(context, mtimeMs, () => readDbRows(path, marks, salt, context));
}

function readDbRows(path: string, marks: DbMarks, salt: string, context: RowContext): DbReadOutcome {
  const db = openReadOnlyDb(path);
  if (!db) return { marks, malformedRows: 0, read: false };
  let malformedRows = 0;
  const onMalformed = () => {
    malformedRows++;
  };
  try {
    const tables = listTables(db);
    const next: DbMarks = { ...marks };
    if (tables.has("session")) {
      const rows = db
        .prepare(
          "SELECT id, time_updated AS time, parent_id, directory FROM session WHERE time_updated >= ? ORDER BY time_updated, id",
        )
        .iterate(marks.session.t) as Iterable<SessionRow>;
      next.session = advanceHighWater(marks.session, rows, (row) => {
        context.book.parents[row.id] = row.parent_id ?? null;
        if (row.directory) context.book.projects[row.id] = hashProjectPath(row.directory, salt);
      });
    }
    const messageTable = tables.has("message") ? "message" : tables.has("session_message") ? "session_message" : null;
    if (messageTable) {
      const typeColumn = messageTable === "session_message" ? ", type" : "";
      const rows = db
        .prepare(
          `SELECT id, session_id, time_updated AS time, data${typeColumn} FROM ${messageTable} WHERE time_updated >= ? ORDER BY time_updated, id`,
        )
        .iterate(marks.message.t) as Iterable<DataRow>;
      next.message = advanceHighWater(marks.message, rows, (row) => {
        const data = parseData(row, onMalformed);
        if (!data) return;
        if (row.type && data.role === undefined) data.role = row.type;
        // A message without its own time is dated by its row's last update.
        context.clock.see(parseTimeValue(row.time));
        handleMessageRow(row.id, row.session_id, data, "d", context);
      });
    }
    if (tables.has("part")) {
      // Only tool parts matter; text parts are most of the bytes, so filter in SQL.
      const rows = db
        .prepare(
          "SELECT id, message_id, session_id, time_updated AS time, data FROM part WHERE time_updated >= ? AND (CASE WHEN json_valid(data) THEN json_extract(data, '$.type') END) = 'tool' ORDER BY time_updated, id",
        )
        .iterate(marks.part.t) as Iterable<DataRow>;
      next.part = advanceHighWater(marks.part, rows, (row) => {
        const data = parseData(row, onMalformed);
        if (data) handlePartRow(row.id, row.message_id ?? "", row.session_id, data, context);
      });
    }
    return { marks: next, malformedRows, read: true };
  } catch {
    // Busy, locked or an unexpected schema: keep the old marks, re-reading rows later is idempotent.
    return { marks, malformedRows: malformedRows + 1, read: false };
  } finally {
    db.close();
  }
}
