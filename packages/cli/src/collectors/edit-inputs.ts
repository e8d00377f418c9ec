import { countContentLines, countLineChanges, parsePatchFiles } from "./code-metrics";
import { hashFilePath } from "./project-id";
import { addFileChange, type SessionTotals } from "./session-totals";

/**
 * One file change read from an edit tool's input. `created` is a best guess for whole-file writes. The path
 * is hashed at once (`hashFilePath`): only its hash is kept, and a scan worker never posts a path.
 */
export interface FileEdit {
  fileKey: string;
  added: number;
  deleted: number;
  kind: "edit" | "write" | "created";
}

type Input = Record<string, unknown>;

function readString(input: Input, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = input[key];
    if (typeof value === "string") return value;
  }
  return undefined;
}

function readPath(input: Input): string | undefined {
  return readString(input, "file_path", "filePath", "path", "notebook_path", "absolute_path");
}

function measureReplacement(input: Input): { added: number; deleted: number } {
  const before = readString(input, "old_string", "oldString", "old_str") ?? "";
  const after = readString(input, "new_string", "newString", "new_str") ?? "";
  return countLineChanges(before, after);
}

const EDIT_TOOLS = new Set(["edit", "replace", "str_replace", "str_replace_editor", "notebookedit"]);
const MULTI_EDIT_TOOLS = new Set(["multiedit", "multi_edit"]);
const WRITE_TOOLS = new Set(["write", "write_file", "create_file"]);
const PATCH_TOOLS = new Set(["apply_patch", "patch"]);

/** True for tools whose raw string input is a patch (its edits are counted). */
export function isPatchTool(toolName: string): boolean {
  return PATCH_TOOLS.has(toolName.toLowerCase());
}

/**
 * Line counts of an edit tool call, from its input alone (Claude Code, Gemini, OpenCode, Crush names).
 * Unknown tools yield nothing; paths are returned only for per-session file dedup, never sent.
 */
export function readFileEdits(toolName: string, input: unknown): FileEdit[] {
  const name = toolName.toLowerCase();
  if (typeof input === "string") return PATCH_TOOLS.has(name) ? readPatchEdits(input) : [];
  if (!input || typeof input !== "object") return [];
  const fields = input as Input;
  if (PATCH_TOOLS.has(name)) {
    const patch = readString(fields, "patchText", "patch", "input");
    return patch ? readPatchEdits(patch) : [];
  }
  const path = readPath(fields);
  if (!path) return [];
  if (name === "notebookedit") {
    const source = readString(fields, "new_source") ?? "";
    const mode = readString(fields, "edit_mode");
    const lines = countContentLines(source);
    if (mode === "delete") return [{ fileKey: hashFilePath(path), added: 0, deleted: 0, kind: "edit" }];
    return [{ fileKey: hashFilePath(path), added: lines, deleted: 0, kind: "edit" }];
  }
  if (EDIT_TOOLS.has(name)) return [{ fileKey: hashFilePath(path), ...measureReplacement(fields), kind: "edit" }];
  if (MULTI_EDIT_TOOLS.has(name)) {
    const edits = Array.isArray(fields.edits) ? fields.edits : [];
    let added = 0;
    let deleted = 0;
    for (const edit of edits) {
      if (!edit || typeof edit !== "object") continue;
      const change = measureReplacement(edit as Input);
      added += change.added;
      deleted += change.deleted;
    }
    return [{ fileKey: hashFilePath(path), added, deleted, kind: "edit" }];
  }
  if (WRITE_TOOLS.has(name)) {
    const added = countContentLines(readString(fields, "content") ?? "");
    return [{ fileKey: hashFilePath(path), added, deleted: 0, kind: "write" }];
  }
  return [];
}

/** Codex/OpenCode patch text: Add File creates, Update modifies; Delete File changes nothing countable. */
export function readPatchEdits(patch: string): FileEdit[] {
  if (!patch.includes("*** Begin Patch") && !patch.includes("\n+++ ")) return [];
  return parsePatchFiles(patch)
    .filter((file) => file.kind !== "deleted")
    .map((file) => ({
      fileKey: hashFilePath(file.path),
      added: file.added,
      deleted: file.deleted,
      kind: file.kind === "created" ? "created" : "edit",
    }));
}

/**
 * Adds the edits to the session. A whole-file write counts as a creation unless the session touched that
 * file before (the logs do not say whether the file existed; this is the closest the inputs allow).
 */
export function applyFileEdits(totals: SessionTotals, edits: FileEdit[]): void {
  for (const edit of edits) {
    const created = edit.kind === "created" || (edit.kind === "write" && !(edit.fileKey in totals.files));
    addFileChange(totals, edit.fileKey, { added: edit.added, deleted: edit.deleted, created });
  }
}
