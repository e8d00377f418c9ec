/** Line counts of one change to one file, numbers only. */
export interface LineChange {
  added: number;
  deleted: number;
}

const LCS_CELL_LIMIT = 4_000_000;

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Length of the longest common subsequence, in O(n·m) time and O(m) memory. */
function measureCommonLines(before: string[], after: string[]): number {
  let previous = new Uint32Array(after.length + 1);
  let current = new Uint32Array(after.length + 1);
  for (const line of before) {
    for (let j = 1; j <= after.length; j++) {
      current[j] = line === after[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[after.length]!;
}

/**
 * Lines added and deleted turning `before` into `after` (what `git diff --stat` would count).
 * Common leading/trailing lines are trimmed first; a huge middle falls back to counting both sides.
 */
export function countLineChanges(before: string, after: string): LineChange {
  const oldLines = splitLines(before);
  const newLines = splitLines(after);
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (
    tail < oldLines.length - head &&
    tail < newLines.length - head &&
    oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]
  ) {
    tail++;
  }
  const oldMiddle = oldLines.slice(head, oldLines.length - tail);
  const newMiddle = newLines.slice(head, newLines.length - tail);
  const common = oldMiddle.length * newMiddle.length <= LCS_CELL_LIMIT ? measureCommonLines(oldMiddle, newMiddle) : 0;
  return { added: newMiddle.length - common, deleted: oldMiddle.length - common };
}

/** Lines of a new file's content. */
export function countContentLines(content: string): number {
  return splitLines(content).length;
}

/** One file touched by a patch. */
export interface PatchFile extends LineChange {
  path: string;
  kind: "created" | "modified" | "deleted";
}

/**
 * Reads the Codex `apply_patch` envelope (`*** Begin Patch` … `*** Add/Update/Delete File: path`) and
 * plain unified diffs (`--- a/x`, `+++ b/x`). Only counts leave this function, plus the paths for dedup.
 */
export function parsePatchFiles(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let current: PatchFile | null = null;
  for (const line of patch.split("\n")) {
    const header = /^\*\*\* (Add|Update|Delete) File: (.+)$/.exec(line);
    if (header) {
      const kind = header[1] === "Add" ? "created" : header[1] === "Delete" ? "deleted" : "modified";
      current = { path: header[2]!.trim(), kind, added: 0, deleted: 0 };
      files.push(current);
      continue;
    }
    const unified = /^\+\+\+ (?:b\/)?(.+)$/.exec(line);
    if (unified && !line.startsWith("+++ /dev/null")) {
      const previous = files[files.length - 1];
      const created = previous?.path === "/dev/null";
      if (previous && (previous.path === "/dev/null" || previous.path === "")) files.pop();
      current = { path: unified[1]!.trim(), kind: created ? "created" : "modified", added: 0, deleted: 0 };
      files.push(current);
      continue;
    }
    if (line.startsWith("--- ")) {
      // Remember whether the old side is /dev/null: the `+++` line that follows decides the kind.
      current = null;
      files.push({ path: line.includes("/dev/null") ? "/dev/null" : "", kind: "modified", added: 0, deleted: 0 });
      continue;
    }
    if (!current || line.startsWith("*** ")) continue;
    if (line.startsWith("+")) current.added++;
    else if (line.startsWith("-")) current.deleted++;
  }
  return files.filter((file) => file.path !== "" && file.path !== "/dev/null");
}
