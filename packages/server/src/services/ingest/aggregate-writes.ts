import { type SQL, sql } from "drizzle-orm";
import type { RequestOrigin } from "../../context";
import { ADD_TO_EXISTING_DAY } from "./ingest-sql";

/** A session over this many times the user's average is flagged (audited, still accepted). */
export const ANOMALY_FACTOR = 10;
export const MIN_SESSIONS_FOR_ANOMALY = 3;

/**
 * The columns of the `deltas` CTE both ingest statements define, one row per created or grown session:
 * the amounts to add (`created` is 1 for a new session, 0 for a grown one) and `session_tokens`, the
 * session's input + output after this write (what the anomaly check compares with the user's average).
 */
export const DELTA_COLUMNS = sql.raw(`session_id uuid, tool text, model text, ended_at timestamptz, created int,
  input bigint, output bigint, cache_creation bigint, cache_read bigint, reasoning bigint, session_tokens bigint`);

export interface AggregateContext {
  userId: string;
  origin: RequestOrigin;
  source: "single" | "batch";
  now: Date;
  /** The request's items that changed nothing (equal totals, or folded into an earlier copy): audited. */
  duplicates: SQL;
}

/**
 * Every aggregate an ingest writes, as the CTEs that follow a `deltas` CTE of `DELTA_COLUMNS`: the token
 * ledger, the per-day rows, the audit events, the anomaly check and the user's running totals. Both the
 * new-session statement and the known-session transaction use it, so each rule is written once here.
 * Data-modifying CTEs see the snapshot before the statement: the anomaly check reads the old totals.
 */
export function aggregateWriteCtes({ userId, origin, source, now, duplicates }: AggregateContext): SQL {
  const ipAddress = origin.ipAddress ?? null;
  const userAgent = origin.userAgent?.slice(0, 512) ?? null;
  const average = sql.raw("(u.total_input_tokens + u.total_output_tokens)::numeric / u.total_sessions");
  return sql`applied AS (
      SELECT x.*, x.input + x.output AS tokens, (x.ended_at AT TIME ZONE 'UTC')::date AS day FROM deltas x
    ), ledger AS (
      INSERT INTO token_usage (session_id, user_id, tool_type_id, model_name, input_tokens, output_tokens,
        cache_creation_tokens, cache_read_tokens, reasoning_tokens, recorded_at)
      SELECT a.session_id, ${userId}, a.tool, a.model, a.input, a.output, a.cache_creation, a.cache_read, a.reasoning,
        a.ended_at
      FROM applied a
    ), per_day AS (
      SELECT a.day, sum(a.input) AS input, sum(a.output) AS output, sum(a.cache_creation) AS cache_creation,
        sum(a.cache_read) AS cache_read, sum(a.reasoning) AS reasoning, sum(a.created) AS sessions
      FROM applied a GROUP BY a.day
    ), per_day_tool AS (
      SELECT t.day, jsonb_object_agg(t.tool, jsonb_build_object('tokens', t.tokens, 'sessions', t.sessions)) AS by_tool
      FROM (SELECT day, tool, sum(tokens) AS tokens, sum(created) AS sessions FROM applied GROUP BY day, tool) t
      GROUP BY t.day
    ), per_day_model AS (
      SELECT m.day, jsonb_object_agg(m.model, m.tokens) AS by_model
      FROM (SELECT day, model, sum(tokens) AS tokens FROM applied WHERE model IS NOT NULL GROUP BY day, model) m
      GROUP BY m.day
    ), daily AS (
      INSERT INTO daily_user_stats AS d (user_id, stat_date, input_tokens, output_tokens, cache_creation_tokens,
        cache_read_tokens, reasoning_tokens, cache_tokens, total_tokens, session_count, by_tool, by_model)
      SELECT ${userId}, p.day, p.input, p.output, p.cache_creation, p.cache_read, p.reasoning, p.cache_creation + p.cache_read,
        p.input + p.output, p.sessions, coalesce(t.by_tool, '{}'::jsonb), coalesce(m.by_model, '{}'::jsonb)
      FROM per_day p LEFT JOIN per_day_tool t ON t.day = p.day LEFT JOIN per_day_model m ON m.day = p.day
      ORDER BY p.day
      ${ADD_TO_EXISTING_DAY}
    ), counts AS (
      SELECT coalesce(sum(created), 0) AS created, count(*) - coalesce(sum(created), 0) AS updated,
        (${duplicates})::bigint AS duplicate
      FROM applied
    ), audit AS (
      INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details, created_at)
      SELECT ${userId}, e.event_type, ${ipAddress}, ${userAgent}, e.details, ${now}
      FROM (
        SELECT CASE WHEN c.created > 0 THEN 'session_created' ELSE 'session_updated' END AS event_type,
          c.created + c.updated AS n,
          CASE WHEN c.created > 0
            THEN jsonb_build_object('source', ${source}::text, 'created', c.created, 'updated', c.updated)
            ELSE jsonb_build_object('source', ${source}::text, 'updated', c.updated) END AS details
        FROM counts c
        UNION ALL
        SELECT 'session_duplicate', c.duplicate, jsonb_build_object('source', ${source}::text, 'duplicate', c.duplicate)
        FROM counts c
      ) e
      WHERE e.n > 0
    ), anomalies AS (
      INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details, created_at)
      SELECT ${userId}, 'suspicious_activity', ${ipAddress}, ${userAgent},
        jsonb_build_object('reason', ${`session_over_${ANOMALY_FACTOR}x_average`}::text, 'sessionId', a.session_id,
          'tokens', a.session_tokens, 'averageTokens', round(${average})),
        ${now}
      FROM applied a JOIN user_stats u ON u.user_id = ${userId}
      WHERE u.total_sessions >= ${sql.raw(String(MIN_SESSIONS_FOR_ANOMALY))}
        AND a.session_tokens > ${sql.raw(String(ANOMALY_FACTOR))} * ${average}
    ), totals AS (
      UPDATE user_stats us SET
        total_input_tokens = us.total_input_tokens + f.input,
        total_output_tokens = us.total_output_tokens + f.output,
        total_cache_creation_tokens = us.total_cache_creation_tokens + f.cache_creation,
        total_cache_read_tokens = us.total_cache_read_tokens + f.cache_read,
        total_reasoning_tokens = us.total_reasoning_tokens + f.reasoning,
        total_cache_tokens = us.total_cache_tokens + f.cache_creation + f.cache_read,
        total_all_tokens = us.total_all_tokens + f.input + f.output + f.cache_creation + f.cache_read,
        total_sessions = us.total_sessions + f.sessions,
        tokens_by_tool = modu_jsonb_sum(us.tokens_by_tool, f.tokens_by_tool),
        sessions_by_tool = modu_jsonb_sum(us.sessions_by_tool, f.sessions_by_tool),
        last_activity_at = greatest(us.last_activity_at, f.last_activity_at),
        updated_at = ${now}
      FROM (
        SELECT sum(input) AS input, sum(output) AS output, sum(cache_creation) AS cache_creation,
          sum(cache_read) AS cache_read, sum(reasoning) AS reasoning, sum(created) AS sessions, max(ended_at) AS last_activity_at,
          (SELECT jsonb_object_agg(tool, tokens) FROM (SELECT tool, sum(tokens) AS tokens FROM applied GROUP BY tool) a)
            AS tokens_by_tool,
          (SELECT coalesce(jsonb_object_agg(tool, n), '{}'::jsonb)
            FROM (SELECT tool, sum(created) AS n FROM applied WHERE created > 0 GROUP BY tool) b) AS sessions_by_tool
        FROM applied
        HAVING count(*) > 0
      ) f
      WHERE us.user_id = ${userId}
    )`;
}
