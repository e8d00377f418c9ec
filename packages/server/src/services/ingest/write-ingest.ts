import type { PreparedQuery } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { RequestOrigin } from "../../context";
import { aggregateWriteCtes, DELTA_COLUMNS } from "./aggregate-writes";
import { RECORD_COLUMNS, sessionColumns } from "./ingest-sql";
import type { ExistingSession, WritePlan } from "./plan-ingest";

export async function selectExistingSessions(
  query: PreparedQuery,
  userId: string,
  keys: Array<{ tool: string; hash: string }>,
): Promise<ExistingSession[]> {
  if (keys.length === 0) return [];
  return query<ExistingSession>(
    "modu_ingest_lock_existing_v2",
    sql`SELECT s.id, s.tool_type_id AS "toolType", s.session_hash AS "sessionHash",
          s.input_tokens::float8 AS "inputTokens", s.output_tokens::float8 AS "outputTokens",
          s.cache_creation_tokens::float8 AS "cacheCreationTokens", s.cache_read_tokens::float8 AS "cacheReadTokens",
          s.reasoning_tokens::float8 AS "reasoningTokens"
        FROM sessions s
        JOIN jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(tool text, hash text)
          ON s.tool_type_id = k.tool AND s.session_hash = k.hash
        WHERE s.user_id = ${userId}
        ORDER BY s.id
        FOR UPDATE OF s`,
  );
}

/**
 * Inserts the sessions not seen before in one statement and gives each its id. Keys that already exist
 * (or were created by a concurrent request, which the unique index makes us wait for) are returned.
 */
export async function insertNewSessions(
  query: PreparedQuery,
  userId: string,
  plans: WritePlan[],
  now: Date,
): Promise<WritePlan[]> {
  if (plans.length === 0) return [];
  const rows = await query<{ id: string; tool: string; hash: string }>(
    "modu_ingest_insert_locked_v2",
    sql`INSERT INTO sessions (user_id, tool_type_id, session_hash, anonymous_project_id, started_at, ended_at,
          duration_seconds, model_name, turn_count, tool_usage, code_metrics,
          input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, reasoning_tokens, created_at, updated_at)
        SELECT ${userId}, x.tool, x.hash, x.project, x.started_at, x.ended_at, x.duration, x.model, x.turns,
          x.tool_usage, x.code_metrics, x.input, x.output, x.cache_creation, x.cache_read, x.reasoning, ${now}, ${now}
        FROM jsonb_to_recordset(${JSON.stringify(plans.map(sessionColumns))}::jsonb) AS x(${RECORD_COLUMNS})
        ON CONFLICT (user_id, tool_type_id, session_hash) DO NOTHING
        RETURNING id, tool_type_id AS tool, session_hash AS hash`,
  );
  const ids = new Map(rows.map((row) => [`${row.tool}\u0000${row.hash}`, row.id]));
  const existing: WritePlan[] = [];
  for (const plan of plans) {
    plan.id = ids.get(`${plan.session.toolType}\u0000${plan.session.sessionId}`);
    if (!plan.id) existing.push(plan);
  }
  return existing;
}

/** Applies larger cumulative totals and the latest details to resumed sessions. */
export async function updateSessions(
  query: PreparedQuery,
  plans: Array<WritePlan & { id: string }>,
  now: Date,
): Promise<void> {
  if (plans.length === 0) return;
  const rows = plans.map((plan) => ({ id: plan.id, ...sessionColumns(plan) }));
  await query(
    "modu_ingest_grow_v2",
    sql`UPDATE sessions s SET
          input_tokens = x.input, output_tokens = x.output,
          cache_creation_tokens = x.cache_creation, cache_read_tokens = x.cache_read, reasoning_tokens = x.reasoning,
          started_at = coalesce(least(s.started_at, x.started_at), s.started_at, x.started_at),
          ended_at = greatest(s.ended_at, x.ended_at),
          duration_seconds = coalesce(x.duration, s.duration_seconds),
          model_name = coalesce(x.model, s.model_name),
          turn_count = coalesce(x.turns, s.turn_count),
          tool_usage = coalesce(x.tool_usage, s.tool_usage),
          code_metrics = coalesce(x.code_metrics, s.code_metrics),
          anonymous_project_id = coalesce(x.project, s.anonymous_project_id),
          updated_at = ${now}
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id uuid, ${RECORD_COLUMNS})
        WHERE s.id = x.id`,
  );
}

/**
 * The aggregates of the known-session path (sessions grown, or created again after a deletion), in one
 * statement with the same definition as the new-session statement; `duplicates` counts the items that
 * changed nothing.
 */
export async function applyAggregates(
  query: PreparedQuery,
  userId: string,
  writes: Array<WritePlan & { id: string }>,
  duplicates: number,
  origin: RequestOrigin,
  source: "single" | "batch",
  now: Date,
): Promise<void> {
  const deltas = writes.map(deltaRow);
  await query(
    "modu_ingest_apply_aggregates_v3",
    sql`WITH deltas AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(deltas)}::jsonb) AS x(${DELTA_COLUMNS})
        ), ${aggregateWriteCtes({ userId, origin, source, now, duplicates: sql`${duplicates}` })}
        SELECT 1`,
  );
}

/** One row of the `deltas` CTE: what a created or grown session adds. */
function deltaRow(write: WritePlan & { id: string }) {
  const { session, totals, delta } = write;
  return {
    session_id: write.id,
    tool: session.toolType,
    model: session.modelName ?? null,
    ended_at: session.endedAt,
    created: write.kind === "create" ? 1 : 0,
    input: delta.inputTokens,
    output: delta.outputTokens,
    cache_creation: delta.cacheCreationTokens,
    cache_read: delta.cacheReadTokens,
    reasoning: delta.reasoningTokens,
    session_tokens: totals.inputTokens + totals.outputTokens,
  };
}
