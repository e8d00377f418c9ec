import { applyFileEdits, readFileEdits } from "./edit-inputs";
import { asCount, asObject, type Json } from "./json-values";
import { RecordClock } from "./record-time";
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
 * Counted version of one message row: session (as stored), timestamp, model, four tokens, source
 * (`d` database, `j` legacy JSON file, `c` a fork's copy of another message, never counted), reasoning
 * (inside the output tokens).
 */
export type MessageTally = [string, number, string | null, number, number, number, number, "d" | "j" | "c", number];
/** Counted version of one tool part: root session, tool name, lines added, lines deleted. */
export type PartTally = [string, string, number, number];

export interface OpenCodeBook {
  messages: Record<string, MessageTally>;
  parts: Record<string, PartTally>;
  /** Completed-message fingerprint -> the message id that owns it (§4.5.3: forks copy rows). */
  fingerprints: Record<string, string>;
  /** Session -> parent session (sub-agent sessions are rolled into their root). */
  parents: Record<string, string | null>;
  projects: Record<string, string>;
  sessions: Record<string, SessionTotals>;
}

export interface RowContext {
  book: OpenCodeBook;
  touched: Set<string>;
  changed: Set<string>;
  /** Dates a message without a usable `time.created` (set per database or file being read). */
  clock: RecordClock;
  /** Messages dated by a finished clock (`clock.undated` of the databases and files read before). */
  undatedRecords: number;
}

/** Reads one database or file with its own clock (`fallback`: its mtime), then counts what it dated. */
export function withClock<T>(context: RowContext, fallback: number, read: () => T): T {
  context.clock = new RecordClock(Number.NaN, fallback);
  try {
    return read();
  } finally {
    context.undatedRecords += context.clock.undated;
  }
}

/** The root of a session's parent chain (bounded: a corrupt cycle must not hang the sync). */
export function findRootSession(book: OpenCodeBook, sessionId: string): string {
  let current = sessionId;
  for (let depth = 0; depth < 32; depth++) {
    const parent = book.parents[current];
    if (!parent || parent === current) return current;
    current = parent;
  }
  return current;
}

function getTotals(book: OpenCodeBook, sessionId: string): SessionTotals {
  const root = findRootSession(book, sessionId);
  let totals = book.sessions[root];
  if (!totals) {
    totals = createSessionTotals();
    book.sessions[root] = totals;
  }
  if (totals.project === null) totals.project = book.projects[root] ?? book.projects[sessionId] ?? null;
  return totals;
}

/**
 * §4.5.5: input is already net of cache. Recent OpenCode stores output net of reasoning, older versions
 * may include it: reasoning is added unless `total` shows it is already inside output.
 */
export function normalizeOpenCodeTokens(tokens: Json): TokenTuple {
  const cache = asObject(tokens.cache) ?? {};
  const input = asCount(tokens.input);
  const output = asCount(tokens.output);
  const reasoning = asCount(tokens.reasoning);
  const read = asCount(cache.read);
  const write = asCount(cache.write);
  const reasoningInside = typeof tokens.total === "number" && tokens.total === input + output + read + write;
  return [input, reasoningInside ? output : output + reasoning, write, read];
}

/** The part of the output spent reasoning (inside or beside `output`, §4.5.5: output counts it either way). */
export function readOpenCodeReasoning(tokens: Json): number {
  return asCount(tokens.reasoning);
}

function readModel(data: Json): { model: string | null; provider: string | null } {
  const nested = asObject(data.model);
  const model = typeof data.modelID === "string" ? data.modelID : typeof nested?.id === "string" ? nested.id : null;
  const provider =
    typeof data.providerID === "string"
      ? data.providerID
      : typeof nested?.providerID === "string"
        ? nested.providerID
        : null;
  return { model, provider };
}

function fingerprint(data: Json, tokens: Json): string | null {
  const time = asObject(data.time);
  if (typeof time?.completed !== "number") return null;
  const { model, provider } = readModel(data);
  const cache = asObject(tokens.cache) ?? {};
  return [
    time.created,
    time.completed,
    model,
    provider,
    tokens.input,
    tokens.output,
    tokens.reasoning,
    cache.read,
    cache.write,
    data.cost,
    data.agent,
  ].join("|");
}

function applyMessage(book: OpenCodeBook, tally: MessageTally, sign: 1 | -1): void {
  if (tally[7] === "c") return;
  const totals = getTotals(book, tally[0]);
  addTokens(totals, tally.slice(3, 7) as number[], tally[2], sign);
  addReasoning(totals, tally[8] ?? 0, sign);
}

/**
 * Applies one version of a message row (`data` is the message minus id/sessionID). A later version replaces
 * the earlier one; a legacy file never overrides a database row.
 */
export function handleMessageRow(id: string, sessionId: string, data: Json, source: "d" | "j", context: RowContext) {
  const { book } = context;
  const previous = book.messages[id];
  if (previous && source === "j" && previous[7] !== "j") return;
  const own = parseTimeValue(asObject(data.time)?.created);
  const totals = getTotals(book, sessionId);
  context.touched.add(findRootSession(book, sessionId));
  const role = data.role ?? data.type;
  const tokens = asObject(data.tokens);
  if (role !== "assistant" || !tokens) {
    touchTime(totals, context.clock.see(own));
    if (role !== "user") return;
    if (!previous) totals.turns += 1;
    book.messages[id] = [sessionId, isUsableTime(own) ? own : 0, null, 0, 0, 0, 0, source, 0];
    return;
  }
  const print = fingerprint(data, tokens);
  const owner = print ? book.fingerprints[print] : undefined;
  const copy = owner !== undefined && owner !== id;
  if (print && !copy) book.fingerprints[print] = id;
  // A later version without a time keeps its first version's; a fork's copy is no record to count as undated.
  const timestamp =
    (previous && !isUsableTime(own)) || copy
      ? context.clock.resolve(isUsableTime(own) ? own : (previous?.[1] ?? Number.NaN))
      : context.clock.date(own);
  touchTime(totals, timestamp);
  const next: MessageTally = [
    sessionId,
    timestamp,
    readModel(data).model,
    ...normalizeOpenCodeTokens(tokens),
    copy ? "c" : source,
    readOpenCodeReasoning(tokens),
  ];
  if (previous) applyMessage(book, previous, -1);
  applyMessage(book, next, 1);
  book.messages[id] = next;
  context.changed.add(id);
}

/** Applies one version of a part row; only `tool` parts matter (name, and edit inputs for line counts). */
export function handlePartRow(id: string, messageId: string, sessionId: string, data: Json, context: RowContext) {
  if (data.type !== "tool" || typeof data.tool !== "string") return;
  const { book } = context;
  if (book.messages[messageId]?.[7] === "c") return;
  const root = findRootSession(book, sessionId);
  const totals = getTotals(book, sessionId);
  const previous = book.parts[id];
  const edits = readFileEdits(data.tool, asObject(data.state)?.input);
  const next: PartTally = [root, data.tool, 0, 0];
  for (const edit of edits) {
    next[2] += edit.added;
    next[3] += edit.deleted;
  }
  if (previous) {
    addToolUse(totals, previous[1], -1);
    totals.added -= previous[2];
    totals.deleted -= previous[3];
  }
  addToolUse(totals, next[1]);
  applyFileEdits(totals, edits);
  book.parts[id] = next;
  context.touched.add(root);
}
