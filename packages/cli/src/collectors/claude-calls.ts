import { addTokens, createSessionTotals, type SessionTotals, sumTokens, type TokenTuple } from "./session-totals";

/**
 * One copy of a billed API call, kept in the state as a tuple (there are ~10^5 of them in a big history):
 * session (index into `names`), requestId (null when the backend sent none), sidechain, counted (0 = seen
 * only under a root that another collector owns), timestamp, model (index into `names`, -1 when unknown),
 * then the four normalised token counts.
 */
export type CallCopy = [number, string | null, 0 | 1, 0 | 1, number, number, number, number, number, number];

export interface CallBook {
  /** message.id -> its distinct copies (usually exactly one). */
  calls: Record<string, CallCopy[]>;
  /** Session ids and model names, stored once and referenced by index from the copies (halves the state). */
  names: string[];
  sessions: Record<string, SessionTotals>;
}

const nameIndexes = new WeakMap<CallBook, Map<string, number>>();

/** The index of `name` in the book's name table, adding it when new. */
export function internName(book: CallBook, name: string): number {
  let indexes = nameIndexes.get(book);
  if (!indexes) {
    indexes = new Map(book.names.map((known, index) => [known, index]));
    nameIndexes.set(book, indexes);
  }
  let index = indexes.get(name);
  if (index === undefined) {
    index = book.names.length;
    book.names.push(name);
    indexes.set(name, index);
  }
  return index;
}

export function readName(book: CallBook, index: number): string | null {
  return index >= 0 ? (book.names[index] ?? null) : null;
}

export interface CallSighting {
  messageId: string;
  requestId: string | null;
  sessionId: string;
  sidechain: boolean;
  counted: boolean;
  timestamp: number;
  model: string | null;
  tokens: TokenTuple;
}

export function copyTokens(copy: CallCopy): TokenTuple {
  return [copy[6], copy[7], copy[8], copy[9]];
}

export function getSessionTotals(book: CallBook, sessionId: string): SessionTotals {
  let totals = book.sessions[sessionId];
  if (!totals) {
    totals = createSessionTotals();
    book.sessions[sessionId] = totals;
  }
  return totals;
}

function toCopy(book: CallBook, sighting: CallSighting): CallCopy {
  const [input, output, write, read] = sighting.tokens;
  return [
    internName(book, sighting.sessionId),
    sighting.requestId,
    sighting.sidechain ? 1 : 0,
    sighting.counted ? 1 : 0,
    sighting.timestamp,
    sighting.model === null ? -1 : internName(book, sighting.model),
    input,
    output,
    write,
    read,
  ];
}

function applyCopy(book: CallBook, copy: CallCopy, sign: 1 | -1, touched: Set<string>): void {
  if (copy[3] !== 1) return;
  const sessionId = readName(book, copy[0])!;
  addTokens(getSessionTotals(book, sessionId), copyTokens(copy), readName(book, copy[5]), sign);
  touched.add(sessionId);
}

/** Replaces `slot` by `next`, moving the tokens between sessions as needed. */
function replaceCopy(book: CallBook, copies: CallCopy[], slot: number, next: CallCopy, touched: Set<string>): void {
  applyCopy(book, copies[slot]!, -1, touched);
  copies[slot] = next;
  applyCopy(book, next, 1, touched);
}

/**
 * Merges one sighting of an API call into the book (TOOL-LOG-FORMATS.md §1.5, 1–3):
 * same `message.id` + `requestId` (or, without requestId, same message.id in the same session) is one call
 * and keeps its largest usage; a sidechain copy of a call that also exists outside a sidechain is dropped in
 * favour of the main copy. A copy seen under a root owned by another collector makes the call uncounted.
 * Returns true when the book changed.
 */
export function mergeCall(book: CallBook, sighting: CallSighting, touched: Set<string>): boolean {
  let copies = book.calls[sighting.messageId];
  if (!copies) {
    copies = [];
    book.calls[sighting.messageId] = copies;
  }
  const exact = copies.findIndex(
    (copy) =>
      copy[1] === sighting.requestId && (sighting.requestId !== null || readName(book, copy[0]) === sighting.sessionId),
  );
  if (exact !== -1) return mergeExact(book, copies, exact, sighting, touched);
  const mirror = copies.findIndex((copy) => (copy[2] === 1) !== sighting.sidechain);
  if (mirror !== -1) {
    const kept = copies[mirror]!;
    // Keep the non-sidechain copy; the call stays uncounted if either copy is owned elsewhere.
    if (sighting.sidechain) {
      if (sighting.counted || kept[3] === 0) return false;
      replaceCopy(book, copies, mirror, [...kept.slice(0, 3), 0, ...kept.slice(4)] as CallCopy, touched);
      return true;
    }
    const next = toCopy(book, sighting);
    next[3] = sighting.counted && kept[3] === 1 ? 1 : 0;
    next[4] = Math.min(next[4], kept[4]);
    replaceCopy(book, copies, mirror, next, touched);
    return true;
  }
  const copy = toCopy(book, sighting);
  copies.push(copy);
  applyCopy(book, copy, 1, touched);
  return true;
}

function mergeExact(
  book: CallBook,
  copies: CallCopy[],
  slot: number,
  sighting: CallSighting,
  touched: Set<string>,
): boolean {
  const kept = copies[slot]!;
  const larger = sumTokens(sighting.tokens) > sumTokens(copyTokens(kept));
  const counted = sighting.counted && kept[3] === 1 ? 1 : 0;
  const sidechain = !sighting.sidechain || kept[2] === 0 ? 0 : 1;
  if (!larger && counted === kept[3] && sidechain === kept[2]) return false;
  const next: CallCopy = [...kept];
  next[2] = sidechain;
  next[3] = counted;
  if (larger) {
    [next[6], next[7], next[8], next[9]] = sighting.tokens;
    next[5] = sighting.model === null ? kept[5] : internName(book, sighting.model);
  }
  replaceCopy(book, copies, slot, next, touched);
  return true;
}
