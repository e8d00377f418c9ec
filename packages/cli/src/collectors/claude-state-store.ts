import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ToolType } from "@modu-arena/core";
import { readJsonIfValid, writeFileAtomic } from "../state/atomic-file";
import type { CallCopy } from "./claude-calls";
import type { ClaudeState } from "./claude-scan";
import { type TranscriptDigest, visitTranscriptDigest } from "./claude-transcript-digest";
import type { FileCursor } from "./file-cursor";
import type { SessionTotals } from "./session-totals";
import type { StateStore } from "./types";

/**
 * The Claude collectors' state, split so that a hook's run loads only what it touches (TOOL-LOG-FORMATS
 * dedup needs the whole history's keys, but only as a lookup). On disk, under `state/`:
 * - `<tool>.json`, the head: cursors, the name table, and which file holds each shard and the index;
 * - `<tool>/shard-<n>-<gen>.json`: sessions hashed to shard n, with their calls and seen keys;
 * - `<tool>/index-<gen>.bin`: every call and seen key's 32-bit hash with its shard, sorted.
 * Files are written under new names and the head is replaced last (atomically), so a kill at any moment
 * leaves the previous head pointing at complete previous files. Unreferenced files are swept after.
 */
export const SHARD_COUNT = 64;

export interface ClaudeStateHead {
  version: 3;
  files: Record<string, FileCursor>;
  names: string[];
  /** Shard number -> generation of its file; an absent shard is empty. */
  shards: Record<string, string>;
  index: string;
}

interface ShardContent {
  calls: Record<string, CallCopy[]>;
  seen: Record<string, number>;
  sessions: Record<string, SessionTotals>;
}

interface KeyIndex {
  hashes: Uint32Array;
  shards: Uint8Array;
}

/** A state loaded from the split layout: what is in memory is the loaded shards plus this run's news. */
interface ShardSource {
  dir: string;
  head: ClaudeStateHead;
  index: KeyIndex;
  loaded: Set<number>;
  complete: boolean;
}

/** A shard the head names could not be read: the caller starts over from an empty state (totals are cumulative). */
export class DamagedStateError extends Error {}

const sources = new WeakMap<ClaudeState, ShardSource>();

/** FNV-1a over UTF-16 code units: fast, stable; a collision only costs loading one more shard. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const shardOfName = (name: string) => hashKey(name) % SHARD_COUNT;

/** The shard of each name in the table, computed once per save (there are ~10^5 calls and seen keys). */
function mapNamesToShards(state: ClaudeState): (owner: number) => number {
  const shards = state.names.map((name) => shardOfName(name));
  return (owner) => shards[owner] ?? owner % SHARD_COUNT;
}

const headFile = (stateDir: string, tool: ToolType) => join(stateDir, `${tool}.json`);
const shardFile = (dir: string, shard: number, generation: string) => join(dir, `shard-${shard}-${generation}.json`);
const indexFile = (dir: string, generation: string) => join(dir, `index-${generation}.bin`);

function readIndex(path: string): KeyIndex | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const count = bytes.length >= 4 ? bytes.readUInt32LE(0) : -1;
  if (count < 0 || bytes.length !== 4 + count * 5) return undefined;
  const hashes = new Uint32Array(count);
  Buffer.from(hashes.buffer).set(bytes.subarray(4, 4 + count * 4));
  return { hashes, shards: Uint8Array.from(bytes.subarray(4 + count * 4)) };
}

function encodeIndex(index: KeyIndex): Buffer {
  const bytes = Buffer.alloc(4 + index.hashes.length * 5);
  bytes.writeUInt32LE(index.hashes.length, 0);
  bytes.set(new Uint8Array(index.hashes.buffer, index.hashes.byteOffset, index.hashes.byteLength), 4);
  bytes.set(index.shards, 4 + index.hashes.length * 4);
  return bytes;
}

/** Shards that may hold `key` (several on a hash collision). */
function lookUp(index: KeyIndex, key: string): number[] {
  const hash = hashKey(key);
  let low = 0;
  let high = index.hashes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (index.hashes[middle]! < hash) low = middle + 1;
    else high = middle;
  }
  const found: number[] = [];
  for (let at = low; at < index.hashes.length && index.hashes[at] === hash; at++) found.push(index.shards[at]!);
  return found;
}

function loadShard(state: ClaudeState, source: ShardSource, shard: number): void {
  if (source.loaded.has(shard)) return;
  source.loaded.add(shard);
  const generation = source.head.shards[shard];
  if (generation === undefined) return;
  const content = readJsonIfValid(shardFile(source.dir, shard, generation)) as ShardContent | undefined;
  if (!content?.calls || !content.seen || !content.sessions)
    throw new DamagedStateError(`state shard ${shard} unreadable`);
  Object.assign(state.calls, content.calls);
  Object.assign(state.seen, content.seen);
  Object.assign(state.sessions, content.sessions);
}

function loadKey(state: ClaudeState, source: ShardSource, key: string, inMemory: boolean): void {
  if (inMemory) return;
  for (const shard of lookUp(source.index, key)) loadShard(state, source, shard);
}

/**
 * Loads what applying `digest` can touch: its sessions' shards, the shards holding its keys, and the
 * sessions of every copy of its calls (a replaced copy moves tokens between sessions).
 */
export function prepareTranscriptDigest(state: ClaudeState, digest: TranscriptDigest, fileSessionId: string | null) {
  const source = sources.get(state);
  if (!source || source.complete) return;
  const loadSession = (sessionId: string | null) => {
    const resolved = sessionId ?? fileSessionId;
    if (resolved !== null) loadShard(state, source, shardOfName(resolved));
  };
  const loadSeen = (key: string) => loadKey(state, source, key, state.seen[key] !== undefined);
  visitTranscriptDigest(digest, {
    call({ sessionId, messageId }) {
      loadSession(sessionId);
      loadKey(state, source, messageId, state.calls[messageId] !== undefined);
      for (const copy of state.calls[messageId] ?? []) {
        const name = state.names[copy[0]];
        if (name !== undefined) loadShard(state, source, shardOfName(name));
      }
    },
    tool: (sessionId, key) => {
      loadSession(sessionId);
      loadSeen(key);
    },
    prompt: (sessionId, key) => {
      loadSession(sessionId);
      loadSeen(key);
    },
    span: loadSession,
  });
}

/** How many shards are in memory ("all" for a whole or single-file state): what a run had to read. */
export function countLoadedShards(state: ClaudeState): number | "all" {
  const source = sources.get(state);
  return !source || source.complete ? "all" : source.loaded.size;
}

/** Loads every shard: cheaper than key lookups when most of the history is read anyway. */
export function loadWholeClaudeState(state: ClaudeState): void {
  const source = sources.get(state);
  if (!source || source.complete) return;
  for (let shard = 0; shard < SHARD_COUNT; shard++) loadShard(state, source, shard);
  source.complete = true;
}

/** The saved state: the head and what it references (nothing else is read), or a single-file state of before. */
export function loadClaudeState(stateDir: string, tool: ToolType): ClaudeState | undefined {
  const saved = readJsonIfValid(headFile(stateDir, tool)) as { state?: Partial<ClaudeStateHead> } | undefined;
  const raw = saved?.state as Record<string, unknown> | undefined;
  if (raw?.version === 2) return raw as unknown as ClaudeState;
  if (raw?.version !== 3) return undefined;
  const head = raw as unknown as ClaudeStateHead;
  const dir = join(stateDir, tool);
  const index = readIndex(indexFile(dir, head.index));
  if (!index || !head.files || !Array.isArray(head.names)) return undefined;
  for (const [shard, generation] of Object.entries(head.shards ?? {})) {
    if (!existsSync(shardFile(dir, Number(shard), generation))) return undefined;
  }
  const state: ClaudeState = { version: 2, files: head.files, names: head.names, calls: {}, seen: {}, sessions: {} };
  sources.set(state, { dir, head, index, loaded: new Set(), complete: false });
  return state;
}

/** The keys of every in-memory entry, by the shard they belong to (references only: no copy of the state). */
interface ShardKeys {
  calls: string[];
  seen: string[];
  sessions: string[];
}

function groupByShard(state: ClaudeState): Map<number, ShardKeys> {
  const shards = new Map<number, ShardKeys>();
  const at = (shard: number) => {
    let keys = shards.get(shard);
    if (!keys) {
      keys = { calls: [], seen: [], sessions: [] };
      shards.set(shard, keys);
    }
    return keys;
  };
  const shardOf = mapNamesToShards(state);
  for (const id in state.sessions) at(shardOfName(id)).sessions.push(id);
  // A call lives with the session of its first copy; a seen key with the session it was seen in.
  for (const id in state.calls) at(shardOf(state.calls[id]![0]?.[0] ?? 0)).calls.push(id);
  for (const key in state.seen) at(shardOf(state.seen[key]!)).seen.push(key);
  return shards;
}

/** One shard's file content, built when written and dropped right after (a full scan writes all 64). */
function buildShard(state: ClaudeState, keys: ShardKeys): ShardContent {
  const content: ShardContent = { calls: {}, seen: {}, sessions: {} };
  for (const id of keys.sessions) content.sessions[id] = state.sessions[id]!;
  for (const id of keys.calls) content.calls[id] = state.calls[id]!;
  for (const key of keys.seen) content.seen[key] = state.seen[key]!;
  return content;
}

/**
 * The previous index without the rewritten shards' entries (still sorted), merged with those shards' keys
 * (sorted here: a hook's run adds a few hundred to a few hundred thousand).
 */
function buildIndex(previous: KeyIndex | undefined, rewritten: Set<number>, shards: Map<number, ShardKeys>) {
  let count = 0;
  for (const keys of shards.values()) count += keys.calls.length + keys.seen.length;
  const fresh = new Float64Array(count);
  let filled = 0;
  for (const [shard, keys] of shards) {
    for (const key of keys.calls) fresh[filled++] = hashKey(key) * 256 + shard;
    for (const key of keys.seen) fresh[filled++] = hashKey(key) * 256 + shard;
  }
  fresh.sort();
  const kept = previous ? previous.hashes.length : 0;
  const index: KeyIndex = { hashes: new Uint32Array(kept + fresh.length), shards: new Uint8Array(kept + fresh.length) };
  let size = 0;
  let next = 0;
  const push = (hash: number, shard: number) => {
    index.hashes[size] = hash;
    index.shards[size++] = shard;
  };
  const pushFresh = () => {
    const value = fresh[next++]!;
    push(Math.floor(value / 256), value % 256);
  };
  for (let at = 0; at < kept; at++) {
    const shard = previous!.shards[at]!;
    if (rewritten.has(shard)) continue;
    const hash = previous!.hashes[at]!;
    while (next < fresh.length && fresh[next]! < hash * 256 + shard) pushFresh();
    push(hash, shard);
  }
  while (next < fresh.length) pushFresh();
  return { hashes: index.hashes.subarray(0, size), shards: index.shards.subarray(0, size) };
}

/** Removes what the head does not reference: superseded generations and temp files of killed writes. */
function sweep(dir: string, head: ClaudeStateHead): void {
  const keep = new Set([`index-${head.index}.bin`]);
  for (const [shard, generation] of Object.entries(head.shards)) keep.add(`shard-${shard}-${generation}.json`);
  for (const name of readdirSync(dir)) if (!keep.has(name)) rmSync(join(dir, name), { force: true });
}

/**
 * Writes the shards this run loaded or added to (all of them after a full scan), a new index, then the
 * head. Shards it did not touch keep their files.
 */
export function saveClaudeState(stateDir: string, tool: ToolType, state: ClaudeState, now: Date): void {
  const dir = join(stateDir, tool);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const source = sources.get(state);
  const generation = `${now.getTime().toString(36)}${randomBytes(3).toString("hex")}`;
  let rewritten: Set<number>;
  if (source && !source.complete) {
    // A shard about to receive an entry must be loaded first, or its old entries would be dropped.
    rewritten = new Set([...source.loaded, ...groupByShard(state).keys()]);
    for (const shard of rewritten) loadShard(state, source, shard);
  } else {
    rewritten = new Set(Array.from({ length: SHARD_COUNT }, (_, shard) => shard));
  }
  const shards = groupByShard(state);
  const head: ClaudeStateHead = {
    version: 3,
    files: state.files,
    names: state.names,
    shards: source && !source.complete ? { ...source.head.shards } : {},
    index: generation,
  };
  for (const shard of rewritten) {
    const keys = shards.get(shard);
    if (!keys) {
      delete head.shards[shard];
      continue;
    }
    // Not fsynced (64 fsyncs were a third of the save): a shard torn by a power cut fails to parse, and a
    // damaged state is read again from scratch, which cumulative totals make safe. Index and head are.
    writeFileAtomic(shardFile(dir, shard, generation), JSON.stringify(buildShard(state, keys)), 0o600, {
      durable: false,
    });
    head.shards[shard] = generation;
  }
  const previousIndex = source && !source.complete ? source.index : undefined;
  let index = previousIndex;
  if (source && !source.complete && rewritten.size === 0) head.index = source.head.index;
  else {
    index = buildIndex(previousIndex, rewritten, shards);
    writeFileAtomic(indexFile(dir, generation), encodeIndex(index));
  }
  writeFileAtomic(headFile(stateDir, tool), JSON.stringify({ savedAt: now.toISOString(), state: head }));
  sweep(dir, head);
  // The state stays usable: it now continues from what was just written.
  sources.set(state, { dir, head, index: index!, loaded: new Set(rewritten), complete: source?.complete ?? true });
}

export const claudeStateStore: StateStore<ClaudeState> = { load: loadClaudeState, save: saveClaudeState };
