/**
 * Readers of the three frequent rollout lines straight from their bytes, in the exact layout Codex writes
 * (serde, fixed field order). Each declines at the first byte that differs from that layout, and the line
 * is then parsed whole: these readers only ever agree with JSON.parse or decline.
 */
import { byteLiteral, literalAt, viewOf } from "./byte-literal";
import {
  EVENT_KIND_AT,
  FUNCTION_CALL_HEAD,
  RESPONSE_KIND_AT,
  TIMESTAMP_AT,
  TOKEN_COUNT_HEAD,
} from "./codex-line-filter";
import { isPatchTool } from "./edit-inputs";
import { parseTimestampBytes } from "./timestamps";

const USAGE_KEYS = [
  '"input_tokens":',
  ',"cached_input_tokens":',
  ',"output_tokens":',
  ',"reasoning_output_tokens":',
  ',"total_tokens":',
].map(byteLiteral);
const LAST_USAGE_KEY = byteLiteral('},"last_token_usage":{');
const CONTEXT_WINDOW_KEY = byteLiteral('},"model_context_window":');
const NULL = byteLiteral("null");
const RATE_LIMITS_KEY = byteLiteral('},"rate_limits":');
const BEGIN_PATCH = Buffer.from("*** Begin Patch");
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSING_BRACE = 0x7d;
const LETTER_L = 0x6c;
const ZERO = 0x30;
/** Beyond 15 digits a double may round differently from JSON.parse's: leave such numbers to it. */
const MAX_DIGITS = 15;

/** The line's timestamp when it is in the fixed form; NaN otherwise (then the line is parsed). */
export function readLineTimestamp(line: Uint8Array, start: number): number {
  return parseTimestampBytes(line, start + TIMESTAMP_AT);
}

/** True when the line closes its payload and itself (`}}`): a cut-off line goes to the parser, which rejects it. */
export function endsClosed(line: Uint8Array, end: number): boolean {
  return line[end - 1] === CLOSING_BRACE && line[end - 2] === CLOSING_BRACE;
}

let readEnd = 0;

/** A JSON integer without sign, fraction or exponent at `at`; -1 otherwise. Sets `readEnd`. */
function readCount(line: Uint8Array, at: number, end: number): number {
  let value = 0;
  let i = at;
  const stop = Math.min(end, at + MAX_DIGITS + 1);
  for (; i < stop; i++) {
    const digit = line[i]! - ZERO;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  const digits = i - at;
  if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && line[at] === ZERO)) return -1;
  readEnd = i;
  return value;
}

/**
 * The four counters of a `TokenUsage` body at `at` into `into[offset…]` (total_tokens is checked, not kept);
 * false when laid out otherwise. Sets `readEnd` to its closing brace.
 */
function readUsage(line: Buffer, view: DataView, at: number, end: number, into: Float64Array, offset: number) {
  let position = at;
  for (let key = 0; key < USAGE_KEYS.length; key++) {
    const literal = USAGE_KEYS[key]!;
    if (!literalAt(view, position, end, literal)) return false;
    const value = readCount(line, position + literal.bytes.length, end);
    if (value === -1) return false;
    if (key < 4) into[offset + key] = value;
    position = readEnd;
  }
  readEnd = position;
  return line[position] === CLOSING_BRACE;
}

/**
 * `info.total_token_usage` then `info.last_token_usage` of a token_count line into `into[0…8)`; false when
 * laid out otherwise.
 */
export function readTokenCountCounters(line: Buffer, start: number, end: number, into: Float64Array): boolean {
  if (!endsClosed(line, end)) return false;
  const view = viewOf(line);
  const totalAt = start + EVENT_KIND_AT + TOKEN_COUNT_HEAD.bytes.length;
  if (!readUsage(line, view, totalAt, end, into, 0)) return false;
  if (!literalAt(view, readEnd, end, LAST_USAGE_KEY)) return false;
  if (!readUsage(line, view, readEnd + LAST_USAGE_KEY.bytes.length, end, into, 4)) return false;
  return namesNoModel(line, view, readEnd, end);
}

/**
 * True when the token_count names no model of its own (which would come before a turn_context's): `info`
 * ends with `model_context_window` and `rate_limits` follows it, and the payload's last value is an
 * object or null, not a string. O(1): the bytes between are not searched (a `"model"` string between
 * `rate_limits` and a last object value is the one layout read differently from the parser).
 */
function namesNoModel(line: Buffer, view: DataView, at: number, end: number): boolean {
  if (!literalAt(view, at, end, CONTEXT_WINDOW_KEY)) return false;
  const valueAt = at + CONTEXT_WINDOW_KEY.bytes.length;
  let valueEnd = valueAt + NULL.bytes.length;
  if (!literalAt(view, valueAt, end, NULL)) {
    if (readCount(line, valueAt, end) === -1) return false;
    valueEnd = readEnd;
  }
  if (!literalAt(view, valueEnd, end, RATE_LIMITS_KEY)) return false;
  const last = line[end - 3];
  return last === CLOSING_BRACE || (last === LETTER_L && literalAt(view, end - 6, end, NULL));
}

/**
 * The name of a function_call line whose arguments hold no patch; null when the call may edit files or is
 * laid out otherwise (then it is parsed and its edits counted).
 */
export function readPlainCallName(line: Buffer, start: number, end: number): string | null {
  if (!endsClosed(line, end)) return null;
  const nameAt = start + RESPONSE_KIND_AT + FUNCTION_CALL_HEAD.bytes.length;
  let nameEnd = nameAt;
  for (; nameEnd < end; nameEnd++) {
    const byte = line[nameEnd]!;
    if (byte === QUOTE) break;
    if (byte === BACKSLASH || byte < 0x20) return null;
  }
  if (nameEnd === nameAt || nameEnd === end) return null;
  if (line.subarray(nameEnd, end).indexOf(BEGIN_PATCH) !== -1) return null;
  const name = internName(line, nameAt, nameEnd);
  return isPatchTool(name) ? null : name;
}

/** Tool names seen so far, as bytes: a rollout names a handful of tools thousands of times. */
const knownNames: { bytes: Buffer; name: string }[] = [];
const MAX_KNOWN_NAMES = 64;

function internName(line: Buffer, at: number, end: number): string {
  const length = end - at;
  for (const known of knownNames) {
    if (known.bytes.length !== length) continue;
    let same = true;
    for (let i = 0; i < length && same; i++) same = known.bytes[i] === line[at + i];
    if (same) return known.name;
  }
  const name = line.toString("utf8", at, end);
  if (knownNames.length < MAX_KNOWN_NAMES) knownNames.push({ bytes: Buffer.from(line.subarray(at, end)), name });
  return name;
}
