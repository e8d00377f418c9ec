import type { Db } from "@modu-arena/db";
import { queryPrepared } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { RequestOrigin } from "../../context";
import {
  ADD_TO_EXISTING_DAY,
  ANOMALY_FACTOR,
  MIN_SESSIONS_FOR_ANOMALY,
  RECORD_COLUMNS,
  sessionColumns,
} from "./ingest-sql";
import type { WritePlan } from "./plan-ingest";
import { sessionKey } from "./token-delta";

export type CreatePlan = Extract<WritePlan, { kind: "create" }>;

/**
 * The common case, new sessions, in a single statement (atomic without a transaction's extra round
 * trips): inserts every session not seen before and, for exactly the rows inserted, writes the token
 * ledger, the per-day rows, the user's totals, the audit events and the anomaly check. `repeats` counts
 * the later copies of a key within the same batch (audited as duplicates). Sets each inserted plan's id
 * and returns the plans whose key already existed (or was being inserted by a concurrent request, which
 * the unique index makes this statement wait for), to go through the locking path.
 */
export async function recordNewSessions(
  db: Db,
  userId: string,
  creates: CreatePlan[],
  repeats: Map<CreatePlan, number>,
  origin: RequestOrigin,
  source: "single" | "batch",
  now: Date,
): Promise<CreatePlan[]> {
  if (creates.length === 0) return [];
  const rows = creates.map((plan) => ({ ...sessionColumns(plan), repeats: repeats.get(plan) ?? 0 }));
  const ipAddress = origin.ipAddress ?? null;
  const userAgent = origin.userAgent?.slice(0, 512) ?? null;
  const inserted = await queryPrepared<{ id: string; tool: string; hash: string }>(
    db,
    "modu_ingest_new_sessions_v1",
    sql`WITH x AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(${RECORD_COLUMNS}, repeats int)
        ), inserted AS (
          INSERT INTO sessions (user_id, tool_type_id, session_hash, anonymous_project_id, started_at, ended_at,
            duration_seconds, model_name, turn_count, tool_usage, code_metrics,
            input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, created_at, updated_at)
          SELECT ${userId}, x.tool, x.hash, x.project, x.started_at, x.ended_at, x.duration, x.model, x.turns,
            x.tool_usage, x.code_metrics, x.input, x.output, x.cache_creation, x.cache_read, ${now}, ${now}
          FROM x
          ON CONFLICT (user_id, tool_type_id, session_hash) DO NOTHING
          RETURNING id, tool_type_id, session_hash
        ), fresh AS (
          SELECT i.id, x.*, x.input + x.output AS tokens, (x.ended_at AT TIME ZONE 'UTC')::date AS day
          FROM inserted i JOIN x ON x.tool = i.tool_type_id AND x.hash = i.session_hash
        ), ledger AS (
          INSERT INTO token_usage (session_id, user_id, tool_type_id, model_name, input_tokens, output_tokens,
            cache_creation_tokens, cache_read_tokens, recorded_at)
          SELECT f.id, ${userId}, f.tool, f.model, f.input, f.output, f.cache_creation, f.cache_read, f.ended_at
          FROM fresh f
        ), per_day AS (
          SELECT f.day, sum(f.input) AS input, sum(f.output) AS output, sum(f.cache_creation) AS cache_creation,
            sum(f.cache_read) AS cache_read, count(*) AS sessions
          FROM fresh f GROUP BY f.day
        ), per_day_tool AS (
          SELECT t.day, jsonb_object_agg(t.tool, jsonb_build_object('tokens', t.tokens, 'sessions', t.sessions)) AS by_tool
          FROM (SELECT day, tool, sum(tokens) AS tokens, count(*) AS sessions FROM fresh GROUP BY day, tool) t
          GROUP BY t.day
        ), per_day_model AS (
          SELECT m.day, jsonb_object_agg(m.model, m.tokens) AS by_model
          FROM (SELECT day, model, sum(tokens) AS tokens FROM fresh WHERE model IS NOT NULL GROUP BY day, model) m
          GROUP BY m.day
        ), daily AS (
          INSERT INTO daily_user_stats AS d (user_id, stat_date, input_tokens, output_tokens, cache_creation_tokens,
            cache_read_tokens, cache_tokens, total_tokens, session_count, by_tool, by_model)
          SELECT ${userId}, p.day, p.input, p.output, p.cache_creation, p.cache_read, p.cache_creation + p.cache_read,
            p.input + p.output, p.sessions, coalesce(t.by_tool, '{}'::jsonb), coalesce(m.by_model, '{}'::jsonb)
          FROM per_day p LEFT JOIN per_day_tool t ON t.day = p.day LEFT JOIN per_day_model m ON m.day = p.day
          ORDER BY p.day
          ${ADD_TO_EXISTING_DAY}
        ), audit AS (
          INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details, created_at)
          SELECT ${userId}, e.event_type, ${ipAddress}, ${userAgent}, e.details, ${now}
          FROM (
            SELECT 'session_created' AS event_type, count(*) AS n,
              jsonb_build_object('source', ${source}::text, 'created', count(*), 'updated', 0) AS details
            FROM fresh
            UNION ALL
            SELECT 'session_duplicate', coalesce(sum(repeats), 0),
              jsonb_build_object('source', ${source}::text, 'duplicate', coalesce(sum(repeats), 0))
            FROM fresh
          ) e
          WHERE e.n > 0
        ), anomalies AS (
          -- Against the totals before this statement: a session over 10x the user's average.
          INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details, created_at)
          SELECT ${userId}, 'suspicious_activity', ${ipAddress}, ${userAgent},
            jsonb_build_object('reason', 'session_over_10x_average', 'sessionId', f.id, 'tokens', f.tokens,
              'averageTokens', round((u.total_input_tokens + u.total_output_tokens)::numeric / u.total_sessions)),
            ${now}
          FROM fresh f JOIN user_stats u ON u.user_id = ${userId}
          WHERE u.total_sessions >= ${MIN_SESSIONS_FOR_ANOMALY}
            AND f.tokens > ${ANOMALY_FACTOR} * (u.total_input_tokens + u.total_output_tokens)::numeric / u.total_sessions
        ), totals AS (
          UPDATE user_stats us SET
            total_input_tokens = us.total_input_tokens + f.input,
            total_output_tokens = us.total_output_tokens + f.output,
            total_cache_creation_tokens = us.total_cache_creation_tokens + f.cache_creation,
            total_cache_read_tokens = us.total_cache_read_tokens + f.cache_read,
            total_cache_tokens = us.total_cache_tokens + f.cache_creation + f.cache_read,
            total_all_tokens = us.total_all_tokens + f.input + f.output + f.cache_creation + f.cache_read,
            total_sessions = us.total_sessions + f.sessions,
            tokens_by_tool = modu_jsonb_sum(us.tokens_by_tool, f.tokens_by_tool),
            sessions_by_tool = modu_jsonb_sum(us.sessions_by_tool, f.sessions_by_tool),
            last_activity_at = greatest(us.last_activity_at, f.last_activity_at),
            updated_at = ${now}
          FROM (
            SELECT sum(input) AS input, sum(output) AS output, sum(cache_creation) AS cache_creation,
              sum(cache_read) AS cache_read, count(*) AS sessions, max(ended_at) AS last_activity_at,
              (SELECT jsonb_object_agg(tool, tokens) FROM (SELECT tool, sum(tokens) AS tokens FROM fresh GROUP BY tool) a)
                AS tokens_by_tool,
              (SELECT jsonb_object_agg(tool, n) FROM (SELECT tool, count(*) AS n FROM fresh GROUP BY tool) b)
                AS sessions_by_tool
            FROM fresh
            HAVING count(*) > 0
          ) f
          WHERE us.user_id = ${userId}
        )
        SELECT id, tool_type_id AS tool, session_hash AS hash FROM inserted`,
  );
  const ids = new Map(inserted.map((row) => [`${row.tool}\u0000${row.hash}`, row.id]));
  const existing: CreatePlan[] = [];
  for (const plan of creates) {
    plan.id = ids.get(sessionKey(plan.session));
    if (!plan.id) existing.push(plan);
  }
  return existing;
}
