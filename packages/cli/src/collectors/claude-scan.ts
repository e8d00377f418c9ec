import type { ToolType } from "@modu-arena/core";
import { ClaudeBook, COUNTED, HAS_REQUEST } from "./claude-book";
import { digestInOrder } from "./claude-digest-pool";
import { applyTranscriptDigest } from "./claude-transcript-digest";
import {
  type ClaudeRoot,
  dedupeRoots,
  LISTING_RULES,
  listHintedTranscripts,
  listTranscripts,
  type TranscriptFile,
} from "./claude-transcripts";
import { type FileCursor, isUnchanged, statOrNull } from "./file-cursor";
import type { DirListing, DirListingCache } from "./find-files";
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
  /** When every transcript was last listed (ms since the epoch); until then a hook's hint is not used. */
  listedAllAtMs?: number;
  /** The book file this state was loaded from or last saved to, and the book's revision then (not saved). */
  bookOnDisk?: { generation: string; revision: number };
}

interface Transcript extends TranscriptFile {
  mtimeMs: number;
  size: number;
}

/**
 * How long a hook's word for which session changed is enough: past this since the last full listing, a
 * sync lists every transcript again (another session's growth waits at most this long, or until its own
 * hook; a flat `agent-*.jsonl` of older Claude Code versions is only found by a full listing).
 */
export const FULL_LISTING_EVERY_MS = 10 * 60_000;

export function createClaudeState(): ClaudeState {
  return { version: 4, files: {}, book: new ClaudeBook() };
}

/**
 * The counted copies among `changed`, one record each (every copy in the book is a distinct call). Keys are
 * only needed when this run continued a state (a grown call is re-emitted): a full scan's records, formatted
 * for each of a history's calls, go without.
 */
function buildRecords(tool: ToolType, book: ClaudeBook, changed: Set<number>, keyed: boolean): UsageRecord[] {
  const records: UsageRecord[] = [];
  const copies = book.copies;
  for (const head of changed) {
    for (let copy = head; copy !== -1; copy = copies.next[copy]!) {
      const flags = copies.flags[copy]!;
      if ((flags & COUNTED) === 0) continue;
      const [inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens] = copies.tokensOf(copy);
      const sessionId = book.nameAt(copies.session[copy]!)!;
      const record: UsageRecord = {
        tool,
        sessionId,
        timestamp: copies.timestamp[copy]!,
        model: book.nameAt(copies.model[copy]!),
        inputTokens,
        outputTokens,
        cacheCreationTokens,
        cacheReadTokens,
        // Claude's usage has no separate reasoning count: thinking is inside output_tokens.
        reasoningTokens: 0,
      };
      if (keyed) record.dedupKey = dedupKeyOf(copies, copy, sessionId);
      records.push(record);
    }
  }
  return records;
}

/** A call's identity in local reports: its message id's hash and its requestId's (else its session). */
function dedupKeyOf(copies: ClaudeBook["copies"], copy: number, sessionId: string): string {
  const request =
    (copies.flags[copy]! & HAS_REQUEST) !== 0
      ? formatKey64(copies.requestHigh[copy]!, copies.requestLow[copy]!)
      : sessionId;
  return `${formatKey64(copies.messageHigh[copy]!, copies.messageLow[copy]!)}:${request}`;
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

/**
 * Every transcript under `roots` (deduplicated); the cursors of vanished ones are dropped and the listing
 * time recorded. Folders whose listing did not change are not read again.
 */
function listAllTranscripts(roots: ClaudeRoot[], state: ClaudeState, nowMs: number): TranscriptFile[] {
  const known = state.listings?.rules === LISTING_RULES ? state.listings.dirs : {};
  const listings: DirListingCache = { previous: known, next: {} };
  const files = roots.flatMap((root) => listTranscripts(root, listings));
  const present = new Set(files.map((file) => file.path));
  for (const path of Object.keys(state.files)) if (!present.has(path)) delete state.files[path];
  state.listings = { rules: LISTING_RULES, dirs: listings.next };
  state.listedAllAtMs = nowMs;
  return files;
}

/**
 * Only the sessions a hook named (Claude Code's `transcript_path` after a turn) and their subagents,
 * when everything was listed recently: a turn's sync then skips a stat of every transcript in the
 * history. Null when the hint cannot be used (none, stale listing, not a session transcript here).
 */
function listTranscriptsOfHint(
  roots: ClaudeRoot[],
  environment: CollectEnvironment,
  state: ClaudeState,
): TranscriptFile[] | null {
  const hinted = environment.changedFiles;
  const listedAt = state.listedAllAtMs;
  if (!hinted?.length || listedAt === undefined) return null;
  const age = environment.now.getTime() - listedAt;
  if (!(age >= 0 && age < FULL_LISTING_EVERY_MS)) return null;
  return listHintedTranscripts(roots, hinted);
}

async function scanFrom(
  tool: ToolType,
  roots: ClaudeRoot[],
  environment: CollectEnvironment,
  state: ClaudeState,
): Promise<CollectResult<ClaudeState>> {
  const continuing = Object.keys(state.files).length > 0;
  const existing = dedupeRoots(roots);
  const files =
    listTranscriptsOfHint(existing, environment, state) ??
    listAllTranscripts(existing, state, environment.now.getTime());
  const transcripts: Transcript[] = [];
  for (const file of files) {
    const stats = statOrNull(file.path);
    if (!stats || isUnchanged(state.files[file.path], stats)) continue;
    transcripts.push({ ...file, mtimeMs: stats.mtimeMs, size: stats.size });
  }
  // Uncounted roots first: a call also present there must never be counted here.
  transcripts.sort((a, b) => Number(a.counted) - Number(b.counted) || a.mtimeMs - b.mtimeMs);

  const touched = new Set<string>();
  // Only local reports need per-call records; a sync does not track which calls changed.
  const changedCalls = environment.skipRecords ? null : new Set<number>();
  let malformedLines = 0;
  let filesRead = 0;
  let undatedRecords = 0;
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
    undatedRecords += digested.undatedCalls;
    state.files[transcript.path] = digested.cursor;
    filesRead++;
  });

  const sessions = buildSessionInputs(tool, state.book.sessions, touched);
  const records = changedCalls ? buildRecords(tool, state.book, changedCalls, continuing) : [];
  return { sessions, records, state, malformedLines, filesRead, undatedRecords };
}
