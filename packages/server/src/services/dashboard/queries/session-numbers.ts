import { sql } from "drizzle-orm";

/** The measurements of one stored session, as the dashboard table and the data takeout show them. */
export interface SessionNumbers {
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
  /** Part of outputTokens. */
  reasoningTokens: number;
  linesAdded: number;
  linesDeleted: number;
}

/** What `SESSION_NUMBER_COLUMNS` selects from `sessions`. */
export interface SessionNumberRow {
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
  reasoning: number;
  added: number | null;
  deleted: number | null;
}

/** The select list for `SessionNumberRow`, to put after `SELECT` in a query on `sessions`. */
export const SESSION_NUMBER_COLUMNS = sql`tool_type_id AS tool, model_name AS model, started_at, ended_at,
  duration_seconds AS duration, turn_count AS turns, input_tokens::float8 AS input, output_tokens::float8 AS output,
  cache_creation_tokens::float8 AS cache_creation, cache_read_tokens::float8 AS cache_read,
  reasoning_tokens::float8 AS reasoning, (code_metrics ->> 'linesAdded')::float8 AS added, (code_metrics ->> 'linesDeleted')::float8 AS deleted`;

export function toSessionNumbers(row: SessionNumberRow): SessionNumbers {
  return {
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
    reasoningTokens: Number(row.reasoning),
    linesAdded: Number(row.added ?? 0),
    linesDeleted: Number(row.deleted ?? 0),
  };
}
