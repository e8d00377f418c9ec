import type { DigestedTranscript, TranscriptEnd } from "./claude-digest";
import type { ClaudeEvent } from "./claude-lines";

/**
 * A digested transcript as a worker posts it: the numbers of every event in one transferable Float64Array
 * and its strings once each (a file repeats its session id, cwd and model on every line). Cloning event
 * objects one by one cost more than digesting them; this costs a copy of the strings.
 */
export interface EncodedTranscript extends TranscriptEnd {
  numbers: Float64Array;
  strings: string[];
}

const HAS_CALL = 1;
const SIDECHAIN = 2;
const EDIT_KINDS = ["edit", "write", "created"] as const;

/**
 * Encodes a transcript's events as they are digested (a worker never holds them as objects). Strings that
 * repeat (session id, cwd, model, tool names, paths) are stored once; ids and keys, unique, are appended.
 */
export class TranscriptEncoder {
  private numbers = new Float64Array(4096);
  private size = 1;
  private readonly strings: string[] = [];
  private readonly repeated = new Map<string, number>();
  private events = 0;

  private push(value: number): void {
    if (this.size === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.size++] = value;
  }

  private pushUnique(value: string | null): void {
    if (value === null) {
      this.push(-1);
      return;
    }
    this.push(this.strings.length);
    this.strings.push(value);
  }

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

  add(event: ClaudeEvent): void {
    const call = event.call;
    this.events++;
    this.push((call ? HAS_CALL : 0) | (call?.sidechain ? SIDECHAIN : 0));
    this.pushRepeated(event.sessionId);
    this.push(event.timestamp);
    this.pushRepeated(event.cwd);
    this.pushUnique(event.promptKey);
    this.push(event.tools?.length ?? 0);
    if (call) {
      this.pushUnique(call.messageId);
      this.pushUnique(call.requestId);
      this.pushRepeated(call.model);
      for (const count of call.tokens) this.push(count);
    }
    for (const tool of event.tools ?? []) {
      this.pushUnique(tool.key);
      this.pushRepeated(tool.name);
      this.push(tool.edits.length);
      for (const edit of tool.edits) {
        this.pushRepeated(edit.path);
        this.push(edit.added);
        this.push(edit.deleted);
        this.push(EDIT_KINDS.indexOf(edit.kind));
      }
    }
  }

  finish(end: TranscriptEnd): EncodedTranscript {
    this.numbers[0] = this.events;
    return { ...end, numbers: this.numbers.slice(0, this.size), strings: this.strings };
  }
}

export function encodeTranscript(digested: DigestedTranscript): EncodedTranscript {
  const encoder = new TranscriptEncoder();
  for (const event of digested.events) encoder.add(event);
  return encoder.finish({ cursor: digested.cursor, malformedLines: digested.malformedLines });
}

/** Hands the events back one by one, in file order. */
export function decodeTranscript(encoded: EncodedTranscript, onEvent: (event: ClaudeEvent) => void): void {
  const { numbers, strings } = encoded;
  const text = (index: number) => (index < 0 ? null : strings[index]!);
  let at = 1;
  const read = () => numbers[at++]!;
  for (let remaining = numbers[0] ?? 0; remaining > 0; remaining--) {
    const flags = read();
    const event: ClaudeEvent = {
      sessionId: text(read()),
      timestamp: read(),
      cwd: text(read()),
      promptKey: text(read()),
      tools: null,
      call: null,
    };
    let toolCount = read();
    if (flags & HAS_CALL) {
      event.call = {
        messageId: text(read())!,
        requestId: text(read()),
        sidechain: (flags & SIDECHAIN) !== 0,
        model: text(read()),
        tokens: [read(), read(), read(), read()],
      };
    }
    if (toolCount > 0) event.tools = [];
    for (; toolCount > 0; toolCount--) {
      const key = text(read())!;
      const name = text(read())!;
      const edits = [];
      for (let editCount = read(); editCount > 0; editCount--) {
        edits.push({ path: text(read())!, added: read(), deleted: read(), kind: EDIT_KINDS[read()]! });
      }
      event.tools!.push({ key, name, edits });
    }
    onEvent(event);
  }
}
