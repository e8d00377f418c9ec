import { readFileSync } from "node:fs";
import { join } from "node:path";
import { statOrNull } from "./file-cursor";
import { findFiles } from "./find-files";
import { asObject, type Json } from "./json-values";
import { handleMessageRow, handlePartRow, type RowContext, withClock } from "./opencode-rows";
import { hashProjectPath } from "./project-id";

/** Legacy file path -> [size, mtimeMs] when last read. */
export type LegacyMarks = Record<string, [number, number]>;

export interface LegacyOutcome {
  marks: LegacyMarks;
  malformedFiles: number;
  filesRead: number;
}

function readJsonFile(path: string): Json | null {
  try {
    return asObject(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return null;
  }
}

const inKind = (kind: string) => (relative: string, name: string) =>
  relative.startsWith(`${kind}/`) && name.endsWith(".json");

/**
 * OpenCode ≤ 1.1 stored one JSON file per session, message and part under `<data>/storage/` (§4.1). After
 * the SQLite migration they are a frozen subset of the database: a row already read from a database wins.
 */
export function readOpenCodeLegacy(
  dataDir: string,
  marks: LegacyMarks,
  salt: string,
  context: RowContext,
): LegacyOutcome {
  const storage = join(dataDir, "storage");
  const next: LegacyMarks = {};
  let malformedFiles = 0;
  let filesRead = 0;
  for (const kind of ["session", "message", "part"] as const) {
    const paths = findFiles(storage, {
      maxDepth: 2,
      acceptFile: inKind(kind),
      acceptDir: (relative) => relative === kind || relative.startsWith(`${kind}/`),
    });
    for (const path of paths) {
      const stats = statOrNull(path);
      if (!stats) continue;
      const known = marks[path];
      next[path] = [stats.size, stats.mtimeMs];
      if (known && known[0] === stats.size && known[1] === stats.mtimeMs) continue;
      filesRead++;
      const body = readJsonFile(path);
      if (!body || typeof body.id !== "string") {
        malformedFiles++;
        delete next[path]; // retried next run (it may have been half-written)
        continue;
      }
      if (kind === "session") {
        context.book.parents[body.id] = typeof body.parentID === "string" ? body.parentID : null;
        if (typeof body.directory === "string") context.book.projects[body.id] = hashProjectPath(body.directory, salt);
      } else if (kind === "message" && typeof body.sessionID === "string") {
        const sessionId = body.sessionID;
        withClock(context, stats.mtimeMs, () => handleMessageRow(body.id as string, sessionId, body, "j", context));
      } else if (kind === "part" && typeof body.sessionID === "string" && typeof body.messageID === "string") {
        handlePartRow(body.id, body.messageID, body.sessionID, body, context);
      }
    }
  }
  return { marks: next, malformedFiles, filesRead };
}
