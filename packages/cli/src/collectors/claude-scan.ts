import { realpathSync } from "node:fs";
import { basename, join } from "node:path";
import type { ToolType } from "@modu-arena/core";
import { ClaudeBook, COUNTED, HAS_REQUEST } from "./claude-book";
import { digestInOrder } from "./claude-digest-pool";
import { applyTranscriptDigest } from "./claude-transcript-digest";
import { type FileCursor, isUnchanged, statOrNull } from "./file-cursor";
import { type DirListing, type DirListingCache, findFiles } from "./find-files";
import { formatKey64 } from "./key-table";
import { chooseThreads } from "./scan-threads";
import { buildSessionInputs } from "./session-totals";
import type { CollectEnvironment, CollectResult, UsageRecord } from "./types";

/** What continues a Claude scan: where each transcript was read up to, and the dedup book. */
export interface ClaudeState {
  version: 4;
  files: Record<string, FileCursor>;
  book: ClaudeBook;
  /** The transcript folders as last listed: unchanged ones are not read again (absent in older states). */
  listings?: { rules: string; dirs: Record<string, DirListing> };
  /** The book file this state was loaded from or last saved to, and the book's revision then (not saved). */
  bookOnDisk?: { generation: string; revision: number };
}

/** A Claude Code config root (holding `projects/`); `counted: false` marks roots another collector owns. */
export interface ClaudeRoot {
  dir: string;
  counted: boolean;
}

interface Transcript {
  path: string;
  counted: boolean;
  fileSessionId: string | null;
  mtimeMs: number;
  size: number;
}

const SKIPPED_SESSION_DIRS = new Set(["tool-results", "workflows", "memory"]);

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
const LISTING_RULES = "v1";

function listTranscripts(root: ClaudeRoot, cache: DirListingCache): Omit<Transcript, "mtimeMs" | "size">[] {
  const projects = join(root.dir, "projects");
  const options = { maxDepth: 8, acceptFile: isTranscript, acceptDir: isTranscriptDir };
  return findFiles(projects, options, cache).map((path) => ({
    path,
    counted: root.counted,
    fileSessionId: readFileSessionId(path.slice(projects.length + 1).replaceAll("\\", "/")),
  }));
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

export function createClaudeState(): ClaudeState {
  return { version: 4, files: {}, book: new ClaudeBook() };
}

function buildRecords(tool: ToolType, book: ClaudeBook, changed: Set<number>): UsageRecord[] {
  const records: UsageRecord[] = [];
  const copies = book.copies;
  for (const head of changed) {
    for (let copy = head; copy !== -1; copy = copies.next[copy]!) {
      const flags = copies.flags[copy]!;
      if ((flags & COUNTED) === 0) continue;
      const [inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens] = copies.tokensOf(copy);
      const sessionId = book.nameAt(copies.session[copy]!)!;
      const request =
        (flags & HAS_REQUEST) !== 0 ? formatKey64(copies.requestHigh[copy]!, copies.requestLow[copy]!) : sessionId;
      records.push({
        tool,
        sessionId,
        timestamp: copies.timestamp[copy]!,
        model: book.nameAt(copies.model[copy]!),
        inputTokens,
        outputTokens,
        cacheCreationTokens,
        cacheReadTokens,
        dedupKey: `${formatKey64(copies.messageHigh[copy]!, copies.messageLow[copy]!)}:${request}`,
      });
    }
  }
  return records;
}

/**
 * Reads what is new in the transcripts under `roots` and continues `previous` (mutated and returned).
 * Files are read oldest first so that the surviving copy of a duplicated call is the earliest one.
 */
export async function scanClaudeRoots(
  tool: ToolType,
  roots: ClaudeRoot[],
  environment: CollectEnvironment,
  previous: ClaudeState | undefined,
): Promise<CollectResult<ClaudeState>> {
  return scanFrom(tool, roots, environment, previous?.version === 4 ? previous : createClaudeState());
}

async function scanFrom(
  tool: ToolType,
  roots: ClaudeRoot[],
  environment: CollectEnvironment,
  state: ClaudeState,
): Promise<CollectResult<ClaudeState>> {
  const transcripts: Transcript[] = [];
  const present = new Set<string>();
  const known = state.listings?.rules === LISTING_RULES ? state.listings.dirs : {};
  const listings: DirListingCache = { previous: known, next: {} };
  for (const root of dedupeRoots(roots)) {
    for (const file of listTranscripts(root, listings)) {
      present.add(file.path);
      const stats = statOrNull(file.path);
      if (!stats || isUnchanged(state.files[file.path], stats)) continue;
      transcripts.push({ ...file, mtimeMs: stats.mtimeMs, size: stats.size });
    }
  }
  for (const path of Object.keys(state.files)) if (!present.has(path)) delete state.files[path];
  state.listings = { rules: LISTING_RULES, dirs: listings.next };
  // Uncounted roots first: a call also present there must never be counted here.
  transcripts.sort((a, b) => Number(a.counted) - Number(b.counted) || a.mtimeMs - b.mtimeMs);

  const touched = new Set<string>();
  // Only local reports need per-call records; a sync does not track which calls changed.
  const changedCalls = environment.skipRecords ? null : new Set<number>();
  let malformedLines = 0;
  let filesRead = 0;
  const tasks = transcripts.map((transcript) => ({ path: transcript.path, cursor: state.files[transcript.path] }));
  const newBytes = transcripts.reduce((sum, file) => sum + file.size - (state.files[file.path]?.offset ?? 0), 0);
  await digestInOrder(tasks, chooseThreads(newBytes, environment.scanThreads), (index, digested) => {
    if (!digested) {
      // Vanished or unreadable mid-run: keep the old cursor; the dedup keys make the re-read harmless.
      malformedLines++;
      return;
    }
    const transcript = transcripts[index]!;
    applyTranscriptDigest(digested.digest, {
      book: state.book,
      fileSessionId: transcript.fileSessionId,
      counted: transcript.counted,
      salt: environment.projectSalt ?? "",
      touched,
      changedCalls,
    });
    malformedLines += digested.malformedLines;
    state.files[transcript.path] = digested.cursor;
    filesRead++;
  });

  const sessions = buildSessionInputs(tool, state.book.sessions, touched);
  const records = changedCalls ? buildRecords(tool, state.book, changedCalls) : [];
  return { sessions, records, state, malformedLines, filesRead };
}
