/**
 * Byte-level pre-filter of rollout lines: most rollout bytes are message, reasoning and tool-output items
 * that carry nothing we need, and a JSON.parse of each would cost more than the rest of the scan.
 */

const bytes = (text: string) => Buffer.from(text);
const NEEDLES = ['"token_count"', '"session_meta"', '"turn_context"', '"user_message"', '_call"'].map(bytes);
const HEAD_BYTES = 160;
const RESPONSE_ITEM = bytes('"type":"response_item"');
const EVENT_MSG = bytes('"type":"event_msg"');
const PAYLOAD_TYPE = bytes('"payload":{"type":"');
const TOOL_CALL_KINDS = ['"type":"function_call"', '"type":"custom_tool_call"', '"type":"local_shell_call"'].map(bytes);
const EVENT_KINDS = ['"type":"token_count"', '"type":"user_message"'].map(bytes);

function includesAny(buffer: Buffer, needles: Buffer[]): boolean {
  for (const needle of needles) if (buffer.indexOf(needle) !== -1) return true;
  return false;
}

/** The general rule: the head decides for Codex's own layout, anything else is searched whole. */
export function isWorthParsingByNeedles(line: Buffer): boolean {
  const head = line.subarray(0, HEAD_BYTES);
  if (head.indexOf(PAYLOAD_TYPE) !== -1) {
    if (head.indexOf(RESPONSE_ITEM) !== -1) return includesAny(head, TOOL_CALL_KINDS);
    if (head.indexOf(EVENT_MSG) !== -1) return includesAny(head, EVENT_KINDS);
  }
  return includesAny(line, NEEDLES);
}

const TIMESTAMP_PREFIX = bytes('{"timestamp":"');
const TYPE_KEY = bytes('","type":"');
const PAYLOAD_TYPE_KEY = bytes('","payload":{"type":"');
const LINE_TYPES: [Buffer, Buffer[]][] = [
  [bytes("response_item"), ["function_call", "custom_tool_call", "local_shell_call"].map(bytes)],
  [bytes("event_msg"), ["token_count", "user_message"].map(bytes)],
];

function matchesAt(line: Buffer, at: number, literal: Buffer): boolean {
  if (at + literal.length > line.length) return false;
  for (let i = 0; i < literal.length; i++) if (line[at + i] !== literal[i]) return false;
  return true;
}

/** The end (closing quote) of a plain string value starting at `from`, within `limit` bytes; -1 otherwise. */
function findValueEnd(line: Buffer, from: number, limit: number): number {
  const end = Math.min(line.length, from + limit);
  for (let i = from; i < end; i++) {
    const byte = line[i];
    if (byte === 0x22) return i;
    if (byte === 0x5c) return -1;
  }
  return -1;
}

const valueIs = (line: Buffer, start: number, end: number, literal: Buffer) =>
  end - start === literal.length && matchesAt(line, start, literal);

/**
 * Codex writes `{"timestamp":"…","type":"…","payload":{"type":"…"`: for the two frequent line types the
 * payload's own type decides, read in place byte by byte (native `indexOf` calls cost more on lines this
 * short). Undefined when the line is not laid out that way.
 */
function decideByLayout(line: Buffer): boolean | undefined {
  if (!matchesAt(line, 0, TIMESTAMP_PREFIX)) return undefined;
  const timestampEnd = findValueEnd(line, TIMESTAMP_PREFIX.length, 48);
  if (timestampEnd === -1 || !matchesAt(line, timestampEnd, TYPE_KEY)) return undefined;
  const typeStart = timestampEnd + TYPE_KEY.length;
  const typeEnd = findValueEnd(line, typeStart, 24);
  if (typeEnd === -1) return undefined;
  for (const [type, kinds] of LINE_TYPES) {
    if (!valueIs(line, typeStart, typeEnd, type)) continue;
    if (!matchesAt(line, typeEnd, PAYLOAD_TYPE_KEY)) return undefined;
    const kindStart = typeEnd + PAYLOAD_TYPE_KEY.length;
    const kindEnd = findValueEnd(line, kindStart, 40);
    if (kindEnd === -1) return undefined;
    for (const kind of kinds) if (valueIs(line, kindStart, kindEnd, kind)) return true;
    return false;
  }
  return undefined;
}

/** True when the line may carry what the collector reads (token counts, meta, context, prompts, tool calls). */
export function isRolloutLineWorthParsing(line: Buffer): boolean {
  return decideByLayout(line) ?? isWorthParsingByNeedles(line);
}
