import { type Dirent, readdirSync, statSync } from "node:fs";
import { join, sep } from "node:path";

export interface FindOptions {
  /** Directory depth below `root` to descend (0 = only `root`'s own files). */
  maxDepth: number;
  /** Which files to keep; `relative` uses `/` separators. */
  acceptFile: (relative: string, name: string) => boolean;
  /** Which directories to enter (default: all). */
  acceptDir?: (relative: string, name: string) => boolean;
}

function listEntries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isDirectoryEntry(dir: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, entry.name)).isDirectory();
  } catch {
    return false;
  }
}

/** Absolute paths of matching files under `root`; a missing or unreadable folder yields nothing. */
export function findFiles(root: string, options: FindOptions): string[] {
  const found: string[] = [];
  // Joined by hand below the (normalised) root: `path.join` normalises every one of thousands of paths.
  const child = (dir: string, name: string) => (dir.endsWith(sep) ? dir + name : dir + sep + name);
  const visit = (dir: string, relative: string, depth: number) => {
    for (const entry of listEntries(dir)) {
      const childRelative = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (isDirectoryEntry(dir, entry)) {
        if (depth < options.maxDepth && (options.acceptDir?.(childRelative, entry.name) ?? true)) {
          visit(child(dir, entry.name), childRelative, depth + 1);
        }
      } else if (options.acceptFile(childRelative, entry.name)) {
        found.push(child(dir, entry.name));
      }
    }
  };
  visit(join(root), "", 0);
  return found;
}

/** Splits a comma-separated env override into its non-empty entries. */
export function splitPathList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** Absolute paths of directories named `name` under `root`, searched `maxDepth` levels deep (not inside matches). */
export function findDirs(root: string, name: string, maxDepth: number): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    for (const entry of listEntries(dir)) {
      if (!isDirectoryEntry(dir, entry)) continue;
      const child = join(dir, entry.name);
      if (entry.name === name) found.push(child);
      else if (depth < maxDepth) visit(child, depth + 1);
    }
  };
  visit(root, 0);
  return found;
}
