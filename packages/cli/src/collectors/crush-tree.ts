import type { SessionInput } from "@modu-arena/core";
import { applyFileEdits, readFileEdits } from "./edit-inputs";
import { addToolUse, createSessionTotals, type SessionTotals, toSessionInput, touchTime } from "./session-totals";
import { listColumns, type ReadOnlyDb } from "./sqlite-read";
import { parseTimeValue } from "./timestamps";

const TREE = `WITH RECURSIVE tree(id) AS (
  SELECT ? UNION SELECT s.id FROM sessions s JOIN tree t ON s.parent_session_id = t.id)`;

interface SessionRow {
  id: string;
  prompt: number | null;
  completion: number | null;
  created: number | null;
  updated: number | null;
}

interface MessageRow {
  session_id: string;
  role: string;
  parts: string | null;
  model: string | null;
  created: number | null;
  summary: number | null;
}

/** The summary of one session tree, and whether its time had to be taken from the database's mtime. */
export interface CrushTreeSummary {
  session: SessionInput;
  undated: boolean;
}

function countToolCalls(totals: SessionTotals, parts: string | null): void {
  if (!parts) return;
  let list: unknown;
  try {
    list = JSON.parse(parts);
  } catch {
    return;
  }
  if (!Array.isArray(list)) return;
  for (const part of list) {
    const { type, data } = (part ?? {}) as { type?: unknown; data?: { name?: unknown; input?: unknown } };
    if (type !== "tool_call" || typeof data?.name !== "string") continue;
    addToolUse(totals, data.name);
    let input: unknown = data.input;
    if (typeof input === "string") {
      try {
        input = JSON.parse(input);
      } catch {
        input = null;
      }
    }
    applyFileEdits(totals, readFileEdits(data.name, input));
  }
}

/**
 * One root session with its sub-agent sessions rolled in (§5.5.1: costs of children are already in the
 * root, so the tree is reported once, as the root). Tokens: Crush keeps only the last step's
 * prompt/completion counts per session, so the report is the sum over the tree of the largest values ever
 * seen — a lower bound of the real usage (prompt tokens include cache reads, which Crush does not split).
 */
export function summarizeCrushTree(
  db: ReadOnlyDb,
  root: string,
  peaks: Record<string, [number, number]>,
  projectId: string,
  fallbackMs: number,
): CrushTreeSummary | null {
  const sessions = db
    .prepare(
      `${TREE} SELECT s.id, s.prompt_tokens AS prompt, s.completion_tokens AS completion, s.created_at AS created, s.updated_at AS updated FROM sessions s JOIN tree ON tree.id = s.id`,
    )
    .all(root) as SessionRow[];
  if (sessions.length === 0) return null;
  const totals = createSessionTotals();
  totals.project = projectId;
  for (const session of sessions) {
    const known = peaks[session.id] ?? [0, 0];
    const peak: [number, number] = [
      Math.max(known[0], session.prompt ?? 0),
      Math.max(known[1], session.completion ?? 0),
    ];
    peaks[session.id] = peak;
    totals.tokens[0] += peak[0];
    totals.tokens[1] += peak[1];
    // Crush writes Unix seconds although its schema comments say milliseconds (§5.2): either is read.
    touchTime(totals, parseTimeValue(session.created));
    touchTime(totals, parseTimeValue(session.updated));
  }
  // Older Crush databases predate the summary flag.
  const summaryColumn = listColumns(db, "messages").has("is_summary_message") ? "m.is_summary_message" : "0";
  const messages = db
    .prepare(
      `${TREE} SELECT m.session_id, m.role, m.parts, m.model, m.created_at AS created, ${summaryColumn} AS summary FROM messages m JOIN tree ON tree.id = m.session_id`,
    )
    .all(root) as MessageRow[];
  for (const message of messages) {
    touchTime(totals, parseTimeValue(message.created));
    if (message.role === "user" && message.session_id === root && !message.summary) totals.turns += 1;
    if (message.role !== "assistant") continue;
    // A session can use several models: the dominant one is the one of the most replies.
    if (message.model) totals.models[message.model] = (totals.models[message.model] ?? 0) + 1;
    countToolCalls(totals, message.parts);
  }
  if (totals.tokens[0] + totals.tokens[1] === 0) return null;
  const undated = totals.end === null;
  if (undated) touchTime(totals, fallbackMs);
  const session = toSessionInput("crush", root, totals);
  return session && { session, undated };
}
