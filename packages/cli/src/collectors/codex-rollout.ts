import { applyFileEdits, readFileEdits, readPatchEdits } from "./edit-inputs";
import { hashProjectPath } from "./project-id";
import {
  addTokens,
  addToolUse,
  createSessionTotals,
  isValidSessionId,
  type SessionTotals,
  type TokenTuple,
  touchTime,
} from "./session-totals";
import { parseTimestamp } from "./timestamps";

/** Codex `TokenUsage`: input (incl. cached), cached input, output (incl. reasoning), reasoning. */
export type CodexCounters = [number, number, number, number];

/** Everything needed to continue one rollout file incrementally (JSON in the collector state). */
export interface RolloutProgress {
  sessionId: string | null;
  createdAt: number | null;
  /** Fork/subagent rollouts replay the parent's history stamped within their creation second. */
  forked: boolean;
  metaCount: number;
  model: string | null;
  /** Last accepted cumulative `total_token_usage`. */
  total: CodexCounters | null;
  /** Last `last_token_usage` (only used when a rollout has no totals). */
  last: CodexCounters | null;
  totals: SessionTotals;
}

export interface AcceptedCall {
  timestamp: number;
  model: string | null;
  tokens: TokenTuple;
}

type Json = Record<string, unknown>;

export function createRolloutProgress(): RolloutProgress {
  return {
    sessionId: null,
    createdAt: null,
    forked: false,
    metaCount: 0,
    model: null,
    total: null,
    last: null,
    totals: createSessionTotals(),
  };
}

function asObject(value: unknown): Json | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
}

function asCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Scratch of one token_count: `total_token_usage` at [0, 4), `last_token_usage` at [4, 8). */
const TOTAL_AT = 0;
const LAST_AT = 4;

function readCountersInto(value: unknown, counters: Float64Array, at: number): boolean {
  const usage = asObject(value);
  if (!usage) return false;
  counters[at] = asCount(usage.input_tokens);
  counters[at + 1] = asCount(usage.cached_input_tokens);
  counters[at + 2] = asCount(usage.output_tokens);
  counters[at + 3] = asCount(usage.reasoning_output_tokens);
  return true;
}

function isSubagentMeta(payload: Json): boolean {
  const source = asObject(payload.source);
  if (source && "subagent" in source) return true;
  return payload.thread_source === "subagent" || payload.thread_source === "guardian_review";
}

function handleSessionMeta(progress: RolloutProgress, payload: Json, timestamp: number, salt: string): void {
  progress.metaCount += 1;
  // A second session_meta is the parent's: the lines after it replay the parent's history.
  if (progress.metaCount > 1) {
    progress.forked = true;
    return;
  }
  if (isValidSessionId(payload.id)) progress.sessionId = payload.id;
  const created = typeof payload.timestamp === "string" ? Date.parse(payload.timestamp) : timestamp;
  progress.createdAt = Number.isFinite(created) ? created : timestamp;
  if (typeof payload.forked_from_id === "string" || isSubagentMeta(payload)) progress.forked = true;
  if (typeof payload.cwd === "string" && payload.cwd !== "")
    progress.totals.project = hashProjectPath(payload.cwd, salt);
}

/** True while a forked rollout replays its parent (all replayed rows carry the child's creation second). */
function isReplay(progress: RolloutProgress, timestamp: number): boolean {
  if (!progress.forked || progress.createdAt === null) return false;
  return timestamp < Math.floor(progress.createdAt / 1000) * 1000 + 1000;
}

function sameCounters(saved: CodexCounters, counters: Float64Array, at: number): boolean {
  return (
    saved[0] === counters[at] &&
    saved[1] === counters[at + 1] &&
    saved[2] === counters[at + 2] &&
    saved[3] === counters[at + 3]
  );
}

function anyBelow(counters: Float64Array, at: number, saved: CodexCounters): boolean {
  for (let i = 0; i < 4; i++) if (counters[at + i]! < saved[i]!) return true;
  return false;
}

/** The counters at `at` kept in `saved` (updated in place: no array per event) or a new array. */
function keep(saved: CodexCounters | null, counters: Float64Array, at: number): CodexCounters {
  if (!saved) return [counters[at]!, counters[at + 1]!, counters[at + 2]!, counters[at + 3]!];
  for (let i = 0; i < 4; i++) saved[i] = counters[at + i]!;
  return saved;
}

const delta = new Float64Array(4);

function setDelta(counters: Float64Array, at: number, minus: CodexCounters | null): true {
  for (let i = 0; i < 4; i++) delta[i] = Math.max(0, counters[at + i]! - (minus ? minus[i]! : 0));
  return true;
}

/**
 * §2.5.1: the billed delta of one token_count event into `delta`; false when nothing was billed. Totals
 * that did not advance are re-emissions; a total that went backwards (reset, compaction) falls back to
 * `last_token_usage`.
 */
function measureDelta(progress: RolloutProgress, counters: Float64Array, hasTotal: boolean, hasLast: boolean) {
  if (!hasTotal) {
    if (!hasLast || (progress.last && sameCounters(progress.last, counters, LAST_AT))) return false;
    progress.last = keep(progress.last, counters, LAST_AT);
    return setDelta(counters, LAST_AT, null);
  }
  const previous = progress.total;
  let billed: boolean;
  if (!previous) billed = setDelta(counters, TOTAL_AT, null);
  else if (sameCounters(previous, counters, TOTAL_AT)) billed = false;
  else if (anyBelow(counters, TOTAL_AT, previous)) billed = hasLast && setDelta(counters, LAST_AT, null);
  else billed = setDelta(counters, TOTAL_AT, previous);
  progress.total = keep(previous, counters, TOTAL_AT);
  progress.last = hasLast ? keep(progress.last, counters, LAST_AT) : null;
  return billed;
}

const tokens: TokenTuple = [0, 0, 0, 0];

/**
 * §2.5.1–2: one token_count's counters (`counters`, with which of the two are present). Its billed call
 * goes to `calls` when records are wanted.
 */
function applyTokenUsage(
  progress: RolloutProgress,
  timestamp: number,
  usage: { counters: Float64Array; hasTotal: boolean; hasLast: boolean; lineModel: string | null },
  calls: AcceptedCall[] | null,
): void {
  const { counters, hasTotal, hasLast } = usage;
  if (isReplay(progress, timestamp)) {
    // The parent's cumulative total at fork time becomes this rollout's baseline.
    if (hasTotal) progress.total = keep(progress.total, counters, TOTAL_AT);
    if (hasLast) progress.last = keep(progress.last, counters, LAST_AT);
    return;
  }
  if (!measureDelta(progress, counters, hasTotal, hasLast)) return;
  if (delta[0] === 0 && delta[1] === 0 && delta[2] === 0 && delta[3] === 0) return;
  const model = progress.model ?? usage.lineModel;
  // Codex input includes cached input and output includes reasoning: normalised to §0.1.
  const input = delta[0]!;
  const cached = delta[1]!;
  const output = delta[2]!;
  tokens[0] = Math.max(0, input - cached);
  tokens[1] = output;
  tokens[2] = 0;
  tokens[3] = Math.min(cached, input);
  addTokens(progress.totals, tokens, model);
  calls?.push({ timestamp, model, tokens: [tokens[0], tokens[1], tokens[2], tokens[3]] });
}

const parsedCounters = new Float64Array(8);

function handleTokenCount(progress: RolloutProgress, payload: Json, timestamp: number, calls: AcceptedCall[] | null) {
  const info = asObject(payload.info);
  if (!info) return;
  const lineModel =
    typeof info.model === "string" ? info.model : typeof payload.model === "string" ? payload.model : null;
  const hasTotal = readCountersInto(info.total_token_usage, parsedCounters, TOTAL_AT);
  const hasLast = readCountersInto(info.last_token_usage, parsedCounters, LAST_AT);
  applyTokenUsage(progress, timestamp, { counters: parsedCounters, hasTotal, hasLast, lineModel }, calls);
}

function readToolEdits(name: string, payload: Json) {
  if (typeof payload.input === "string") return readFileEdits(name, payload.input);
  const raw = typeof payload.arguments === "string" ? payload.arguments : "";
  if (!raw.includes("*** Begin Patch")) return [];
  try {
    const args = asObject(JSON.parse(raw));
    if (args && typeof args.input === "string") return readPatchEdits(args.input);
    const command = args?.cmd ?? args?.command;
    return readPatchEdits(Array.isArray(command) ? command.join("\n") : String(command ?? ""));
  } catch {
    return [];
  }
}

function handleResponseItem(progress: RolloutProgress, payload: Json): void {
  const kind = payload.type;
  if (kind !== "function_call" && kind !== "custom_tool_call" && kind !== "local_shell_call") return;
  const name = typeof payload.name === "string" ? payload.name : kind === "local_shell_call" ? "local_shell" : null;
  if (!name) return;
  addToolUse(progress.totals, name);
  applyFileEdits(progress.totals, readToolEdits(name, payload));
}

/** Takes a line's time (other than session_meta's); true while the line is a fork's replay of its parent. */
function enterLine(progress: RolloutProgress, timestamp: number): boolean {
  const replay = isReplay(progress, timestamp);
  if (!replay) touchTime(progress.totals, timestamp);
  return replay;
}

/*
 * The three frequent lines, read in place from bytes (codex-line-bytes.ts): the same effect as
 * `handleRolloutLine` on the parsed line. The caller leaves a line to the parser whenever it could differ
 * (a token_count before any turn_context names the model; a call whose input may hold a patch).
 */

/** `counters`: `total_token_usage` at [0, 4), `last_token_usage` at [4, 8), as `readTokenCountCounters` fills them. */
export function applyTokenCountLine(
  progress: RolloutProgress,
  timestamp: number,
  counters: Float64Array,
  calls: AcceptedCall[] | null,
): void {
  enterLine(progress, timestamp);
  applyTokenUsage(progress, timestamp, { counters, hasTotal: true, hasLast: true, lineModel: null }, calls);
}

export function applyUserMessageLine(progress: RolloutProgress, timestamp: number): void {
  if (!enterLine(progress, timestamp)) progress.totals.turns += 1;
}

/** A call without file edits (the caller checked). */
export function applyToolCallLine(progress: RolloutProgress, timestamp: number, name: string): void {
  if (!enterLine(progress, timestamp)) addToolUse(progress.totals, name);
}

/** Applies one parsed rollout line; the billed call it accepts goes to `calls` when records are wanted. */
export function handleRolloutLine(progress: RolloutProgress, line: Json, salt: string, calls: AcceptedCall[] | null) {
  const payload = asObject(line.payload);
  if (!payload) return;
  const timestamp = typeof line.timestamp === "string" ? parseTimestamp(line.timestamp) : Number.NaN;
  if (line.type === "session_meta") {
    handleSessionMeta(progress, payload, timestamp, salt);
    touchTime(progress.totals, progress.createdAt ?? timestamp);
    return;
  }
  const replay = enterLine(progress, timestamp);
  if (line.type === "turn_context") {
    if (typeof payload.model === "string" && payload.model !== "") progress.model = payload.model;
    if (progress.totals.project === null && typeof payload.cwd === "string") {
      progress.totals.project = hashProjectPath(payload.cwd, salt);
    }
    return;
  }
  if (line.type === "event_msg") {
    if (payload.type === "token_count") handleTokenCount(progress, payload, timestamp, calls);
    else if (payload.type === "user_message" && !replay) progress.totals.turns += 1;
    return;
  }
  if (line.type === "response_item" && !replay) handleResponseItem(progress, payload);
}
