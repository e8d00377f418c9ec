import type { SessionInput, ToolType } from "@modu-arena/core";
// The zod-free entry: this file is also in the scan worker's bundle, which must not carry zod.
import { LIMITS } from "@modu-arena/core/limits";

/** input, output, cache creation, cache read — normalised as in TOOL-LOG-FORMATS.md §0.1. */
export type TokenTuple = [number, number, number, number];

/**
 * Running cumulative totals of one session, kept in the collector state (JSON) so that an incremental run
 * continues them. Holds numbers and hashes only.
 */
export interface SessionTotals {
  start: number | null;
  end: number | null;
  tokens: TokenTuple;
  /** The part of output tokens spent reasoning (absent in states written before it was kept). */
  reasoning?: number;
  /** Token total per model, for the dominant model. */
  models: Record<string, number>;
  project: string | null;
  turns: number;
  tools: Record<string, number>;
  added: number;
  deleted: number;
  /** Hashed file path -> 1 when the session created it, 0 when it only modified it. */
  files: Record<string, 0 | 1>;
}

export function createSessionTotals(): SessionTotals {
  return {
    start: null,
    end: null,
    tokens: [0, 0, 0, 0],
    reasoning: 0,
    models: {},
    project: null,
    turns: 0,
    tools: {},
    added: 0,
    deleted: 0,
    files: {},
  };
}

export function sumTokens(tokens: readonly number[]): number {
  return (tokens[0] ?? 0) + (tokens[1] ?? 0) + (tokens[2] ?? 0) + (tokens[3] ?? 0);
}

export function touchTime(totals: SessionTotals, timestamp: number): void {
  if (!Number.isFinite(timestamp)) return;
  if (totals.start === null || timestamp < totals.start) totals.start = timestamp;
  if (totals.end === null || timestamp > totals.end) totals.end = timestamp;
}

/** Adds `sign`·tokens (sign -1 removes a superseded version of a call). */
export function addTokens(totals: SessionTotals, tokens: readonly number[], model: string | null, sign = 1): void {
  for (let i = 0; i < 4; i++) totals.tokens[i] = Math.max(0, totals.tokens[i]! + sign * (tokens[i] ?? 0));
  if (model) {
    const next = (totals.models[model] ?? 0) + sign * sumTokens(tokens);
    if (next > 0) totals.models[model] = next;
    else delete totals.models[model];
  }
}

/** Adds `sign`·reasoning tokens (already inside the output tokens added with `addTokens`). */
export function addReasoning(totals: SessionTotals, reasoningTokens: number, sign = 1): void {
  totals.reasoning = Math.max(0, (totals.reasoning ?? 0) + sign * reasoningTokens);
}

export function addToolUse(totals: SessionTotals, name: string, count = 1): void {
  totals.tools[name] = (totals.tools[name] ?? 0) + count;
  if (totals.tools[name]! <= 0) delete totals.tools[name];
}

/** Records lines changed in one file; a file created in the session stays "created" when edited later. */
/** `fileKey`: the file's `hashFilePath`. */
export function addFileChange(
  totals: SessionTotals,
  fileKey: string,
  change: { added: number; deleted: number; created: boolean },
): void {
  totals.added += change.added;
  totals.deleted += change.deleted;
  totals.files[fileKey] = change.created || totals.files[fileKey] === 1 ? 1 : 0;
}

function pickDominantModel(models: Record<string, number>): string | undefined {
  let best: string | undefined;
  let bestTokens = -1;
  for (const [model, tokens] of Object.entries(models)) {
    if (tokens > bestTokens) [best, bestTokens] = [model, tokens];
  }
  return best?.trim().slice(0, LIMITS.maxModelNameLength) || undefined;
}

const TOOL_NAME_FORBIDDEN = /[^\p{L}\p{N}_.:\-/ ]/gu;
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** Tool names as the API accepts them: allowed characters only, ≤ 64 chars, the 200 most used. */
function sanitizeToolUsage(tools: Record<string, number>): Record<string, number> | undefined {
  const merged = new Map<string, number>();
  for (const [name, count] of Object.entries(tools)) {
    const clean = name.replace(TOOL_NAME_FORBIDDEN, "_").slice(0, 64).trim();
    if (clean === "" || RESERVED_NAMES.has(clean) || count <= 0) continue;
    merged.set(clean, (merged.get(clean) ?? 0) + count);
  }
  if (merged.size === 0) return undefined;
  const top = [...merged].sort((a, b) => b[1] - a[1]).slice(0, LIMITS.maxToolUsageEntries);
  return Object.fromEntries(top.map(([name, count]) => [name, Math.min(count, LIMITS.maxToolCount)]));
}

function clampCount(value: number, max: number): number {
  return Math.min(Math.max(0, Math.round(value)), max);
}

/** The API body of one session; null when it has no timestamp yet (the API requires `endedAt`). */
export function toSessionInput(tool: ToolType, sessionId: string, totals: SessionTotals): SessionInput | null {
  if (totals.end === null || totals.start === null) return null;
  const fileFlags = Object.values(totals.files);
  const created = fileFlags.filter((flag) => flag === 1).length;
  const tokenMax = LIMITS.maxTokensPerField;
  const session: SessionInput = {
    toolType: tool,
    sessionId,
    startedAt: new Date(totals.start).toISOString(),
    endedAt: new Date(totals.end).toISOString(),
    inputTokens: clampCount(totals.tokens[0], tokenMax),
    outputTokens: clampCount(totals.tokens[1], tokenMax),
    cacheCreationTokens: clampCount(totals.tokens[2], tokenMax),
    cacheReadTokens: clampCount(totals.tokens[3], tokenMax),
    durationSeconds: clampCount((totals.end - totals.start) / 1000, LIMITS.maxDurationSeconds),
    turnCount: clampCount(totals.turns, LIMITS.maxTurnCount),
    codeMetrics: {
      linesAdded: clampCount(totals.added, LIMITS.maxCodeLines),
      linesDeleted: clampCount(totals.deleted, LIMITS.maxCodeLines),
      filesModified: clampCount(fileFlags.length - created, LIMITS.maxFiles),
      filesCreated: clampCount(created, LIMITS.maxFiles),
    },
  };
  const reasoning = clampCount(totals.reasoning ?? 0, tokenMax);
  if (reasoning > 0) session.reasoningTokens = Math.min(reasoning, session.outputTokens);
  const model = pickDominantModel(totals.models);
  if (model) session.modelName = model;
  if (totals.project) session.anonymousProjectId = totals.project;
  const toolUsage = sanitizeToolUsage(totals.tools);
  if (toolUsage) session.toolUsage = toolUsage;
  return session;
}

/** Session ids the API accepts: printable ASCII without spaces, bounded length. */
export function isValidSessionId(id: unknown): id is string {
  return typeof id === "string" && id.length > 0 && id.length <= LIMITS.maxSessionIdLength && /^[\x21-\x7e]+$/.test(id);
}

/** API bodies of the touched sessions that have billed usage (a session of prompts only adds nothing). */
export function buildSessionInputs(
  tool: ToolType,
  sessions: Record<string, SessionTotals>,
  touched: Iterable<string>,
): SessionInput[] {
  const inputs: SessionInput[] = [];
  for (const sessionId of touched) {
    const totals = sessions[sessionId];
    if (!totals || sumTokens(totals.tokens) === 0 || !isValidSessionId(sessionId)) continue;
    const input = toSessionInput(tool, sessionId, totals);
    if (input) inputs.push(input);
  }
  return inputs;
}
