import { getSessionTotals, internName, mergeCall } from "./claude-calls";
import type { CallEvent, ClaudeBook, ClaudeEvent, ToolUseEvent } from "./claude-lines";
import { applyFileEdits } from "./edit-inputs";
import { hashProjectPath } from "./project-id";
import { addToolUse, sumTokens, touchTime } from "./session-totals";

/**
 * What one transcript (or its new part) means, with no state involved, grouped so that applying it is cheap:
 * a worker digests whole files and the main thread, which applies every file in order, does the least work.
 * Sessions are null where a line names none (the file's own session applies).
 */
export interface TranscriptDigest {
  /** Each session's earliest and latest timestamp (NaN: none) and first cwd, in order of first appearance. */
  spans: SessionSpan[];
  /** Billed calls in file order, consecutive sightings of one call folded into one (streamed content blocks). */
  calls: DigestedCall[];
  tools: DigestedTool[];
  /** `u:<uuid>` keys of typed prompts. */
  prompts: DigestedPrompt[];
}

export interface SessionSpan {
  sessionId: string | null;
  start: number;
  end: number;
  cwd: string | null;
}

export interface DigestedCall extends CallEvent {
  sessionId: string | null;
  /** The first sighting's. */
  timestamp: number;
}

export interface DigestedTool extends ToolUseEvent {
  sessionId: string | null;
}

export interface DigestedPrompt {
  sessionId: string | null;
  key: string;
}

export function createTranscriptDigest(): TranscriptDigest {
  return { spans: [], calls: [], tools: [], prompts: [] };
}

function findSpan(digest: TranscriptDigest, sessionId: string | null): SessionSpan {
  const spans = digest.spans;
  for (let index = spans.length - 1; index >= 0; index--)
    if (spans[index]!.sessionId === sessionId) return spans[index]!;
  const span: SessionSpan = { sessionId, start: Number.NaN, end: Number.NaN, cwd: null };
  spans.push(span);
  return span;
}

/**
 * True when `next` is another sighting of `last` that merging would treat identically (same call, session,
 * sidechain flag and model): folding them keeps the larger usage, as `mergeCall` would one after the other.
 */
function isSameSighting(last: DigestedCall, next: CallEvent, sessionId: string | null): boolean {
  return (
    last.messageId === next.messageId &&
    last.requestId === next.requestId &&
    last.sessionId === sessionId &&
    last.sidechain === next.sidechain &&
    last.model === next.model
  );
}

/**
 * Adds one line's event, in file order. Every line repeats its session id (and model) as a new string: the
 * span's copy is kept instead, so that a file's digest holds each such string once.
 */
export function addToDigest(digest: TranscriptDigest, event: ClaudeEvent): void {
  const span = findSpan(digest, event.sessionId);
  const sessionId = span.sessionId;
  const timestamp = event.timestamp;
  if (Number.isFinite(timestamp)) {
    if (!(timestamp >= span.start)) span.start = timestamp;
    if (!(timestamp <= span.end)) span.end = timestamp;
  }
  if (span.cwd === null) span.cwd = event.cwd;
  for (const tool of event.tools ?? []) {
    digest.tools.push({ sessionId, key: tool.key, name: tool.name, edits: tool.edits });
  }
  const call = event.call;
  if (call) {
    const last = digest.calls[digest.calls.length - 1];
    if (last && isSameSighting(last, call, sessionId)) {
      if (sumTokens(call.tokens) > sumTokens(last.tokens)) last.tokens = call.tokens;
    } else {
      digest.calls.push({
        sessionId,
        messageId: call.messageId,
        requestId: call.requestId,
        sidechain: call.sidechain,
        model: last !== undefined && last.model === call.model ? last.model : call.model,
        timestamp,
        tokens: call.tokens,
      });
    }
  }
  if (event.promptKey) digest.prompts.push({ sessionId, key: event.promptKey });
}

/** Per-file context of the apply step. */
export interface TranscriptContext {
  book: ClaudeBook;
  /** Session id implied by the file path (main transcript stem or `<sid>/subagents/`), if any. */
  fileSessionId: string | null;
  /** False under roots owned by another collector: calls are only remembered, never counted. */
  counted: boolean;
  salt: string;
  touched: Set<string>;
  /** message.ids whose copies changed (their records are re-emitted); null when no records are wanted. */
  changedCalls: Set<string> | null;
}

/** Marks `key` seen; true when it was new and counts here. */
function markSeen(key: string, sessionId: string, context: TranscriptContext): boolean {
  if (context.book.seen[key] !== undefined) return false;
  context.book.seen[key] = internName(context.book, sessionId);
  return context.counted;
}

/**
 * Applies a transcript's digest to the book. Calls, tool keys and prompt keys are independent dedup spaces
 * whose effects add up, so applying them kind by kind gives what applying the lines one by one gave.
 */
export function applyTranscriptDigest(digest: TranscriptDigest, context: TranscriptContext): void {
  const { book, touched } = context;
  const resolve = (sessionId: string | null) => sessionId ?? context.fileSessionId;
  if (context.counted) {
    for (const span of digest.spans) {
      const sessionId = resolve(span.sessionId);
      if (!sessionId) continue;
      const totals = getSessionTotals(book, sessionId);
      touchTime(totals, span.start);
      touchTime(totals, span.end);
      touched.add(sessionId);
      if (totals.project === null && span.cwd !== null) totals.project = hashProjectPath(span.cwd, context.salt);
    }
  }
  for (const call of digest.calls) {
    const sessionId = resolve(call.sessionId);
    if (!sessionId) continue;
    const sighting = { ...call, sessionId, counted: context.counted };
    if (mergeCall(book, sighting, touched)) context.changedCalls?.add(call.messageId);
  }
  for (const tool of digest.tools) {
    const sessionId = resolve(tool.sessionId);
    if (!sessionId || !markSeen(tool.key, sessionId, context)) continue;
    const totals = getSessionTotals(book, sessionId);
    addToolUse(totals, tool.name);
    applyFileEdits(totals, tool.edits);
    touched.add(sessionId);
  }
  for (const prompt of digest.prompts) {
    const sessionId = resolve(prompt.sessionId);
    if (!sessionId || !markSeen(prompt.key, sessionId, context)) continue;
    getSessionTotals(book, sessionId).turns += 1;
    touched.add(sessionId);
  }
}
