import { existsSync, readFileSync, type Stats } from "node:fs";
import { basename, join } from "node:path";
import { type FileCursor, isUnchanged, readNewLines, statOrNull } from "./file-cursor";
import { findFiles } from "./find-files";
import { type GeminiBook, getTotals, handleGeminiMessage, type MessageContext } from "./gemini-messages";
import { linesOf } from "./line-splitter";
import { hashProjectPath } from "./project-id";
import { RecordClock } from "./record-time";
import { buildSessionInputs, isValidSessionId, touchTime } from "./session-totals";
import { isUsableTime, parseTimeValue } from "./timestamps";
import type { CollectEnvironment, Collector, CollectResult, UsageRecord } from "./types";
import { recordOfTally } from "./usage-records";

interface ChatFile {
  cursor: FileCursor;
  /** From the metadata line (the file name only holds 8 characters of it). */
  sessionId: string | null;
}

/** Version 2 keeps each reply's reasoning: a version 1 state is read again from scratch (totals are cumulative). */
export interface GeminiState extends GeminiBook {
  version: 2;
  files: Record<string, ChatFile>;
}

interface Chat {
  path: string;
  projectDir: string;
  /** Parent session of a subagent chat (`chats/<parentSessionId>/<id>.jsonl`). */
  parent: string | null;
  legacy: boolean;
}

/** `GEMINI_CLI_HOME` replaces the home directory: data lives at `$GEMINI_CLI_HOME/.gemini` (§3.1). */
export function resolveGeminiRoot(environment: CollectEnvironment): string {
  return join(environment.env.GEMINI_CLI_HOME?.trim() || environment.home, ".gemini");
}

function listChats(root: string): Chat[] {
  const tmp = join(root, "tmp");
  const accept = (relative: string, name: string) => {
    const parts = relative.split("/");
    if (parts[1] !== "chats") return false;
    if (parts.length === 3) return /^session-.*\.jsonl?$/.test(name);
    return parts.length === 4 && name.endsWith(".jsonl");
  };
  const acceptDir = (relative: string) => {
    const parts = relative.split("/");
    return parts.length === 1 || parts[1] === "chats";
  };
  return findFiles(tmp, { maxDepth: 3, acceptFile: accept, acceptDir }).map((path) => {
    const parts = path
      .slice(tmp.length + 1)
      .replaceAll("\\", "/")
      .split("/");
    return {
      path,
      projectDir: join(tmp, parts[0]!),
      parent: parts.length === 4 ? parts[2]! : null,
      legacy: path.endsWith(".json"),
    };
  });
}

/** The project's path from `.project_root` or the registry; else the (hash or slug) folder name itself. */
function createProjectResolver(root: string, salt: string): (projectDir: string) => string {
  const bySlug = new Map<string, string>();
  try {
    const registry = JSON.parse(readFileSync(join(root, "projects.json"), "utf8")) as { projects?: unknown };
    if (registry.projects && typeof registry.projects === "object") {
      for (const [path, slug] of Object.entries(registry.projects))
        if (typeof slug === "string") bySlug.set(slug, path);
    }
  } catch {
    // no registry (Gemini before 0.29)
  }
  const cache = new Map<string, string>();
  return (projectDir) => {
    let id = cache.get(projectDir);
    if (id) return id;
    let path: string | undefined;
    try {
      path = readFileSync(join(projectDir, ".project_root"), "utf8").trim() || undefined;
    } catch {
      path = bySlug.get(basename(projectDir));
    }
    id = hashProjectPath(path ?? `gemini-project:${basename(projectDir)}`, salt);
    cache.set(projectDir, id);
    return id;
  };
}

type Json = Record<string, unknown>;

function isMetadata(record: Json): boolean {
  return typeof record.sessionId === "string" && !("type" in record) && !("id" in record);
}

function handleRecord(record: Json, file: ChatFile, chat: Chat, context: Omit<MessageContext, "sessionId" | "target">) {
  if (isMetadata(record)) {
    if (isValidSessionId(record.sessionId)) file.sessionId = record.sessionId;
    const target = chat.parent ?? file.sessionId;
    const startTime = context.clock.see(parseTimeValue(record.startTime));
    if (target && isUsableTime(startTime)) touchTime(getTotals(context.book, target), startTime);
    return;
  }
  const sessionId = file.sessionId;
  if (!sessionId) return;
  const messageContext: MessageContext = { ...context, sessionId, target: chat.parent ?? sessionId };
  const set = record.$set as Json | undefined;
  // A `$set` checkpoint re-lists the messages; dedup by id keeps each once. `$rewindTo` is ignored: billed.
  if (set && Array.isArray(set.messages)) {
    for (const message of set.messages)
      if (message && typeof message === "object") handleGeminiMessage(message, messageContext);
    return;
  }
  if (!("$set" in record) && !("$rewindTo" in record)) handleGeminiMessage(record, messageContext);
}

/** Legacy `.json` is one document rewritten whole: re-read it all; a half-written one is retried next run. */
function readLegacyChat(
  chat: Chat,
  stats: Stats,
  file: ChatFile,
  context: Omit<MessageContext, "sessionId" | "target">,
) {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(chat.path, "utf8"));
  } catch {
    return false;
  }
  if (!document || typeof document !== "object") return false;
  const { messages, ...metadata } = document as Json;
  handleRecord(metadata, file, chat, context);
  if (Array.isArray(messages)) handleRecord({ $set: { messages } }, file, chat, context);
  file.cursor = { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, offset: stats.size, tail: "" };
  return true;
}

async function collectGemini(
  environment: CollectEnvironment,
  previous: GeminiState | undefined,
): Promise<CollectResult<GeminiState>> {
  const state: GeminiState = previous?.version === 2 ? previous : { version: 2, files: {}, messages: {}, sessions: {} };
  const root = resolveGeminiRoot(environment);
  const resolveProject = createProjectResolver(root, environment.projectSalt ?? "");
  const chats = listChats(root);
  const present = new Set(chats.map((chat) => chat.path));
  for (const path of Object.keys(state.files)) if (!present.has(path)) delete state.files[path];
  // Legacy documents first, then JSONL; parents' files before their subagents'.
  chats.sort((a, b) => Number(b.legacy) - Number(a.legacy) || Number(a.parent !== null) - Number(b.parent !== null));

  const touched = new Set<string>();
  const changed = new Set<string>();
  let malformedLines = 0;
  let filesRead = 0;
  let undatedRecords = 0;
  for (const chat of chats) {
    const stats = statOrNull(chat.path);
    const known = state.files[chat.path];
    if (!stats || isUnchanged(known?.cursor, stats)) continue;
    const file: ChatFile = known ?? { cursor: { ino: 0, size: 0, mtimeMs: 0, offset: 0, tail: "" }, sessionId: null };
    const clock = new RecordClock(Number.NaN, stats.mtimeMs);
    const context = { book: state, project: resolveProject(chat.projectDir), touched, changed, clock };
    filesRead++;
    if (chat.legacy) {
      if (readLegacyChat(chat, stats, file, context)) state.files[chat.path] = file;
      else malformedLines++;
      undatedRecords += clock.undated;
      continue;
    }
    const handleLine = (line: Buffer, complete: boolean) => {
      let record: unknown;
      try {
        record = JSON.parse(line.toString("utf8"));
      } catch {
        // An unfinished last line is most likely still being written: not malformed.
        if (complete) malformedLines++;
        return;
      }
      if (record && typeof record === "object" && !Array.isArray(record)) {
        handleRecord(record as Json, file, chat, context);
      } else if (complete) {
        malformedLines++;
      }
    };
    let outcome: ReturnType<typeof readNewLines>;
    try {
      // A finished chat's last line may lack its newline: read it, but resume before it (re-reading a
      // message is harmless: the last version of each wins).
      outcome = readNewLines(
        chat.path,
        stats,
        known?.cursor,
        linesOf((line) => handleLine(line, true)),
        linesOf((line) => handleLine(line, false)),
        (resumed) => {
          // The time before the cursor holds only when the chat goes on from it (not rewritten).
          const last = known?.cursor.lastTimeMs;
          if (resumed && typeof last === "number") clock.last = last;
        },
      );
    } catch {
      malformedLines++; // vanished mid-run: last-write-wins makes the re-read next run harmless
      continue;
    }
    file.cursor = isUsableTime(clock.last) ? { ...outcome.cursor, lastTimeMs: clock.last } : outcome.cursor;
    state.files[chat.path] = file;
    undatedRecords += clock.undated;
  }
  const records: UsageRecord[] = environment.skipRecords ? [] : buildRecords(state, changed);
  const sessions = buildSessionInputs("gemini", state.sessions, touched);
  return { sessions, records, state, malformedLines, filesRead, undatedRecords };
}

function buildRecords(state: GeminiState, changed: Set<string>): UsageRecord[] {
  const records: UsageRecord[] = [];
  for (const key of changed) {
    const tally = state.messages[key];
    if (!tally) continue;
    records.push(recordOfTally("gemini", tally, key, tally[10] ?? 0));
  }
  return records;
}

export const geminiCollector: Collector<GeminiState> = {
  tool: "gemini",
  detect: (environment) => existsSync(join(resolveGeminiRoot(environment), "tmp")),
  collect: collectGemini,
};
