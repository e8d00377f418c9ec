import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../context";

export interface RecentSession {
  id: string;
  toolType: string;
  modelName: string | null;
  startedAt: string | null;
  endedAt: string;
  durationSeconds: number | null;
  turnCount: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  linesAdded: number;
  linesDeleted: number;
}

interface Row {
  id: string;
  tool: string;
  model: string | null;
  started_at: string | Date | null;
  ended_at: string | Date;
  duration: number | null;
  turns: number | null;
  input: number;
  output: number;
  cache_creation: number;
  cache_read: number;
  added: number | null;
  deleted: number | null;
}

/**
 * The user's latest sessions, newest first (a backward scan of the (user_id, ended_at) index); `before`
 * continues after a session already shown (keyset paging, stable while new sessions arrive).
 */
export async function getRecentSessions(
  ctx: AppContext,
  userId: string,
  limit = 20,
  before?: { endedAt: string; id: string },
): Promise<RecentSession[]> {
  const rows = await queryRows<Row>(
    ctx.db,
    sql`SELECT id, tool_type_id AS tool, model_name AS model, started_at, ended_at, duration_seconds AS duration,
          turn_count AS turns, input_tokens::float8 AS input, output_tokens::float8 AS output,
          cache_creation_tokens::float8 AS cache_creation, cache_read_tokens::float8 AS cache_read,
          (code_metrics ->> 'linesAdded')::float8 AS added, (code_metrics ->> 'linesDeleted')::float8 AS deleted
        FROM sessions WHERE user_id = ${userId}
          ${before ? sql`AND (ended_at, id) < (${before.endedAt}::timestamptz, ${before.id}::uuid)` : sql``}
        ORDER BY ended_at DESC, id DESC
        LIMIT ${Math.max(1, Math.min(limit, 101))}`,
  );
  return rows.map((row) => ({
    id: row.id,
    toolType: row.tool,
    modelName: row.model,
    startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
    endedAt: new Date(row.ended_at).toISOString(),
    durationSeconds: row.duration,
    turnCount: row.turns,
    inputTokens: Number(row.input),
    outputTokens: Number(row.output),
    cacheCreationTokens: Number(row.cache_creation),
    cacheReadTokens: Number(row.cache_read),
    linesAdded: Number(row.added ?? 0),
    linesDeleted: Number(row.deleted ?? 0),
  }));
}
