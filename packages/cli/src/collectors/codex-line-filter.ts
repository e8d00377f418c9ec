/**
 * Byte-level pre-filter of rollout lines: most rollout bytes are message, reasoning and tool-output items
 * that carry nothing we need, and a JSON.parse of each would cost more than the rest of the scan. Lines in
 * Codex's own layout are also told apart by kind, so that the three frequent kinds can be read in place.
 */

import { type ByteLiteral, byteLiteral, isPlainRun, literalAt, viewOf } from "./byte-literal";

const bytes = (text: string) => Buffer.from(text);
const NEEDLES = ['"token_count"', '"session_meta"', '"turn_context"', '"user_message"', '"UserMessage"', '_call"'].map(
  bytes,
);
const HEAD_BYTES = 160;
const RESPONSE_ITEM = bytes('"type":"response_item"');
const EVENT_MSG = bytes('"type":"event_msg"');
const PAYLOAD_TYPE = bytes('"payload":{"type":"');
const TOOL_CALL_KINDS = ['"type":"function_call"', '"type":"custom_tool_call"', '"type":"local_shell_call"'].map(bytes);
const EVENT_KINDS = ['"type":"token_count"', '"type":"user_message"'].map(bytes);

/**
 * Codex 0.171 writes each prompt as `item_completed` of a `UserMessage` item (no `user_message` event); the
 * item's kind follows the thread and turn ids, well within this many bytes of the line's start.
 */
const ITEM_HEAD_BYTES = 400;
const ITEM_COMPLETED = bytes('"type":"item_completed"');
const USER_MESSAGE_ITEM = bytes('"item":{"type":"UserMessage"');

/** An `item_completed` line is worth parsing only for a prompt (the other items are replies and tool runs). */
function isPromptItem(line: Uint8Array): boolean {
  const head = Buffer.from(line.buffer, line.byteOffset, Math.min(line.length, ITEM_HEAD_BYTES));
  return head.indexOf(USER_MESSAGE_ITEM) !== -1;
}

function includesAny(buffer: Buffer, needles: Buffer[]): boolean {
  for (const needle of needles) if (buffer.indexOf(needle) !== -1) return true;
  return false;
}

/** The general rule: the head decides for Codex's own layout, anything else is searched whole. */
export function isWorthParsingByNeedles(line: Buffer): boolean {
  const head = line.subarray(0, HEAD_BYTES);
  if (head.indexOf(PAYLOAD_TYPE) !== -1) {
    if (head.indexOf(RESPONSE_ITEM) !== -1) return includesAny(head, TOOL_CALL_KINDS);
    if (head.indexOf(EVENT_MSG) !== -1) {
      return includesAny(head, EVENT_KINDS) || (head.indexOf(ITEM_COMPLETED) !== -1 && isPromptItem(line));
    }
  }
  return includesAny(line, NEEDLES);
}

/** What to do with one line. */
export const RolloutLineKind = {
  skip: 0,
  /** Parse it whole (JSON.parse) and apply it. */
  parse: 1,
  /** `token_count` whose `info` starts with `total_token_usage`: readable in place. */
  tokenCount: 2,
  userMessage: 3,
  /** `function_call` whose `name` comes first: readable in place. */
  functionCall: 4,
} as const;
export type RolloutLineKind = (typeof RolloutLineKind)[keyof typeof RolloutLineKind];

/**
 * Offsets in `{"timestamp":"2026-03-23T09:01:02.812Z","type":"…","payload":{"type":"…"`, the layout
 * Codex (serde, fixed field order) writes every line in.
 */
export const TIMESTAMP_AT = 14;
const TIMESTAMP_END = TIMESTAMP_AT + 24;
const TYPE_AT = TIMESTAMP_END + 10;
const TIMESTAMP_PREFIX = byteLiteral('{"timestamp":"');
const TYPE_KEY = byteLiteral('","type":"');
const EVENT_MSG_HEAD = byteLiteral('event_msg","payload":{"type":"');
const RESPONSE_ITEM_HEAD = byteLiteral('response_item","payload":{"type":"');
/** Rare lines that are always parsed. */
const SESSION_META_HEAD = byteLiteral('session_meta","payload":{');
const TURN_CONTEXT_HEAD = byteLiteral('turn_context","payload":{');
/** Where the payload's kind starts in an event and in a response item. */
export const EVENT_KIND_AT = TYPE_AT + EVENT_MSG_HEAD.bytes.length;
export const RESPONSE_KIND_AT = TYPE_AT + RESPONSE_ITEM_HEAD.bytes.length;
/** A kind and what follows it when the line can be read in place. */
export const TOKEN_COUNT_HEAD = byteLiteral('token_count","info":{"total_token_usage":{');
export const FUNCTION_CALL_HEAD = byteLiteral('function_call","name":"');
const TOKEN_COUNT = byteLiteral('token_count"');
const USER_MESSAGE = byteLiteral('user_message"');
const ITEM_COMPLETED_KIND = byteLiteral('item_completed"');
const FUNCTION_CALL = byteLiteral('function_call"');
const PARSED_RESPONSE_KINDS = ['custom_tool_call"', 'local_shell_call"'].map(byteLiteral);
/** The kinds that fill most of a rollout, recognised without looking for the end of the value. */
const SKIPPED_RESPONSE_KINDS = ['function_call_output"', 'reasoning"', 'message"'].map(byteLiteral);
const SKIPPED_EVENT_KINDS = ['agent_message"', 'agent_reasoning"'].map(byteLiteral);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const E = 0x65;
const R = 0x72;
const S = 0x73;
const T = 0x74;

/** The closing quote of a plain (escape-free) string value starting at `from`, within `limit` bytes; -1 otherwise. */
function findValueEnd(line: Uint8Array, from: number, end: number, limit: number): number {
  const stop = Math.min(end, from + limit);
  for (let i = from; i < stop; i++) {
    const byte = line[i];
    if (byte === QUOTE) return i;
    if (byte === BACKSLASH) return -1;
  }
  return -1;
}

function isAnyOf(view: DataView, at: number, end: number, literals: ByteLiteral[]): boolean {
  for (const literal of literals) if (literalAt(view, at, end, literal)) return true;
  return false;
}

/** Any other kind is skipped when it is a plain string value (else the general rule decides). */
function skipPlainKind(line: Uint8Array, kindAt: number, end: number): RolloutLineKind | undefined {
  return findValueEnd(line, kindAt, end, 40) === -1 ? undefined : RolloutLineKind.skip;
}

function classifyEvent(line: Uint8Array, view: DataView, kindAt: number, end: number): RolloutLineKind | undefined {
  if (literalAt(view, kindAt, end, TOKEN_COUNT_HEAD)) return RolloutLineKind.tokenCount;
  if (literalAt(view, kindAt, end, TOKEN_COUNT)) return RolloutLineKind.parse;
  if (literalAt(view, kindAt, end, USER_MESSAGE)) return RolloutLineKind.userMessage;
  if (literalAt(view, kindAt, end, ITEM_COMPLETED_KIND)) {
    return isPromptItem(line.subarray(kindAt, end)) ? RolloutLineKind.parse : RolloutLineKind.skip;
  }
  if (isAnyOf(view, kindAt, end, SKIPPED_EVENT_KINDS)) return RolloutLineKind.skip;
  return skipPlainKind(line, kindAt, end);
}

function classifyResponseItem(
  line: Uint8Array,
  view: DataView,
  kindAt: number,
  end: number,
): RolloutLineKind | undefined {
  if (isAnyOf(view, kindAt, end, SKIPPED_RESPONSE_KINDS)) return RolloutLineKind.skip;
  if (literalAt(view, kindAt, end, FUNCTION_CALL_HEAD)) return RolloutLineKind.functionCall;
  if (literalAt(view, kindAt, end, FUNCTION_CALL)) return RolloutLineKind.parse;
  if (isAnyOf(view, kindAt, end, PARSED_RESPONSE_KINDS)) return RolloutLineKind.parse;
  return skipPlainKind(line, kindAt, end);
}

/**
 * Decides `line[start, end)` in place when it is in Codex's layout (the two frequent line types by their
 * payload's kind); undefined otherwise.
 */
function classifyByLayout(line: Uint8Array, start: number, end: number): RolloutLineKind | undefined {
  const view = viewOf(line);
  if (!literalAt(view, start, end, TIMESTAMP_PREFIX) || !literalAt(view, start + TIMESTAMP_END, end, TYPE_KEY)) {
    return undefined;
  }
  if (!isPlainRun(view, start + TIMESTAMP_AT, TIMESTAMP_END - TIMESTAMP_AT)) return undefined;
  const typeAt = start + TYPE_AT;
  const first = line[typeAt];
  if (first === E && literalAt(view, typeAt, end, EVENT_MSG_HEAD)) {
    return classifyEvent(line, view, start + EVENT_KIND_AT, end);
  }
  if (first === R && literalAt(view, typeAt, end, RESPONSE_ITEM_HEAD)) {
    return classifyResponseItem(line, view, start + RESPONSE_KIND_AT, end);
  }
  if (first === T && literalAt(view, typeAt, end, TURN_CONTEXT_HEAD)) return RolloutLineKind.parse;
  if (first === S && literalAt(view, typeAt, end, SESSION_META_HEAD)) return RolloutLineKind.parse;
  return undefined;
}

/** What to do with the line `chunk[start, end)`: skip it, parse it, or read it in place. */
export function classifyRolloutLine(chunk: Buffer, start: number, end: number): RolloutLineKind {
  const byLayout = classifyByLayout(chunk, start, end);
  if (byLayout !== undefined) return byLayout;
  return isWorthParsingByNeedles(chunk.subarray(start, end)) ? RolloutLineKind.parse : RolloutLineKind.skip;
}

/** True when the line may carry what the collector reads (token counts, meta, context, prompts, tool calls). */
export function isRolloutLineWorthParsing(line: Buffer): boolean {
  return classifyRolloutLine(line, 0, line.length) !== RolloutLineKind.skip;
}
