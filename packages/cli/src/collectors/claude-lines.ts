import { type FileEdit, readFileEdits } from "./edit-inputs";
import { asCount, asObject, type Json } from "./json-values";
import { isValidSessionId, type TokenTuple } from "./session-totals";
import { parseTimeValue } from "./timestamps";

/** §1.2: cache writes are the breakdown's sum when present (older CC wrote 0 beside a non-zero breakdown). */
export function normalizeClaudeUsage(usage: Json): TokenTuple {
  const breakdown = asObject(usage.cache_creation);
  const split = breakdown
    ? asCount(breakdown.ephemeral_5m_input_tokens) + asCount(breakdown.ephemeral_1h_input_tokens)
    : 0;
  const write = split > 0 ? split : asCount(usage.cache_creation_input_tokens);
  return [asCount(usage.input_tokens), asCount(usage.output_tokens), write, asCount(usage.cache_read_input_tokens)];
}

/** A tool call of an assistant line: its dedup key (`t:`), name and the file edits its input describes. */
export interface ToolUseEvent {
  key: string;
  name: string;
  edits: FileEdit[];
}

/** A billed call of an assistant line, before the merge (§1.5). */
export interface CallEvent {
  messageId: string;
  requestId: string | null;
  sidechain: boolean;
  model: string | null;
  tokens: TokenTuple;
}

/**
 * What one transcript line means, with no state involved: workers digest lines in parallel, then the main
 * thread applies the events file by file in the same order a single thread would (the merge is ordered).
 */
export interface ClaudeEvent {
  /** The line's own session id when valid (else the file's applies). */
  sessionId: string | null;
  timestamp: number;
  cwd: string | null;
  tools: ToolUseEvent[] | null;
  call: CallEvent | null;
  /** `u:<uuid>` when the line is a typed user prompt. */
  promptKey: string | null;
}

function digestToolUses(line: Json, message: Json): ToolUseEvent[] | null {
  if (!Array.isArray(message.content)) return null;
  const tools: ToolUseEvent[] = [];
  for (const block of message.content) {
    const item = asObject(block);
    if (item?.type !== "tool_use" || typeof item.name !== "string") continue;
    const key = `t:${typeof item.id === "string" ? item.id : `${String(line.uuid)}:${item.name}`}`;
    tools.push({ key, name: item.name, edits: readFileEdits(item.name, item.input) });
  }
  return tools.length > 0 ? tools : null;
}

function digestAssistant(line: Json, event: ClaudeEvent): void {
  const message = asObject(line.message);
  if (!message) return;
  const model = typeof message.model === "string" ? message.model : null;
  // §1.5.5: locally synthesized replies carry no billed usage.
  if (model === "<synthetic>" || line.isApiErrorMessage === true) return;
  event.tools = digestToolUses(line, message);
  const usage = asObject(message.usage);
  if (!usage) return;
  const requestId = typeof line.requestId === "string" && line.requestId !== "" ? line.requestId : null;
  const tokens = normalizeClaudeUsage(usage);
  event.call = {
    messageId:
      typeof message.id === "string" && message.id !== ""
        ? message.id
        : identifyAnonymousCall(line, event.sessionId, requestId, model, tokens),
    requestId,
    sidechain: line.isSidechain === true,
    model,
    tokens,
  };
}

/**
 * A call's identity when its reply has no `message.id`: its requestId, else what its streamed copies share
 * (each copy has its own uuid): session, time as written, model and counts.
 */
function identifyAnonymousCall(
  line: Json,
  sessionId: string | null,
  requestId: string | null,
  model: string | null,
  tokens: TokenTuple,
): string {
  if (requestId !== null) return `request:${requestId}`;
  return `anonymous:${sessionId}|${JSON.stringify(line.timestamp ?? null)}|${model}|${tokens.join(",")}`;
}

/** A typed prompt: not a tool result, not a meta/compaction line, not local command output. */
function isUserPrompt(line: Json): boolean {
  if (line.isSidechain === true || line.isMeta === true || line.isCompactSummary === true) return false;
  const message = asObject(line.message);
  const content = message?.content;
  if (typeof content === "string") return !content.startsWith("<local-command-stdout>");
  if (!Array.isArray(content)) return false;
  let hasText = false;
  for (const block of content) {
    const item = asObject(block);
    if (item?.type === "tool_result") return false;
    if (item?.type === "text") hasText = true;
  }
  return hasText;
}

/** The event of one parsed line; null for lines that count nothing (neither assistant nor user). */
export function digestClaudeLine(line: Json): ClaudeEvent | null {
  const type = line.type;
  if (type !== "assistant" && type !== "user") return null;
  const event: ClaudeEvent = {
    sessionId: isValidSessionId(line.sessionId) ? line.sessionId : null,
    timestamp: parseTimeValue(line.timestamp),
    cwd: typeof line.cwd === "string" && line.cwd !== "" ? line.cwd : null,
    tools: null,
    call: null,
    promptKey: null,
  };
  if (type === "assistant") digestAssistant(line, event);
  else if (typeof line.uuid === "string" && isUserPrompt(line)) event.promptKey = `u:${line.uuid}`;
  return event;
}
