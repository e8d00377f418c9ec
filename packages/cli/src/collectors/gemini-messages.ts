import { applyFileEdits, type FileEdit, readFileEdits } from "./edit-inputs";
import { asCount, asObject, type Json } from "./json-values";
import type { RecordClock } from "./record-time";
import {
  addReasoning,
  addTokens,
  addToolUse,
  createSessionTotals,
  type SessionTotals,
  type TokenTuple,
  touchTime,
} from "./session-totals";
import { isUsableTime, parseTimeValue } from "./timestamps";

/**
 * The counted version of one Gemini message: attributed session, timestamp, model, four tokens, tool names,
 * lines added and deleted, reasoning (thoughts, inside the output). A later version of the same message
 * replaces it (§3.5.1, last write wins).
 */
export type MessageTally = [
  string,
  number,
  string | null,
  number,
  number,
  number,
  number,
  string[],
  number,
  number,
  number,
];

export interface GeminiBook {
  /** `${sessionId}/${messageId}` -> counted version. */
  messages: Record<string, MessageTally>;
  sessions: Record<string, SessionTotals>;
}

export interface MessageContext {
  book: GeminiBook;
  /** The session the message belongs to (for key scoping). */
  sessionId: string;
  /** The session it is counted in: the parent for subagent chats. */
  target: string;
  project: string | null;
  touched: Set<string>;
  changed: Set<string>;
  /** Dates a reply without a usable time from the file's earlier records (else its mtime). */
  clock: RecordClock;
}

/**
 * §3.3: Gemini's `input` includes `cached` and `output` excludes `thoughts`. Like ccusage, cached is only
 * subtracted when `total` shows input is inclusive; tool-use prompt tokens count as input.
 */
export function normalizeGeminiTokens(tokens: Json): TokenTuple {
  const input = asCount(tokens.input);
  const output = asCount(tokens.output);
  const cached = asCount(tokens.cached);
  const thoughts = asCount(tokens.thoughts);
  const tool = asCount(tokens.tool);
  const total = tokens.total;
  const inclusive = typeof total !== "number" || total === input + output + thoughts + tool;
  const uncached = inclusive ? Math.max(0, input - cached) : input;
  return [uncached + tool, output + thoughts, 0, cached];
}

export function getTotals(book: GeminiBook, sessionId: string): SessionTotals {
  let totals = book.sessions[sessionId];
  if (!totals) {
    totals = createSessionTotals();
    book.sessions[sessionId] = totals;
  }
  return totals;
}

function readEdits(toolCalls: Json[]): FileEdit[] {
  const edits: FileEdit[] = [];
  for (const call of toolCalls) {
    if (typeof call.name !== "string") continue;
    const found = readFileEdits(call.name, call.args);
    // An edit's FileDiff stat, when the tool stored one, is the exact count.
    const stat = asObject(asObject(call.resultDisplay)?.diffStat);
    if (stat && found.length === 1) {
      found[0]!.added = asCount(stat.model_added_lines);
      found[0]!.deleted = asCount(stat.model_removed_lines);
    }
    edits.push(...found);
  }
  return edits;
}

/** The part of the output spent thinking (`thoughtsTokenCount` in the API's usage). */
export function readGeminiReasoning(tokens: Json): number {
  return asCount(tokens.thoughts);
}

function applyTally(totals: SessionTotals, tally: MessageTally, sign: 1 | -1): void {
  addTokens(totals, tally.slice(3, 7) as number[], tally[2], sign);
  addReasoning(totals, tally[10], sign);
  for (const name of tally[7]) addToolUse(totals, name, sign);
  totals.added = Math.max(0, totals.added + sign * tally[8]);
  totals.deleted = Math.max(0, totals.deleted + sign * tally[9]);
}

/** Gemini CLI 0.61 opens a chat with a `<session_context>` user message of its own: no typed prompt. */
function isSessionContext(message: Json): boolean {
  const first = Array.isArray(message.content) ? asObject(message.content[0]) : null;
  return typeof first?.text === "string" && first.text.startsWith("<session_context>");
}

/** A `user` record that only hands tool results back to the model (`functionResponse` parts): no prompt. */
function isToolResponse(message: Json): boolean {
  const parts = Array.isArray(message.content) ? message.content : [];
  return parts.length > 0 && parts.every((part) => asObject(part)?.functionResponse !== undefined);
}

/** Applies one version of a message record (`user` prompts count as turns once; `gemini` replies are billed). */
export function handleGeminiMessage(message: Json, context: MessageContext): void {
  if (typeof message.id !== "string" || typeof message.type !== "string") return;
  const key = `${context.sessionId}/${message.id}`;
  const own = parseTimeValue(message.timestamp);
  const totals = getTotals(context.book, context.target);
  if (totals.project === null) totals.project = context.project;
  context.touched.add(context.target);
  const previous = context.book.messages[key];
  if (message.type !== "gemini") {
    touchTime(totals, context.clock.see(own));
    if (message.type !== "user") return;
    if (!previous && !isSessionContext(message) && !isToolResponse(message)) totals.turns += 1;
    context.book.messages[key] = previous ?? [
      context.target,
      isUsableTime(own) ? own : 0,
      null,
      0,
      0,
      0,
      0,
      [],
      0,
      0,
      0,
    ];
    return;
  }
  const tokens = asObject(message.tokens);
  // A copy without tokens of a reply already counted (the history a resume writes into `$set.messages`
  // carries neither tokens nor tool calls) adds nothing and takes nothing away.
  if (previous && !tokens) {
    touchTime(totals, context.clock.resolve(previous[1]));
    return;
  }
  // A later version without a time keeps the one its first version was given.
  const timestamp = previous && !isUsableTime(own) ? context.clock.resolve(previous[1]) : context.clock.date(own);
  touchTime(totals, timestamp);
  const toolCalls = Array.isArray(message.toolCalls)
    ? message.toolCalls.map(asObject).filter((call) => call !== null)
    : [];
  const edits = readEdits(toolCalls);
  const counts: TokenTuple = tokens ? normalizeGeminiTokens(tokens) : [0, 0, 0, 0];
  const next: MessageTally = [
    previous?.[0] ?? context.target,
    timestamp,
    typeof message.model === "string" ? message.model : (previous?.[2] ?? null),
    ...counts,
    toolCalls.map((call) => call.name).filter((name): name is string => typeof name === "string"),
    edits.reduce((sum, edit) => sum + edit.added, 0),
    edits.reduce((sum, edit) => sum + edit.deleted, 0),
    tokens ? readGeminiReasoning(tokens) : 0,
  ];
  const owner = getTotals(context.book, next[0]);
  if (previous) applyTally(owner, previous, -1);
  applyTally(owner, next, 1);
  // File identities only ever accumulate (a later version re-lists the same files).
  for (const edit of edits) applyFileEdits(owner, [{ ...edit, added: 0, deleted: 0 }]);
  context.book.messages[key] = next;
  context.changed.add(key);
}
