import type { CallSighting, ClaudeBook } from "./claude-book";
import type { CallEvent, ClaudeEvent } from "./claude-lines";
import { applyFileEdits, type FileEdit } from "./edit-inputs";
import { hashKey64 } from "./key-table";
import { hashProjectPath } from "./project-id";
import { RecordClock } from "./record-time";
import { addToolUse, sumTokens, type TokenTuple, touchTime } from "./session-totals";

/**
 * What one transcript (or its new part) means, with no state involved, as flat records: every number in one
 * Float64Array (transferred as is when a worker posts it) and each string once. Applying it is what the
 * main thread does for every file in order, so it must be cheap: consecutive sightings of one call
 * (streamed content blocks) are already folded, dedup keys and file paths already hashed, and nothing is an
 * object.
 *
 * Layout: records (CALL, TOOL, PROMPT) in line order, END, then the spans: per session, in order of first
 * appearance, its earliest and latest timestamp (NaN: none) and first cwd. String references are indexes
 * into `strings`, -1 for null; a null session means the file's own.
 */
export interface TranscriptDigest {
  numbers: Float64Array;
  strings: string[];
}

const END = 0;
const CALL = 1;
const TOOL = 2;
const PROMPT = 3;
/**
 * CALL: tag, session, message id hash (2), has a requestId, its hash (2), sidechain, model, timestamp, 4 token
 * counts. TOOL: tag, session, key hash (2), name, edit count, edits (file key, added, deleted, kind).
 * PROMPT: tag, session, key hash (2).
 */
const CALL_TOKENS_AT = 10;
const EDIT_KINDS = ["edit", "write", "created"] as const;
/** Most tool calls edit nothing: one shared empty list (never pushed to). */
const NO_EDITS: FileEdit[] = [];

interface Span {
  sessionId: string | null;
  start: number;
  end: number;
  cwd: string | null;
}

interface LastCall {
  at: number;
  messageId: string;
  requestId: string | null;
  sessionId: string | null;
  sidechain: boolean;
  model: string | null;
}

export class TranscriptDigestBuilder {
  private numbers = new Float64Array(1024);
  private size = 0;
  private readonly strings: string[] = [];
  private readonly repeated = new Map<string, number>();
  private readonly spans: Span[] = [];
  private lastCall: LastCall | null = null;

  /** `clock` dates calls that carry no usable time (from the file's earlier lines, else its mtime). */
  constructor(readonly clock: RecordClock = new RecordClock(Number.NaN, Number.NaN)) {}

  private push(value: number): void {
    if (this.size === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.size++] = value;
  }

  /** A dedup key, as its 64-bit hash. */
  private pushKey(key: string): void {
    const hash = hashKey64(key);
    this.push(hash[0]!);
    this.push(hash[1]!);
  }

  /** Session ids, models, tool names, file keys: stored once. */
  private pushRepeated(value: string | null): void {
    if (value === null) {
      this.push(-1);
      return;
    }
    let index = this.repeated.get(value);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(value);
      this.repeated.set(value, index);
    }
    this.push(index);
  }

  private findSpan(sessionId: string | null): Span {
    const spans = this.spans;
    for (let index = spans.length - 1; index >= 0; index--)
      if (spans[index]!.sessionId === sessionId) return spans[index]!;
    const span: Span = { sessionId, start: Number.NaN, end: Number.NaN, cwd: null };
    spans.push(span);
    return span;
  }

  /** Adds one line's event, in file order. */
  add(event: ClaudeEvent): void {
    const span = this.findSpan(event.sessionId);
    // The span's copy of the id: every line repeats it as a new string.
    const sessionId = span.sessionId;
    const call = event.call;
    const folds = call !== null && this.folds(call, sessionId);
    // A call without a time of its own takes its neighbours' (counted once, not per streamed copy).
    const timestamp =
      call === null
        ? this.clock.see(event.timestamp)
        : folds
          ? this.clock.resolve(event.timestamp)
          : this.clock.date(event.timestamp);
    if (Number.isFinite(timestamp)) {
      if (!(timestamp >= span.start)) span.start = timestamp;
      if (!(timestamp <= span.end)) span.end = timestamp;
    }
    if (span.cwd === null) span.cwd = event.cwd;
    for (const tool of event.tools ?? []) {
      this.push(TOOL);
      this.pushRepeated(sessionId);
      this.pushKey(tool.key);
      this.pushRepeated(tool.name);
      this.push(tool.edits.length);
      for (const edit of tool.edits) {
        this.pushRepeated(edit.fileKey);
        this.push(edit.added);
        this.push(edit.deleted);
        this.push(EDIT_KINDS.indexOf(edit.kind));
      }
    }
    if (call) {
      if (folds) {
        // Another sighting that merging would treat identically: keep the larger usage, as mergeCall would.
        const at = this.lastCall!.at + CALL_TOKENS_AT;
        const kept = this.numbers[at]! + this.numbers[at + 1]! + this.numbers[at + 2]! + this.numbers[at + 3]!;
        if (sumTokens(call.tokens) > kept) this.numbers.set(call.tokens, at);
      } else {
        this.lastCall = { at: this.size, ...call, sessionId };
        this.push(CALL);
        this.pushRepeated(sessionId);
        this.pushKey(call.messageId);
        this.push(call.requestId === null ? 0 : 1);
        this.pushKey(call.requestId ?? "");
        this.push(call.sidechain ? 1 : 0);
        this.pushRepeated(call.model);
        this.push(timestamp);
        for (const count of call.tokens) this.push(count);
      }
    }
    if (event.promptKey) {
      this.push(PROMPT);
      this.pushRepeated(sessionId);
      this.pushKey(event.promptKey);
    }
  }

  /** True when `call` is another sighting of the previous line's call (streamed content blocks). */
  private folds(call: CallEvent, sessionId: string | null): boolean {
    const last = this.lastCall;
    return (
      last !== null &&
      last.messageId === call.messageId &&
      last.requestId === call.requestId &&
      last.sessionId === sessionId &&
      last.sidechain === call.sidechain &&
      last.model === call.model
    );
  }

  finish(): TranscriptDigest {
    this.push(END);
    this.push(this.spans.length);
    for (const span of this.spans) {
      this.pushRepeated(span.sessionId);
      this.push(span.start);
      this.push(span.end);
      this.pushRepeated(span.cwd);
    }
    return { numbers: this.numbers.slice(0, this.size), strings: this.strings };
  }
}

/** One folded call of a digest, as `ClaudeBook.mergeCall` takes it (`sessionId` null: the file's). */
export interface DigestedCall {
  sessionId: string | null;
  messageHigh: number;
  messageLow: number;
  hasRequest: boolean;
  requestHigh: number;
  requestLow: number;
  sidechain: boolean;
  model: string | null;
  timestamp: number;
  tokens: TokenTuple;
}

export interface DigestVisitor {
  call(call: DigestedCall): void;
  /** `high`, `low`: the hash of the tool_use key. */
  tool(sessionId: string | null, high: number, low: number, name: string, edits: FileEdit[]): void;
  prompt(sessionId: string | null, high: number, low: number): void;
  span(sessionId: string | null, start: number, end: number, cwd: string | null): void;
}

/** Reads a digest's records in order, then its spans. The call passed to `visitor.call` is reused: copy what you keep. */
export function visitTranscriptDigest(digest: TranscriptDigest, visitor: DigestVisitor): void {
  const { numbers, strings } = digest;
  const call: DigestedCall = {
    sessionId: null,
    messageHigh: 0,
    messageLow: 0,
    hasRequest: false,
    requestHigh: 0,
    requestLow: 0,
    sidechain: false,
    model: null,
    timestamp: 0,
    tokens: [0, 0, 0, 0],
  };
  let at = 0;
  const read = () => numbers[at++]!;
  const text = () => {
    const index = numbers[at++]!;
    return index < 0 ? null : strings[index]!;
  };
  for (let tag = read(); tag !== END; tag = read()) {
    if (tag === CALL) {
      call.sessionId = text();
      call.messageHigh = read();
      call.messageLow = read();
      call.hasRequest = read() === 1;
      call.requestHigh = read();
      call.requestLow = read();
      call.sidechain = read() === 1;
      call.model = text();
      call.timestamp = read();
      for (let i = 0; i < 4; i++) call.tokens[i] = read();
      visitor.call(call);
    } else if (tag === TOOL) {
      const sessionId = text();
      const high = read();
      const low = read();
      const name = text()!;
      const count = read();
      const edits: FileEdit[] = count === 0 ? NO_EDITS : [];
      for (let left = count; left > 0; left--) {
        edits.push({ fileKey: text()!, added: read(), deleted: read(), kind: EDIT_KINDS[read()]! });
      }
      visitor.tool(sessionId, high, low, name, edits);
    } else if (tag === PROMPT) {
      visitor.prompt(text(), read(), read());
    } else {
      throw new Error(`damaged transcript digest: record ${tag} at ${at - 1}`);
    }
  }
  for (let count = read(); count > 0; count--) visitor.span(text(), read(), read(), text());
}

const EMPTY_SIGHTING: Omit<CallSighting, "tokens" | "counted"> = {
  messageHigh: 0,
  messageLow: 0,
  hasRequest: false,
  requestHigh: 0,
  requestLow: 0,
  sessionId: "",
  sidechain: false,
  timestamp: 0,
  model: null,
};

/** Per-file context of the apply step. */
export interface TranscriptContext {
  book: ClaudeBook;
  /** Session id implied by the file path (main transcript stem or `<sid>/subagents/`), if any. */
  fileSessionId: string | null;
  /** False under roots owned by another collector: calls are only remembered, never counted. */
  counted: boolean;
  salt: string;
  touched: Set<string>;
  /** First copies of the calls that changed (their records are re-emitted); null when no records are wanted. */
  changedCalls: Set<number> | null;
}

/**
 * Applies a transcript's digest to the book. Calls, tool keys and prompt keys are independent dedup spaces
 * whose effects add up, so this gives what applying the lines one by one gave.
 */
export function applyTranscriptDigest(digest: TranscriptDigest, context: TranscriptContext): void {
  const { book, touched, counted } = context;
  const resolve = (sessionId: string | null) => sessionId ?? context.fileSessionId;
  const sighting: CallSighting = { ...EMPTY_SIGHTING, tokens: [0, 0, 0, 0], counted };
  visitTranscriptDigest(digest, {
    call(call) {
      const sessionId = resolve(call.sessionId);
      if (!sessionId) return;
      // One object for every call of the file: mergeCall copies what it keeps.
      sighting.sessionId = sessionId;
      sighting.messageHigh = call.messageHigh;
      sighting.messageLow = call.messageLow;
      sighting.hasRequest = call.hasRequest;
      sighting.requestHigh = call.requestHigh;
      sighting.requestLow = call.requestLow;
      sighting.sidechain = call.sidechain;
      sighting.model = call.model;
      sighting.timestamp = call.timestamp;
      for (let i = 0; i < 4; i++) sighting.tokens[i] = call.tokens[i]!;
      const changed = book.mergeCall(sighting, touched);
      if (changed !== -1) context.changedCalls?.add(changed);
    },
    tool(lineSessionId, high, low, name, edits) {
      const sessionId = resolve(lineSessionId);
      if (!sessionId || !book.markSeen(high, low, sessionId) || !counted) return;
      const totals = book.totalsOf(sessionId);
      addToolUse(totals, name);
      applyFileEdits(totals, edits);
      touched.add(sessionId);
    },
    prompt(lineSessionId, high, low) {
      const sessionId = resolve(lineSessionId);
      if (!sessionId || !book.markSeen(high, low, sessionId) || !counted) return;
      book.totalsOf(sessionId).turns += 1;
      touched.add(sessionId);
    },
    span(lineSessionId, start, end, cwd) {
      const sessionId = resolve(lineSessionId);
      if (!sessionId || !counted) return;
      const totals = book.totalsOf(sessionId);
      touchTime(totals, start);
      touchTime(totals, end);
      touched.add(sessionId);
      if (totals.project === null && cwd !== null) totals.project = hashProjectPath(cwd, context.salt);
    },
  });
}
