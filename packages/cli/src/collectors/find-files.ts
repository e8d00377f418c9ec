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

/** A folder's accepted entries as last listed, and the stats that say whether they can still be trusted. */
export interface DirListing {
  ino: number;
  mtimeMs: number;
  /** When the listing was taken (wall clock ms). */
  listedAtMs: number;
  files: string[];
  dirs: string[];
}

/**
 * Listings of one run (`next`, to be saved) made from those of the previous run (`previous`): a folder whose
 * stats did not move is not read again. Only accepted entries are kept, so a cache belongs to one caller.
 */
export interface DirListingCache {
  previous: Record<string, DirListing>;
  next: Record<string, DirListing>;
}

/**
 * A folder's mtime moves whenever an entry is added, removed or renamed in it, but only to the file
 * system's granularity (1–2 s on some): a listing taken that soon after the folder's last change is not
 * trusted next time, since a later change within the same tick would not show (git's "racy" rule).
 */
const SETTLED_MS = 2_000;

function isTrusted(known: DirListing | undefined, stats: { ino: number; mtimeMs: number }): known is DirListing {
  return (
    known !== undefined &&
    known.ino === stats.ino &&
    known.mtimeMs === stats.mtimeMs &&
    known.listedAtMs - known.mtimeMs >= SETTLED_MS &&
    Array.isArray(known.files) &&
    Array.isArray(known.dirs)
  );
}

type Listing = Pick<DirListing, "files" | "dirs">;
const EMPTY: Listing = { files: [], dirs: [] };

/**
 * Absolute paths of matching files under `root`; a missing or unreadable folder yields nothing. With a
 * cache, a folder is read only when its stats changed since its cached listing (a sync with nothing new:
 * one stat per folder instead of one readdir, measured in docs/benchmarks.md).
 */
export function findFiles(root: string, options: FindOptions, cache?: DirListingCache): string[] {
  const found: string[] = [];
  // Joined by hand below the (normalised) root: `path.join` normalises every one of thousands of paths.
  const child = (dir: string, name: string) => (dir.endsWith(sep) ? dir + name : dir + sep + name);
  const read = (dir: string, relative: string, depth: number): Listing => {
    const listing: Listing = { files: [], dirs: [] };
    for (const entry of listEntries(dir)) {
      const childRelative = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (isDirectoryEntry(dir, entry)) {
        if (depth < options.maxDepth && (options.acceptDir?.(childRelative, entry.name) ?? true)) {
          listing.dirs.push(entry.name);
        }
      } else if (options.acceptFile(childRelative, entry.name)) {
        listing.files.push(entry.name);
      }
    }
    return listing;
  };
  const list = (dir: string, relative: string, depth: number): Listing => {
    if (!cache) return read(dir, relative, depth);
    let stats: { ino: number; mtimeMs: number };
    try {
      stats = statSync(dir);
    } catch {
      return EMPTY;
    }
    const known = cache.previous[dir];
    if (isTrusted(known, stats)) {
      cache.next[dir] = known;
      return known;
    }
    const listedAtMs = Date.now();
    const listing = read(dir, relative, depth);
    cache.next[dir] = { ino: stats.ino, mtimeMs: stats.mtimeMs, listedAtMs, ...listing };
    return listing;
  };
  const visit = (dir: string, relative: string, depth: number) => {
    const listing = list(dir, relative, depth);
    for (const name of listing.files) found.push(child(dir, name));
    for (const name of listing.dirs) {
      visit(child(dir, name), relative === "" ? name : `${relative}/${name}`, depth + 1);
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
