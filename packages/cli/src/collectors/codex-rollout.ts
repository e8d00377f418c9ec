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

function readCounters(value: unknown): CodexCounters | null {
  const usage = asObject(value);
  if (!usage) return null;
  return [
    asCount(usage.input_tokens),
    asCount(usage.cached_input_tokens),
    asCount(usage.output_tokens),
    asCount(usage.reasoning_output_tokens),
  ];
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

function subtract(after: CodexCounters, before: CodexCounters): CodexCounters {
  return [0, 1, 2, 3].map((i) => Math.max(0, after[i]! - before[i]!)) as CodexCounters;
}

/**
 * §2.5.1: the billed delta of one token_count event. Totals that did not advance are re-emissions; a total
 * that went backwards (reset, compaction) falls back to `last_token_usage`.
 */
function measureDelta(progress: RolloutProgress, info: Json): CodexCounters | null {
  const total = readCounters(info.total_token_usage);
  const last = readCounters(info.last_token_usage);
  if (!total) {
    if (!last || (progress.last && last.every((value, i) => value === progress.last![i]))) return null;
    progress.last = last;
    return last;
  }
  const previous = progress.total;
  progress.total = total;
  progress.last = last;
  if (!previous) return total;
  if (total.every((value, i) => value === previous[i])) return null;
  if (total.some((value, i) => value < previous[i]!)) return last;
  return subtract(total, previous);
}

/** Codex input includes cached input and output includes reasoning: normalise to §0.1. */
function normalizeCodex(delta: CodexCounters): TokenTuple {
  const [input, cached, output] = delta;
  return [Math.max(0, input - cached), output, 0, Math.min(cached, input)];
}

function handleTokenCount(progress: RolloutProgress, payload: Json, timestamp: number): AcceptedCall | null {
  const info = asObject(payload.info);
  if (!info) return null;
  if (isReplay(progress, timestamp)) {
    // The parent's cumulative total at fork time becomes this rollout's baseline.
    progress.total = readCounters(info.total_token_usage) ?? progress.total;
    progress.last = readCounters(info.last_token_usage) ?? progress.last;
    return null;
  }
  const delta = measureDelta(progress, info);
  if (!delta || delta.every((value) => value === 0)) return null;
  const model =
    progress.model ??
    (typeof info.model === "string" ? info.model : typeof payload.model === "string" ? payload.model : null);
  const tokens = normalizeCodex(delta);
  addTokens(progress.totals, tokens, model);
  return { timestamp, model, tokens };
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

/** Applies one parsed rollout line; returns the billed call it accepted, if any. */
export function handleRolloutLine(progress: RolloutProgress, line: Json, salt: string): AcceptedCall | null {
  const payload = asObject(line.payload);
  if (!payload) return null;
  const timestamp = typeof line.timestamp === "string" ? parseTimestamp(line.timestamp) : Number.NaN;
  if (line.type === "session_meta") {
    handleSessionMeta(progress, payload, timestamp, salt);
    touchTime(progress.totals, progress.createdAt ?? timestamp);
    return null;
  }
  const replay = isReplay(progress, timestamp);
  if (!replay) touchTime(progress.totals, timestamp);
  if (line.type === "turn_context") {
    if (typeof payload.model === "string" && payload.model !== "") progress.model = payload.model;
    if (progress.totals.project === null && typeof payload.cwd === "string") {
      progress.totals.project = hashProjectPath(payload.cwd, salt);
    }
    return null;
  }
  if (line.type === "event_msg") {
    if (payload.type === "token_count") return handleTokenCount(progress, payload, timestamp);
    if (payload.type === "user_message" && !replay) progress.totals.turns += 1;
    return null;
  }
  if (line.type === "response_item" && !replay) handleResponseItem(progress, payload);
  return null;
}
