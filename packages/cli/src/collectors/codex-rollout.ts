import { applyFileEdits, readFileEdits, readPatchEdits } from "./edit-inputs";
import { hashProjectPath } from "./project-id";
import {
  addReasoning,
  addTokens,
  addToolUse,
  createSessionTotals,
  isValidSessionId,
  type SessionTotals,
  type TokenTuple,
  touchTime,
} from "./session-totals";
import { parseTimeValue } from "./timestamps";

/** Codex `TokenUsage`: input (incl. cached), cached input, output (incl. reasoning), reasoning. */
export type CodexCounters = [number, number, number, number];

/** Everything needed to continue one rollout file incrementally (JSON in the collector state). */
export interface RolloutProgress {
  sessionId: string | null;
  createdAt: number | null;
  /**
   * A fork or subagent (they start with a replay of the parent's history) whose replay may still go on:
   * false again once a replay matched by content is over.
   */
  forked: boolean;
  /** The thread this one was forked or spawned from (`forked_from_id`, a subagent's parent thread). */
  parentId: string | null;
  /**
   * While the rollout replays its parent, matched by content: how many of the parent's distinct totals
   * its leading totals matched so far. Null when not matching (no parent to match, or past the replay).
   */
  replayed: number | null;
  /**
   * Prompts, tool calls and times met while the replay is matched by content and not yet over: the
   * parent's when the next total is the parent's too, the rollout's own when it is not.
   */
  pending: SessionTotals | null;
  /** The last usable time of a line: an undated call takes it. */
  lastTime: number | null;
  /**
   * Which lines count prompts in this rollout: `user_message` events (Codex before 0.171) or
   * `item_completed` UserMessage items (0.171). The first met decides, so a version writing both counts once.
   */
  promptSource?: PromptSource;
  metaCount: number;
  model: string | null;
  /** Last accepted cumulative `total_token_usage`. */
  total: CodexCounters | null;
  /** Last `last_token_usage` (only used when a rollout has no totals). */
  last: CodexCounters | null;
  totals: SessionTotals;
}

type PromptSource = "event" | "item";

export interface AcceptedCall {
  timestamp: number;
  model: string | null;
  tokens: TokenTuple;
  /** The part of output tokens spent reasoning. */
  reasoning: number;
  /** True when the line had no usable time and the call took the previous line's (or the file's). */
  undated?: true;
}

/** What one read of a rollout needs beside its progress, and what it tallies. */
export interface RolloutContext {
  salt: string;
  /** The billed calls accepted. */
  calls: AcceptedCall[];
  /** The file's mtime: the time of an undated call when no earlier line had one. */
  fileTimeMs: number;
  /**
   * The parent's distinct cumulative totals in order, when the parent rollout is there: the replay is
   * then told by content. Without them, rows stamped within the creation second are the replay.
   */
  parentTotals: CodexCounters[] | null;
  /** When set, every distinct total met is appended (to serve as a parent's totals). */
  totalsLog: CodexCounters[] | null;
  /**
   * Stop at the session_meta that names a parent (`ParentNamed` is thrown): the caller reads the rollout
   * again, with the parent's totals when its rollout is there.
   */
  stopAtParent: boolean;
}

/** Thrown when a read with `stopAtParent` meets the parent's id. */
export class ParentNamed extends Error {
  constructor(readonly parentId: string) {
    super(`forked from ${parentId}`);
  }
}

export function createRolloutContext(salt: string, fileTimeMs: number): RolloutContext {
  return { salt, calls: [], fileTimeMs, parentTotals: null, totalsLog: null, stopAtParent: false };
}

type Json = Record<string, unknown>;

export function createRolloutProgress(): RolloutProgress {
  return {
    sessionId: null,
    createdAt: null,
    forked: false,
    parentId: null,
    replayed: null,
    pending: null,
    lastTime: null,
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

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** `forked_from_id`, else a spawned subagent's `source.subagent.thread_spawn.parent_thread_id`. */
function readParentId(payload: Json): string | null {
  const spawn = asObject(asObject(asObject(payload.source)?.subagent)?.thread_spawn);
  return nonEmptyString(payload.forked_from_id) ?? nonEmptyString(spawn?.parent_thread_id);
}

/** Starts matching the replay by content when the parent's totals are known and nothing was counted yet. */
function startContentReplay(progress: RolloutProgress, context: RolloutContext): void {
  if (!context.parentTotals || context.parentTotals.length === 0) return;
  if (progress.replayed !== null || progress.total !== null || progress.last !== null) return;
  progress.replayed = 0;
  progress.pending = createSessionTotals();
}

function handleSessionMeta(progress: RolloutProgress, payload: Json, timestamp: number, context: RolloutContext) {
  progress.metaCount += 1;
  // A second session_meta is the parent's: the lines after it replay the parent's history.
  if (progress.metaCount > 1) {
    progress.forked = true;
    const replayedId = nonEmptyString(payload.id);
    if (replayedId !== progress.sessionId) progress.parentId ??= replayedId;
    startContentReplay(progress, context);
    return;
  }
  if (isValidSessionId(payload.id)) progress.sessionId = payload.id;
  const created = parseTimeValue(payload.timestamp);
  progress.createdAt = !Number.isNaN(created) ? created : !Number.isNaN(timestamp) ? timestamp : null;
  progress.parentId = readParentId(payload);
  if (progress.parentId !== null || isSubagentMeta(payload)) {
    progress.forked = true;
    startContentReplay(progress, context);
  }
  if (typeof payload.cwd === "string" && payload.cwd !== "")
    progress.totals.project = hashProjectPath(payload.cwd, context.salt);
}

/**
 * Without the parent's totals: true while a forked rollout replays its parent, told by time (rows stamped
 * within the creation second).
 */
function isWindowReplay(progress: RolloutProgress, timestamp: number, context: RolloutContext): boolean {
  if (!progress.forked || progress.createdAt === null || context.parentTotals !== null) return false;
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

/** Adds `from` into `into`: tokens, models, prompts, tool calls, code changes and the time span. */
export function addSessionTotals(into: SessionTotals, from: SessionTotals): void {
  addTokens(into, from.tokens, null);
  addReasoning(into, from.reasoning ?? 0);
  for (const [model, count] of Object.entries(from.models)) into.models[model] = (into.models[model] ?? 0) + count;
  into.project ??= from.project;
  into.turns += from.turns;
  for (const [name, count] of Object.entries(from.tools)) addToolUse(into, name, count);
  into.added += from.added;
  into.deleted += from.deleted;
  for (const [file, created] of Object.entries(from.files))
    into.files[file] = created || into.files[file] === 1 ? 1 : 0;
  if (from.start !== null) touchTime(into, from.start);
  if (from.end !== null) touchTime(into, from.end);
}

/** The replay is over: what was held back since its last row is the rollout's own. */
function endContentReplay(progress: RolloutProgress): void {
  if (progress.pending) addSessionTotals(progress.totals, progress.pending);
  progress.pending = null;
  progress.replayed = null;
  // Past the replay: the creation-second rule must not apply to later rows.
  progress.forked = false;
}

/**
 * Before reading on: a rollout left mid-replay whose parent's totals are gone now cannot be matched any
 * further, so what was held back is its own.
 */
export function settleReplay(progress: RolloutProgress, context: RolloutContext): void {
  if (progress.replayed !== null && !context.parentTotals) endContentReplay(progress);
}

/**
 * While the replay is matched by content: true when this row is still the parent's (a repeat of the last
 * matched total or the parent's next one), which only moves the baseline; ends the replay otherwise.
 */
function continuesReplay(progress: RolloutProgress, usage: TokenUsageLine, parentTotals: CodexCounters[]): boolean {
  const { counters, hasTotal, hasLast } = usage;
  const at = progress.replayed ?? 0;
  if (hasTotal) {
    const repeated = progress.total !== null && sameCounters(progress.total, counters, TOTAL_AT);
    const next = !repeated && at < parentTotals.length && sameCounters(parentTotals[at]!, counters, TOTAL_AT);
    if (repeated || next) {
      progress.total = keep(progress.total, counters, TOTAL_AT);
      progress.last = hasLast ? keep(progress.last, counters, LAST_AT) : null;
      // The prompts and calls since the previous replayed row were the parent's as well.
      progress.pending = createSessionTotals();
      if (next) progress.replayed = at + 1;
      if (progress.replayed === parentTotals.length) endContentReplay(progress);
      return true;
    }
  }
  endContentReplay(progress);
  return false;
}

function logTotal(log: CodexCounters[], counters: Float64Array): void {
  const previous = log[log.length - 1];
  if (!previous || !sameCounters(previous, counters, TOTAL_AT)) log.push(keep(null, counters, TOTAL_AT));
}

const tokens: TokenTuple = [0, 0, 0, 0];

/** One token_count's counters, which of the two are present, and the model the line names itself. */
interface TokenUsageLine {
  counters: Float64Array;
  hasTotal: boolean;
  hasLast: boolean;
  lineModel: string | null;
}

/** §2.5.1–2: one token_count; its billed call goes to `context.calls`. */
function applyTokenUsage(progress: RolloutProgress, timestamp: number, usage: TokenUsageLine, context: RolloutContext) {
  const { counters, hasTotal, hasLast } = usage;
  if (context.totalsLog && hasTotal) logTotal(context.totalsLog, counters);
  if (progress.replayed !== null && context.parentTotals) {
    if (continuesReplay(progress, usage, context.parentTotals)) return;
  } else if (isWindowReplay(progress, timestamp, context)) {
    // The parent's cumulative total at fork time becomes this rollout's baseline.
    if (hasTotal) progress.total = keep(progress.total, counters, TOTAL_AT);
    if (hasLast) progress.last = keep(progress.last, counters, LAST_AT);
    return;
  }
  if (!measureDelta(progress, counters, hasTotal, hasLast)) return;
  if (delta[0] === 0 && delta[1] === 0 && delta[2] === 0 && delta[3] === 0) return;
  let time = timestamp;
  const undated = Number.isNaN(time);
  if (undated) {
    time = progress.lastTime ?? context.fileTimeMs;
    touchTime(progress.totals, time);
  }
  // The line's own model first: a turn_context's may be stale or absent.
  const model = usage.lineModel ?? progress.model;
  // Codex input includes cached input and output includes reasoning: normalised to §0.1.
  const input = delta[0]!;
  const cached = delta[1]!;
  const output = delta[2]!;
  const reasoning = Math.min(delta[3]!, output);
  tokens[0] = Math.max(0, input - cached);
  tokens[1] = output;
  tokens[2] = 0;
  tokens[3] = Math.min(cached, input);
  addTokens(progress.totals, tokens, model);
  addReasoning(progress.totals, reasoning);
  const call: AcceptedCall = {
    timestamp: time,
    model,
    tokens: [tokens[0], tokens[1], tokens[2], tokens[3]],
    reasoning,
  };
  if (undated) call.undated = true;
  context.calls.push(call);
}

const parsedCounters = new Float64Array(8);

/** `line`: the whole record, whose own `model` is the last place a writer may name the model. */
function handleTokenCount(
  progress: RolloutProgress,
  line: Json,
  payload: Json,
  timestamp: number,
  context: RolloutContext,
) {
  const info = asObject(payload.info);
  if (!info) return;
  const lineModel = nonEmptyString(info.model) ?? nonEmptyString(payload.model) ?? nonEmptyString(line.model);
  const hasTotal = readCountersInto(info.total_token_usage, parsedCounters, TOTAL_AT);
  const hasLast = readCountersInto(info.last_token_usage, parsedCounters, LAST_AT);
  applyTokenUsage(progress, timestamp, { counters: parsedCounters, hasTotal, hasLast, lineModel }, context);
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

function handleResponseItem(target: SessionTotals, payload: Json): void {
  const kind = payload.type;
  if (kind !== "function_call" && kind !== "custom_tool_call" && kind !== "local_shell_call") return;
  const name = typeof payload.name === "string" ? payload.name : kind === "local_shell_call" ? "local_shell" : null;
  if (!name) return;
  addToolUse(target, name);
  applyFileEdits(target, readToolEdits(name, payload));
}

/**
 * Takes a line's time (other than session_meta's). Returns where the line's prompts and calls count: the
 * session's totals, the held-back ones while a replay matched by content is not over, or null while the
 * line belongs to a replay told by time.
 */
function enterLine(progress: RolloutProgress, timestamp: number, context: RolloutContext): SessionTotals | null {
  if (timestamp > 0) progress.lastTime = timestamp;
  if (isWindowReplay(progress, timestamp, context)) return null;
  const target = progress.pending ?? progress.totals;
  touchTime(target, timestamp);
  return target;
}

/*
 * The three frequent lines, read in place from bytes (codex-line-bytes.ts): the same effect as
 * `handleRolloutLine` on the parsed line. The caller leaves a line to the parser whenever it could differ
 * (a token_count that may name its own model; a call whose input may hold a patch; a time not in the
 * fixed form).
 */

/** `counters`: `total_token_usage` at [0, 4), `last_token_usage` at [4, 8), as `readTokenCountCounters` fills them. */
export function applyTokenCountLine(
  progress: RolloutProgress,
  timestamp: number,
  counters: Float64Array,
  context: RolloutContext,
): void {
  enterLine(progress, timestamp, context);
  applyTokenUsage(progress, timestamp, { counters, hasTotal: true, hasLast: true, lineModel: null }, context);
}

function countPrompt(progress: RolloutProgress, target: SessionTotals | null, source: PromptSource): void {
  if (!target) return;
  progress.promptSource ??= source;
  if (progress.promptSource === source) target.turns += 1;
}

export function applyUserMessageLine(progress: RolloutProgress, timestamp: number, context: RolloutContext): void {
  countPrompt(progress, enterLine(progress, timestamp, context), "event");
}

/** A call without file edits (the caller checked). */
export function applyToolCallLine(progress: RolloutProgress, timestamp: number, name: string, context: RolloutContext) {
  const target = enterLine(progress, timestamp, context);
  if (target) addToolUse(target, name);
}

/** Applies one parsed rollout line; the billed call it accepts goes to `context.calls`. */
export function handleRolloutLine(progress: RolloutProgress, line: Json, context: RolloutContext): void {
  const payload = asObject(line.payload);
  if (!payload) return;
  const timestamp = parseTimeValue(line.timestamp);
  if (line.type === "session_meta") {
    if (timestamp > 0) progress.lastTime = timestamp;
    handleSessionMeta(progress, payload, timestamp, context);
    touchTime(progress.totals, progress.createdAt ?? timestamp);
    if (context.stopAtParent && progress.parentId !== null) throw new ParentNamed(progress.parentId);
    return;
  }
  const target = enterLine(progress, timestamp, context);
  if (line.type === "turn_context") {
    const model = nonEmptyString(payload.model);
    if (model !== null) progress.model = model;
    if (progress.totals.project === null && typeof payload.cwd === "string") {
      progress.totals.project = hashProjectPath(payload.cwd, context.salt);
    }
    return;
  }
  if (line.type === "event_msg") {
    if (payload.type === "token_count") handleTokenCount(progress, line, payload, timestamp, context);
    else if (payload.type === "user_message") countPrompt(progress, target, "event");
    else if (payload.type === "item_completed" && asObject(payload.item)?.type === "UserMessage") {
      countPrompt(progress, target, "item");
    }
    return;
  }
  if (line.type === "response_item" && target) handleResponseItem(target, payload);
}
