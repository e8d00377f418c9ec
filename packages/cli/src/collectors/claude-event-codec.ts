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

class StringTable {
  readonly strings: string[] = [];
  private readonly indexes = new Map<string, number>();

  indexOf(value: string | null): number {
    if (value === null) return -1;
    let index = this.indexes.get(value);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(value);
      this.indexes.set(value, index);
    }
    return index;
  }
}

export function encodeTranscript(digested: DigestedTranscript): EncodedTranscript {
  const table = new StringTable();
  const numbers: number[] = [digested.events.length];
  for (const event of digested.events) {
    const call = event.call;
    numbers.push(
      (call ? HAS_CALL : 0) | (call?.sidechain ? SIDECHAIN : 0),
      table.indexOf(event.sessionId),
      event.timestamp,
      table.indexOf(event.cwd),
      table.indexOf(event.promptKey),
      event.tools?.length ?? 0,
    );
    if (call) {
      numbers.push(table.indexOf(call.messageId), table.indexOf(call.requestId), table.indexOf(call.model));
      numbers.push(...call.tokens);
    }
    for (const tool of event.tools ?? []) {
      numbers.push(table.indexOf(tool.key), table.indexOf(tool.name), tool.edits.length);
      for (const edit of tool.edits) {
        numbers.push(table.indexOf(edit.path), edit.added, edit.deleted, EDIT_KINDS.indexOf(edit.kind));
      }
    }
  }
  return {
    cursor: digested.cursor,
    malformedLines: digested.malformedLines,
    numbers: Float64Array.from(numbers),
    strings: table.strings,
  };
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
