import { KeyTable } from "./key-table";
import { addTokens, createSessionTotals, type SessionTotals, sumTokens, type TokenTuple } from "./session-totals";

/** Copy flags. */
export const HAS_REQUEST = 1;
export const SIDECHAIN = 2;
/** 0 = seen only under a root that another collector owns. */
export const COUNTED = 4;

/**
 * Every copy of every billed call seen so far, as columns (there are ~10^5 in a big history). A call is
 * its message id; its copies (usually one) are chained through `next` from the head the `calls` table
 * holds, oldest first. Names (session ids, models) are indexes into the book's name table.
 */
export class CallCopies {
  count = 0;
  messageHigh = new Uint32Array(1024);
  messageLow = new Uint32Array(1024);
  requestHigh = new Uint32Array(1024);
  requestLow = new Uint32Array(1024);
  flags = new Uint8Array(1024);
  session = new Int32Array(1024);
  model = new Int32Array(1024);
  next = new Int32Array(1024);
  timestamp = new Float64Array(1024);
  /** Four per copy: input, output, cache creation, cache read. */
  tokens = new Float64Array(4096);

  /** A new copy's index (its columns zero, `next` -1). */
  add(): number {
    if (this.count === this.flags.length) this.grow(Math.max(1024, this.count * 2));
    this.next[this.count] = -1;
    return this.count++;
  }

  grow(capacity: number): void {
    const widen = <T extends Uint32Array | Uint8Array | Int32Array | Float64Array>(column: T, size: number): T => {
      const wider = new (column.constructor as new (length: number) => T)(size);
      wider.set(column);
      return wider;
    };
    this.messageHigh = widen(this.messageHigh, capacity);
    this.messageLow = widen(this.messageLow, capacity);
    this.requestHigh = widen(this.requestHigh, capacity);
    this.requestLow = widen(this.requestLow, capacity);
    this.flags = widen(this.flags, capacity);
    this.session = widen(this.session, capacity);
    this.model = widen(this.model, capacity);
    this.next = widen(this.next, capacity);
    this.timestamp = widen(this.timestamp, capacity);
    this.tokens = widen(this.tokens, capacity * 4);
  }

  sumTokens(copy: number): number {
    const at = copy * 4;
    return this.tokens[at]! + this.tokens[at + 1]! + this.tokens[at + 2]! + this.tokens[at + 3]!;
  }

  tokensOf(copy: number): TokenTuple {
    const at = copy * 4;
    return [this.tokens[at]!, this.tokens[at + 1]!, this.tokens[at + 2]!, this.tokens[at + 3]!];
  }
}

/** Scratch for one copy's tokens while they are added to its session (read at once, never kept). */
const copyTokens: TokenTuple = [0, 0, 0, 0];

/** One sighting of a billed call, as the merge takes it (keys already hashed by the digesting thread). */
export interface CallSighting {
  messageHigh: number;
  messageLow: number;
  /** False when the backend sent no requestId: the call is then one per session. */
  hasRequest: boolean;
  requestHigh: number;
  requestLow: number;
  sessionId: string;
  sidechain: boolean;
  counted: boolean;
  timestamp: number;
  model: string | null;
  tokens: TokenTuple;
}

/**
 * The Claude collectors' dedup book (TOOL-LOG-FORMATS.md §1.5): every call copy and every counted tool_use
 * id (`t:`) and prompt uuid (`u:`) key, plus the running totals of every session.
 */
export class ClaudeBook {
  readonly names: string[] = [];
  private readonly nameIndexes = new Map<string, number>();
  sessions: Record<string, SessionTotals> = {};
  /** Hashed `t:`/`u:` key -> name index of the session it counted in. */
  seen = new KeyTable();
  /** Hashed message id -> its first copy. */
  calls = new KeyTable();
  copies = new CallCopies();
  /** Bumped by every change to the copies and tables: a store skips rewriting a book that did not change. */
  revision = 0;

  /** The index of `name` in the name table, adding it when new. */
  intern(name: string): number {
    let index = this.nameIndexes.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.nameIndexes.set(name, index);
    }
    return index;
  }

  nameAt(index: number): string | null {
    return index >= 0 ? (this.names[index] ?? null) : null;
  }

  totalsOf(sessionId: string): SessionTotals {
    let totals = this.sessions[sessionId];
    if (!totals) {
      totals = createSessionTotals();
      this.sessions[sessionId] = totals;
    }
    return totals;
  }

  /** Records a `t:`/`u:` key for `sessionId`; true when it was new. */
  markSeen(high: number, low: number, sessionId: string): boolean {
    if (this.seen.get(high, low) !== -1) return false;
    this.seen.set(high, low, this.intern(sessionId));
    this.revision++;
    return true;
  }

  private applyCopy(copy: number, sign: 1 | -1, touched: Set<string>): void {
    const copies = this.copies;
    if ((copies.flags[copy]! & COUNTED) === 0) return;
    const sessionId = this.nameAt(copies.session[copy]!)!;
    for (let i = 0; i < 4; i++) copyTokens[i] = copies.tokens[copy * 4 + i]!;
    addTokens(this.totalsOf(sessionId), copyTokens, this.nameAt(copies.model[copy]!), sign);
    touched.add(sessionId);
  }

  private write(copy: number, sighting: CallSighting, flags: number): void {
    this.revision++;
    const copies = this.copies;
    copies.messageHigh[copy] = sighting.messageHigh;
    copies.messageLow[copy] = sighting.messageLow;
    copies.requestHigh[copy] = sighting.requestHigh;
    copies.requestLow[copy] = sighting.requestLow;
    copies.flags[copy] = flags;
    copies.session[copy] = this.intern(sighting.sessionId);
    copies.model[copy] = sighting.model === null ? -1 : this.intern(sighting.model);
    copies.timestamp[copy] = sighting.timestamp;
    copies.tokens.set(sighting.tokens, copy * 4);
  }

  private isExact(copy: number, sighting: CallSighting): boolean {
    const copies = this.copies;
    const hasRequest = (copies.flags[copy]! & HAS_REQUEST) !== 0;
    if (hasRequest !== sighting.hasRequest) return false;
    if (hasRequest)
      return copies.requestHigh[copy] === sighting.requestHigh && copies.requestLow[copy] === sighting.requestLow;
    return this.names[copies.session[copy]!] === sighting.sessionId;
  }

  /**
   * Merges one sighting of an API call (§1.5, 1–3): same message id + requestId (or, without requestId, same
   * message id in the same session) is one call and keeps its largest usage; a sidechain copy of a call that
   * also exists outside a sidechain is dropped in favour of the main copy. A copy seen under a root owned by
   * another collector makes the call uncounted. Returns the call's first copy when the book changed, else -1.
   */
  mergeCall(sighting: CallSighting, touched: Set<string>): number {
    const copies = this.copies;
    const head = this.calls.get(sighting.messageHigh, sighting.messageLow);
    const request = sighting.hasRequest ? HAS_REQUEST : 0;
    let mirror = -1;
    let last = -1;
    for (let copy = head; copy !== -1; copy = copies.next[copy]!) {
      if (this.isExact(copy, sighting)) return this.mergeExact(head, copy, sighting, touched);
      if (mirror === -1 && ((copies.flags[copy]! & SIDECHAIN) !== 0) !== sighting.sidechain) mirror = copy;
      last = copy;
    }
    if (mirror !== -1) {
      const keptCounted = (copies.flags[mirror]! & COUNTED) !== 0;
      // Keep the non-sidechain copy; the call stays uncounted if either copy is owned elsewhere.
      if (sighting.sidechain) {
        if (sighting.counted || !keptCounted) return -1;
        this.applyCopy(mirror, -1, touched);
        copies.flags[mirror] = copies.flags[mirror]! & ~COUNTED;
        this.revision++;
        return head;
      }
      const timestamp = Math.min(sighting.timestamp, copies.timestamp[mirror]!);
      this.applyCopy(mirror, -1, touched);
      this.write(mirror, { ...sighting, timestamp }, request | (sighting.counted && keptCounted ? COUNTED : 0));
      this.applyCopy(mirror, 1, touched);
      return head;
    }
    const copy = copies.add();
    this.write(copy, sighting, request | (sighting.sidechain ? SIDECHAIN : 0) | (sighting.counted ? COUNTED : 0));
    if (last === -1) this.calls.set(sighting.messageHigh, sighting.messageLow, copy);
    else copies.next[last] = copy;
    this.applyCopy(copy, 1, touched);
    return last === -1 ? copy : head;
  }

  private mergeExact(head: number, copy: number, sighting: CallSighting, touched: Set<string>): number {
    const copies = this.copies;
    const flags = copies.flags[copy]!;
    const larger = sumTokens(sighting.tokens) > copies.sumTokens(copy);
    const counted = sighting.counted && (flags & COUNTED) !== 0 ? COUNTED : 0;
    const sidechain = sighting.sidechain && (flags & SIDECHAIN) !== 0 ? SIDECHAIN : 0;
    if (!larger && counted === (flags & COUNTED) && sidechain === (flags & SIDECHAIN)) return -1;
    this.applyCopy(copy, -1, touched);
    this.revision++;
    copies.flags[copy] = (flags & HAS_REQUEST) | counted | sidechain;
    if (larger) {
      copies.tokens.set(sighting.tokens, copy * 4);
      if (sighting.model !== null) copies.model[copy] = this.intern(sighting.model);
    }
    this.applyCopy(copy, 1, touched);
    return head;
  }
}
