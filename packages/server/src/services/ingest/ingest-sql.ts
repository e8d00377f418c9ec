import { sql } from "drizzle-orm";
import type { WritePlan } from "./plan-ingest";

/** The `ON CONFLICT` of a daily_user_stats insert (aliased `d`): adds the new amounts to the day's row. */
export const ADD_TO_EXISTING_DAY = sql.raw(`ON CONFLICT (user_id, stat_date) DO UPDATE SET
  input_tokens = d.input_tokens + excluded.input_tokens,
  output_tokens = d.output_tokens + excluded.output_tokens,
  cache_creation_tokens = d.cache_creation_tokens + excluded.cache_creation_tokens,
  cache_read_tokens = d.cache_read_tokens + excluded.cache_read_tokens,
  reasoning_tokens = d.reasoning_tokens + excluded.reasoning_tokens,
  cache_tokens = d.cache_tokens + excluded.cache_tokens,
  total_tokens = d.total_tokens + excluded.total_tokens,
  session_count = d.session_count + excluded.session_count,
  by_tool = modu_jsonb_sum_nested(d.by_tool, excluded.by_tool),
  by_model = modu_jsonb_sum(d.by_model, excluded.by_model)`);

/** A session as one row of the JSON record set the ingest statements read with `jsonb_to_recordset`. */
export function sessionColumns(plan: WritePlan) {
  const { session, totals } = plan;
  return {
    tool: session.toolType,
    hash: session.sessionId,
    project: session.anonymousProjectId ?? null,
    started_at: session.startedAt ?? null,
    ended_at: session.endedAt,
    duration: session.durationSeconds ?? null,
    model: session.modelName ?? null,
    turns: session.turnCount ?? null,
    tool_usage: session.toolUsage ?? null,
    code_metrics: session.codeMetrics ?? null,
    input: totals.inputTokens,
    output: totals.outputTokens,
    cache_creation: totals.cacheCreationTokens,
    cache_read: totals.cacheReadTokens,
    reasoning: totals.reasoningTokens,
  };
}

export const RECORD_COLUMNS = sql.raw(`tool text, hash text, project text, started_at timestamptz, ended_at timestamptz,
  duration int, model text, turns int, tool_usage jsonb, code_metrics jsonb,
  input bigint, output bigint, cache_creation bigint, cache_read bigint, reasoning bigint`);
