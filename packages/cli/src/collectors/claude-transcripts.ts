import { realpathSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { type DirListingCache, findFiles } from "./find-files";

/** A Claude Code config root (holding `projects/`); `counted: false` marks roots another collector owns. */
export interface ClaudeRoot {
  dir: string;
  counted: boolean;
}

/** A transcript file found under a root, and the session its path names (null: a flat subagent file). */
export interface TranscriptFile {
  path: string;
  counted: boolean;
  fileSessionId: string | null;
}

const SKIPPED_SESSION_DIRS = new Set(["tool-results", "workflows", "memory"]);
const MAX_DEPTH = 8;

/** `<project>/<sid>.jsonl`, flat `<project>/agent-<id>.jsonl`, and `<project>/<sid>/subagents/**\/agent-*.jsonl`. */
function isTranscript(relative: string, name: string): boolean {
  if (!name.endsWith(".jsonl")) return false;
  const parts = relative.split("/");
  if (parts.length === 2) return true;
  return parts[2] === "subagents" && name.startsWith("agent-");
}

function isTranscriptDir(relative: string, name: string): boolean {
  const depth = relative.split("/").length;
  if (depth === 1) return name !== "memory";
  if (depth === 2) return !SKIPPED_SESSION_DIRS.has(name);
  if (depth === 3) return name === "subagents";
  return true;
}

function readFileSessionId(relative: string): string | null {
  const parts = relative.split("/");
  if (parts.length === 2) {
    const stem = basename(parts[1]!, ".jsonl");
    return stem.startsWith("agent-") ? null : stem;
  }
  return parts[1] ?? null;
}

/** `isTranscript` and `isTranscriptDir` decide what a cached listing holds: change them, change this key. */
export const LISTING_RULES = "v1";

const projectsOf = (root: ClaudeRoot) => join(root.dir, "projects");
const relativeTo = (projects: string, path: string) => path.slice(projects.length + 1).replaceAll("\\", "/");

function toTranscript(root: ClaudeRoot, projects: string, path: string): TranscriptFile {
  return { path, counted: root.counted, fileSessionId: readFileSessionId(relativeTo(projects, path)) };
}

/** Every transcript under `root` (folders whose listing did not change are not read again). */
export function listTranscripts(root: ClaudeRoot, cache: DirListingCache): TranscriptFile[] {
  const projects = projectsOf(root);
  const options = { maxDepth: MAX_DEPTH, acceptFile: isTranscript, acceptDir: isTranscriptDir };
  return findFiles(projects, options, cache).map((path) => toTranscript(root, projects, path));
}

function resolveRealDir(dir: string): string | null {
  try {
    return realpathSync(dir);
  } catch {
    return null;
  }
}

/** Existing roots, each once (`~/.claude` and `~/.config/claude` may be one folder); uncounted wins. */
export function dedupeRoots(roots: ClaudeRoot[]): ClaudeRoot[] {
  const byReal = new Map<string, ClaudeRoot>();
  for (const root of roots) {
    const real = resolveRealDir(root.dir);
    if (!real) continue;
    const known = byReal.get(real);
    if (!known) byReal.set(real, { dir: real, counted: root.counted });
    else if (!root.counted) known.counted = false;
  }
  return [...byReal.values()];
}

/**
 * A session's transcript as a hook names it (`<project>/<sid>.jsonl` under a counted root, as the full
 * listing would spell its path) and its subagents' transcripts; null when it is not one.
 */
function listSessionTranscripts(roots: ClaudeRoot[], hinted: string): TranscriptFile[] | null {
  const folder = resolveRealDir(dirname(hinted));
  if (!folder) return null;
  const path = join(folder, basename(hinted));
  for (const root of roots) {
    const projects = projectsOf(root);
    if (!root.counted || !path.startsWith(projects + sep)) continue;
    const relative = relativeTo(projects, path);
    if (relative.split("/").length !== 2 || !isTranscript(relative, basename(path))) return null;
    const sessionDir = path.slice(0, -".jsonl".length);
    const prefix = relative.slice(0, -".jsonl".length);
    const subagents = findFiles(sessionDir, {
      maxDepth: MAX_DEPTH - 2,
      acceptFile: (below, name) => isTranscript(`${prefix}/${below}`, name),
      acceptDir: (below, name) => isTranscriptDir(`${prefix}/${below}`, name),
    });
    return [path, ...subagents].map((file) => toTranscript(root, projects, file));
  }
  return null;
}

/**
 * The transcripts of the sessions a hook named, when every one is a session transcript of a counted
 * root; null otherwise (the caller lists everything).
 */
export function listHintedTranscripts(roots: ClaudeRoot[], hinted: readonly string[]): TranscriptFile[] | null {
  const found: TranscriptFile[] = [];
  for (const path of hinted) {
    const files = listSessionTranscripts(roots, path);
    if (!files) return null;
    found.push(...files);
  }
  return found;
}
