import type { DigestedTranscript, TranscriptEnd } from "./claude-digest";
import type { TranscriptDigest } from "./claude-transcript-digest";

/**
 * A digested transcript as a worker posts it: every number in one transferable Float64Array and the strings
 * once each (a file repeats its session id, model and tool names). Cloning the digest's objects one by one
 * cost more than making them; this costs a copy of the strings.
 */
export interface EncodedTranscript extends TranscriptEnd {
  numbers: Float64Array;
  strings: string[];
}

const EDIT_KINDS = ["edit", "write", "created"] as const;

class NumberWriter {
  numbers = new Float64Array(1024);
  size = 0;
  readonly strings: string[] = [];
  private readonly repeated = new Map<string, number>();

  push(value: number): void {
    if (this.size === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.size++] = value;
  }

  /** Ids and keys: unique, appended. */
  pushUnique(value: string | null): void {
    if (value === null) {
      this.push(-1);
      return;
    }
    this.push(this.strings.length);
    this.strings.push(value);
  }

  /** Session ids, models, tool names, file keys: stored once. */
  pushRepeated(value: string | null): void {
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
}

export function encodeTranscript(digested: DigestedTranscript): EncodedTranscript {
  const { spans, calls, tools, prompts } = digested.digest;
  const out = new NumberWriter();
  out.push(spans.length);
  for (const span of spans) {
    out.pushRepeated(span.sessionId);
    out.push(span.start);
    out.push(span.end);
    out.pushRepeated(span.cwd);
  }
  out.push(calls.length);
  for (const call of calls) {
    out.pushRepeated(call.sessionId);
    out.pushUnique(call.messageId);
    out.pushUnique(call.requestId);
    out.push(call.sidechain ? 1 : 0);
    out.pushRepeated(call.model);
    out.push(call.timestamp);
    for (const count of call.tokens) out.push(count);
  }
  out.push(tools.length);
  for (const tool of tools) {
    out.pushRepeated(tool.sessionId);
    out.pushUnique(tool.key);
    out.pushRepeated(tool.name);
    out.push(tool.edits.length);
    for (const edit of tool.edits) {
      out.pushRepeated(edit.fileKey);
      out.push(edit.added);
      out.push(edit.deleted);
      out.push(EDIT_KINDS.indexOf(edit.kind));
    }
  }
  out.push(prompts.length);
  for (const prompt of prompts) {
    out.pushRepeated(prompt.sessionId);
    out.pushUnique(prompt.key);
  }
  return {
    cursor: digested.cursor,
    malformedLines: digested.malformedLines,
    numbers: out.numbers.slice(0, out.size),
    strings: out.strings,
  };
}

export function decodeTranscript(encoded: EncodedTranscript): DigestedTranscript {
  const { numbers, strings } = encoded;
  let at = 0;
  const read = () => numbers[at++]!;
  const text = () => {
    const index = read();
    return index < 0 ? null : strings[index]!;
  };
  const digest: TranscriptDigest = { spans: [], calls: [], tools: [], prompts: [] };
  for (let count = read(); count > 0; count--) {
    digest.spans.push({ sessionId: text(), start: read(), end: read(), cwd: text() });
  }
  for (let count = read(); count > 0; count--) {
    digest.calls.push({
      sessionId: text(),
      messageId: text()!,
      requestId: text(),
      sidechain: read() === 1,
      model: text(),
      timestamp: read(),
      tokens: [read(), read(), read(), read()],
    });
  }
  for (let count = read(); count > 0; count--) {
    const sessionId = text();
    const key = text()!;
    const name = text()!;
    const edits = [];
    for (let edit = read(); edit > 0; edit--) {
      edits.push({ fileKey: text()!, added: read(), deleted: read(), kind: EDIT_KINDS[read()]! });
    }
    digest.tools.push({ sessionId, key, name, edits });
  }
  for (let count = read(); count > 0; count--) digest.prompts.push({ sessionId: text(), key: text()! });
  return { cursor: encoded.cursor, malformedLines: encoded.malformedLines, digest };
}
