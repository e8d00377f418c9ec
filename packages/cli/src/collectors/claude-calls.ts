import { addTokens, createSessionTotals, type SessionTotals, sumTokens, type TokenTuple } from "./session-totals";

/**
 * One copy of a billed API call, kept in the state as a tuple (there are ~10^5 of them in a big history):
 * session, requestId (null when the backend sent none), sidechain, counted (0 = seen only under a root that
 * another collector owns), timestamp, model, then the four normalised token counts.
 */
export type CallCopy = [string, string | null, 0 | 1, 0 | 1, number, string | null, number, number, number, number];

export interface CallBook {
  /** message.id -> its distinct copies (usually exactly one). */
  calls: Record<string, CallCopy[]>;
  sessions: Record<string, SessionTotals>;
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

function toCopy(sighting: CallSighting): CallCopy {
  const [input, output, write, read] = sighting.tokens;
  return [
    sighting.sessionId,
    sighting.requestId,
    sighting.sidechain ? 1 : 0,
    sighting.counted ? 1 : 0,
    sighting.timestamp,
    sighting.model,
    input,
    output,
    write,
    read,
  ];
}

function applyCopy(book: CallBook, copy: CallCopy, sign: 1 | -1, touched: Set<string>): void {
  if (copy[3] !== 1) return;
  addTokens(getSessionTotals(book, copy[0]), copyTokens(copy), copy[5], sign);
  touched.add(copy[0]);
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
    (copy) => copy[1] === sighting.requestId && (sighting.requestId !== null || copy[0] === sighting.sessionId),
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
    const next = toCopy(sighting);
    next[3] = sighting.counted && kept[3] === 1 ? 1 : 0;
    next[4] = Math.min(next[4], kept[4]);
    replaceCopy(book, copies, mirror, next, touched);
    return true;
  }
  const copy = toCopy(sighting);
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
    next[5] = sighting.model ?? kept[5];
  }
  replaceCopy(book, copies, slot, next, touched);
  return true;
}
