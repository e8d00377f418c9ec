import { type CallBook, getSessionTotals, mergeCall } from "./claude-calls";
import { applyFileEdits, readFileEdits } from "./edit-inputs";
import { hashProjectPath } from "./project-id";
import { addToolUse, isValidSessionId, type TokenTuple, touchTime } from "./session-totals";

export interface ClaudeBook extends CallBook {
  /** tool_use ids (`t:`) and user-prompt line uuids (`u:`) already counted. */
  seen: Record<string, 1>;
}

/** Per-file context of the line handler. */
export interface LineContext {
  book: ClaudeBook;
  /** Session id implied by the file path (main transcript stem or `<sid>/subagents/`), if any. */
  fileSessionId: string | null;
  /** False under roots owned by another collector: calls are only remembered, never counted. */
  counted: boolean;
  salt: string;
  touched: Set<string>;
  /** message.ids whose copies changed (their records are re-emitted). */
  changedCalls: Set<string>;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
}

function asCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** §1.2: cache writes are the breakdown's sum when present (older CC wrote 0 beside a non-zero breakdown). */
export function normalizeClaudeUsage(usage: Json): TokenTuple {
  const breakdown = asObject(usage.cache_creation);
  const split = breakdown
    ? asCount(breakdown.ephemeral_5m_input_tokens) + asCount(breakdown.ephemeral_1h_input_tokens)
    : 0;
  const write = split > 0 ? split : asCount(usage.cache_creation_input_tokens);
  return [asCount(usage.input_tokens), asCount(usage.output_tokens), write, asCount(usage.cache_read_input_tokens)];
}

function resolveSessionId(line: Json, context: LineContext): string | null {
  if (isValidSessionId(line.sessionId)) return line.sessionId;
  return context.fileSessionId;
}

function countToolUses(line: Json, message: Json, sessionId: string, context: LineContext): void {
  if (!Array.isArray(message.content)) return;
  for (const block of message.content) {
    const item = asObject(block);
    if (item?.type !== "tool_use" || typeof item.name !== "string") continue;
    const key = `t:${typeof item.id === "string" ? item.id : `${String(line.uuid)}:${item.name}`}`;
    if (context.book.seen[key]) continue;
    context.book.seen[key] = 1;
    if (!context.counted) continue;
    const totals = getSessionTotals(context.book, sessionId);
    addToolUse(totals, item.name);
    applyFileEdits(totals, readFileEdits(item.name, item.input));
    context.touched.add(sessionId);
  }
}

function handleAssistant(line: Json, sessionId: string, timestamp: number, context: LineContext): void {
  const message = asObject(line.message);
  if (!message) return;
  const model = typeof message.model === "string" ? message.model : null;
  // §1.5.5: locally synthesized replies carry no billed usage.
  if (model === "<synthetic>" || line.isApiErrorMessage === true) return;
  countToolUses(line, message, sessionId, context);
  const usage = asObject(message.usage);
  if (!usage) return;
  const messageId =
    typeof message.id === "string" ? message.id : typeof line.uuid === "string" ? `line:${line.uuid}` : null;
  if (!messageId) return;
  const changed = mergeCall(
    context.book,
    {
      messageId,
      requestId: typeof line.requestId === "string" && line.requestId !== "" ? line.requestId : null,
      sessionId,
      sidechain: line.isSidechain === true,
      counted: context.counted,
      timestamp,
      model,
      tokens: normalizeClaudeUsage(usage),
    },
    context.touched,
  );
  if (changed) context.changedCalls.add(messageId);
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

/** Applies one parsed transcript line. */
export function handleClaudeLine(line: Json, context: LineContext): void {
  const type = line.type;
  if (type !== "assistant" && type !== "user") return;
  const sessionId = resolveSessionId(line, context);
  if (!sessionId) return;
  const timestamp = typeof line.timestamp === "string" ? Date.parse(line.timestamp) : Number.NaN;
  if (context.counted) {
    const totals = getSessionTotals(context.book, sessionId);
    touchTime(totals, timestamp);
    context.touched.add(sessionId);
    if (totals.project === null && typeof line.cwd === "string" && line.cwd !== "") {
      totals.project = hashProjectPath(line.cwd, context.salt);
    }
  }
  if (type === "assistant") {
    handleAssistant(line, sessionId, timestamp, context);
    return;
  }
  if (!isUserPrompt(line) || typeof line.uuid !== "string") return;
  const key = `u:${line.uuid}`;
  if (context.book.seen[key]) return;
  context.book.seen[key] = 1;
  if (!context.counted) return;
  getSessionTotals(context.book, sessionId).turns += 1;
  context.touched.add(sessionId);
}
