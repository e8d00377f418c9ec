import type { PreparedQuery } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { RequestOrigin } from "../../context";
import { aggregateDeltas } from "./aggregate-deltas";
import {
  ADD_TO_EXISTING_DAY,
  ANOMALY_FACTOR,
  MIN_SESSIONS_FOR_ANOMALY,
  RECORD_COLUMNS,
  sessionColumns,
} from "./ingest-sql";
import type { ExistingSession, WritePlan } from "./plan-ingest";

export async function selectExistingSessions(
  query: PreparedQuery,
  userId: string,
  keys: Array<{ tool: string; hash: string }>,
): Promise<ExistingSession[]> {
  if (keys.length === 0) return [];
  return query<ExistingSession>(
    "modu_ingest_lock_existing_v1",
    sql`SELECT s.id, s.tool_type_id AS "toolType", s.session_hash AS "sessionHash",
          s.input_tokens::float8 AS "inputTokens", s.output_tokens::float8 AS "outputTokens",
          s.cache_creation_tokens::float8 AS "cacheCreationTokens", s.cache_read_tokens::float8 AS "cacheReadTokens"
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
    "modu_ingest_insert_locked_v1",
    sql`INSERT INTO sessions (user_id, tool_type_id, session_hash, anonymous_project_id, started_at, ended_at,
          duration_seconds, model_name, turn_count, tool_usage, code_metrics,
          input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, created_at, updated_at)
        SELECT ${userId}, x.tool, x.hash, x.project, x.started_at, x.ended_at, x.duration, x.model, x.turns,
          x.tool_usage, x.code_metrics, x.input, x.output, x.cache_creation, x.cache_read, ${now}, ${now}
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
    "modu_ingest_grow_v1",
    sql`UPDATE sessions s SET
          input_tokens = x.input, output_tokens = x.output,
          cache_creation_tokens = x.cache_creation, cache_read_tokens = x.cache_read,
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

export interface AuditRow {
  event_type: string;
  details: Record<string, unknown>;
}

/** One statement: the token ledger, the per-day rows, the audit rows and the user's running totals. */
export async function applyAggregates(
  query: PreparedQuery,
  userId: string,
  writes: Array<WritePlan & { id: string }>,
  audit: AuditRow[],
  origin: RequestOrigin,
  now: Date,
): Promise<void> {
  const { usage, days, user } = aggregateDeltas(writes);
  const candidates = writes.map((write) => ({
    session_id: write.id,
    tokens: write.session.inputTokens + write.session.outputTokens,
  }));
  await query(
    "modu_ingest_apply_aggregates_v1",
    sql`WITH usage AS (
          INSERT INTO token_usage (session_id, user_id, tool_type_id, model_name, input_tokens, output_tokens,
            cache_creation_tokens, cache_read_tokens, recorded_at)
          SELECT x.session_id, ${userId}, x.tool, x.model, x.input, x.output, x.cache_creation, x.cache_read, x.recorded_at
          FROM jsonb_to_recordset(${JSON.stringify(usage)}::jsonb) AS x(session_id uuid, tool text, model text,
            input bigint, output bigint, cache_creation bigint, cache_read bigint, recorded_at timestamptz)
        ), daily AS (
          INSERT INTO daily_user_stats AS d (user_id, stat_date, input_tokens, output_tokens, cache_creation_tokens,
            cache_read_tokens, cache_tokens, total_tokens, session_count, by_tool, by_model)
          SELECT ${userId}, x.day, x.input, x.output, x.cache_creation, x.cache_read, x.cache_creation + x.cache_read,
            x.input + x.output, x.sessions, x.by_tool, x.by_model
          FROM jsonb_to_recordset(${JSON.stringify(days)}::jsonb) AS x(day date, input bigint, output bigint,
            cache_creation bigint, cache_read bigint, sessions int, by_tool jsonb, by_model jsonb)
          ${ADD_TO_EXISTING_DAY}
        ), audit AS (
          INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details, created_at)
          SELECT ${userId}, x.event_type, ${origin.ipAddress ?? null}, ${origin.userAgent?.slice(0, 512) ?? null},
            x.details, ${now}
          FROM jsonb_to_recordset(${JSON.stringify(audit)}::jsonb) AS x(event_type text, details jsonb)
        ), anomalies AS (
          -- Compared with the totals before this statement: a session over 10x the user's average.
          INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details, created_at)
          SELECT ${userId}, 'suspicious_activity', ${origin.ipAddress ?? null}, ${origin.userAgent?.slice(0, 512) ?? null},
            jsonb_build_object('reason', 'session_over_10x_average', 'sessionId', x.session_id, 'tokens', x.tokens,
              'averageTokens', round((u.total_input_tokens + u.total_output_tokens)::numeric / u.total_sessions)),
            ${now}
          FROM jsonb_to_recordset(${JSON.stringify(candidates)}::jsonb) AS x(session_id uuid, tokens bigint)
          JOIN user_stats u ON u.user_id = ${userId}
          WHERE u.total_sessions >= ${MIN_SESSIONS_FOR_ANOMALY}
            AND x.tokens > ${ANOMALY_FACTOR} * (u.total_input_tokens + u.total_output_tokens)::numeric / u.total_sessions
        )
        UPDATE user_stats SET
          total_input_tokens = total_input_tokens + ${user.input},
          total_output_tokens = total_output_tokens + ${user.output},
          total_cache_creation_tokens = total_cache_creation_tokens + ${user.cacheCreation},
          total_cache_read_tokens = total_cache_read_tokens + ${user.cacheRead},
          total_cache_tokens = total_cache_tokens + ${user.cacheCreation + user.cacheRead},
          total_all_tokens = total_all_tokens + ${user.input + user.output + user.cacheCreation + user.cacheRead},
          total_sessions = total_sessions + ${user.sessionsCreated},
          tokens_by_tool = modu_jsonb_sum(tokens_by_tool, ${JSON.stringify(user.tokensByTool)}::jsonb),
          sessions_by_tool = modu_jsonb_sum(sessions_by_tool, ${JSON.stringify(user.sessionsByTool)}::jsonb),
          last_activity_at = greatest(last_activity_at, ${user.lastActivityAt}::timestamptz),
          updated_at = ${now}
        WHERE user_id = ${userId}`,
  );
}
