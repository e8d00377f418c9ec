import { type Db, queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";

export interface DatasetMismatch {
  userId: string;
  what: string;
  expected: unknown;
  actual: unknown;
}

/** A random sample of users, as ids (every user when the table holds fewer). */
export async function sampleUserIds(db: Db, count: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(db, sql`SELECT id FROM users ORDER BY random() LIMIT ${count}`);
  return rows.map((row) => row.id);
}

/**
 * Recomputes, from the sessions of each given user, what ingest keeps beside them: the token ledger
 * (per session), daily_user_stats (every column, by_tool and by_model included) and user_stats; returns
 * every difference. Rows written by ingest and by the generator must both pass.
 */
export async function checkDatasetConsistency(db: Db, userIds: string[]): Promise<DatasetMismatch[]> {
  if (userIds.length === 0) return [];
  const ids = sql`(SELECT unnest(${`{${userIds.join(",")}}`}::uuid[]))`;
  const ledger = await queryRows<{ user_id: string; session_id: string; expected: string; actual: string | null }>(
    db,
    sql`SELECT s.user_id, s.id AS session_id,
          concat_ws('/', s.input_tokens, s.output_tokens, s.cache_creation_tokens, s.cache_read_tokens, s.tool_type_id,
            s.model_name) AS expected,
          (SELECT concat_ws('/', sum(t.input_tokens), sum(t.output_tokens), sum(t.cache_creation_tokens),
              sum(t.cache_read_tokens), min(t.tool_type_id), min(t.model_name))
            FROM token_usage t WHERE t.session_id = s.id AND t.user_id = s.user_id) AS actual
        FROM sessions s WHERE s.user_id IN ${ids}`,
  );
  const days = await queryRows<{ user_id: string; day: string; expected: unknown; actual: unknown }>(
    db,
    sql`WITH s AS (
          SELECT user_id, tool_type_id AS tool, model_name AS model, input_tokens AS input, output_tokens AS output,
            cache_creation_tokens AS cache_creation, cache_read_tokens AS cache_read,
            input_tokens + output_tokens AS tokens, (ended_at AT TIME ZONE 'UTC')::date AS day
          FROM sessions WHERE user_id IN ${ids}
        ), expected AS (
          SELECT user_id, day, jsonb_build_object(
              'input', sum(input), 'output', sum(output), 'cacheCreation', sum(cache_creation),
              'cacheRead', sum(cache_read), 'cache', sum(cache_creation + cache_read), 'total', sum(tokens),
              'sessions', count(*),
              'byTool', (SELECT jsonb_object_agg(tool, jsonb_build_object('tokens', n, 'sessions', c))
                FROM (SELECT tool, sum(tokens) AS n, count(*) AS c FROM s s2
                  WHERE s2.user_id = s.user_id AND s2.day = s.day GROUP BY tool) t),
              'byModel', coalesce((SELECT jsonb_object_agg(model, n)
                FROM (SELECT model, sum(tokens) AS n FROM s s2
                  WHERE s2.user_id = s.user_id AND s2.day = s.day AND model IS NOT NULL GROUP BY model) m), '{}'::jsonb)
            ) AS value
          FROM s GROUP BY user_id, day
        ), actual AS (
          SELECT user_id, stat_date AS day, jsonb_build_object(
              'input', input_tokens, 'output', output_tokens, 'cacheCreation', cache_creation_tokens,
              'cacheRead', cache_read_tokens, 'cache', cache_tokens, 'total', total_tokens, 'sessions', session_count,
              'byTool', by_tool, 'byModel', by_model) AS value
          FROM daily_user_stats WHERE user_id IN ${ids}
        )
        SELECT coalesce(e.user_id, a.user_id) AS user_id, to_char(coalesce(e.day, a.day), 'YYYY-MM-DD') AS day,
          e.value AS expected, a.value AS actual
        FROM expected e FULL JOIN actual a ON a.user_id = e.user_id AND a.day = e.day
        WHERE e.value IS DISTINCT FROM a.value`,
  );
  const totals = await queryRows<{ user_id: string; expected: unknown; actual: unknown }>(
    db,
    sql`WITH s AS (
          SELECT user_id, tool_type_id AS tool, input_tokens AS input, output_tokens AS output,
            cache_creation_tokens AS cache_creation, cache_read_tokens AS cache_read, ended_at
          FROM sessions WHERE user_id IN ${ids}
        ), by_tool AS (
          SELECT user_id, jsonb_object_agg(tool, n) AS tokens, jsonb_object_agg(tool, c) AS sessions
          FROM (SELECT user_id, tool, sum(input + output) AS n, count(*) AS c FROM s GROUP BY user_id, tool) t
          GROUP BY user_id
        ), expected AS (
          SELECT u.id AS user_id, jsonb_build_object(
              'input', coalesce(sum(s.input), 0), 'output', coalesce(sum(s.output), 0),
              'cacheCreation', coalesce(sum(s.cache_creation), 0), 'cacheRead', coalesce(sum(s.cache_read), 0),
              'cache', coalesce(sum(s.cache_creation + s.cache_read), 0),
              'all', coalesce(sum(s.input + s.output + s.cache_creation + s.cache_read), 0),
              'sessions', count(s.user_id), 'lastActivity', max(s.ended_at),
              'tokensByTool', coalesce(min(b.tokens::text)::jsonb, '{}'::jsonb),
              'sessionsByTool', coalesce(min(b.sessions::text)::jsonb, '{}'::jsonb)) AS value
          FROM users u LEFT JOIN s ON s.user_id = u.id LEFT JOIN by_tool b ON b.user_id = u.id
          WHERE u.id IN ${ids} GROUP BY u.id
        )
        SELECT e.user_id, e.value AS expected, jsonb_build_object(
            'input', a.total_input_tokens, 'output', a.total_output_tokens,
            'cacheCreation', a.total_cache_creation_tokens, 'cacheRead', a.total_cache_read_tokens,
            'cache', a.total_cache_tokens, 'all', a.total_all_tokens, 'sessions', a.total_sessions,
            'lastActivity', a.last_activity_at, 'tokensByTool', a.tokens_by_tool,
            'sessionsByTool', a.sessions_by_tool) AS actual
        FROM expected e LEFT JOIN user_stats a ON a.user_id = e.user_id
        WHERE a.user_id IS NULL OR e.value IS DISTINCT FROM jsonb_build_object(
            'input', a.total_input_tokens, 'output', a.total_output_tokens,
            'cacheCreation', a.total_cache_creation_tokens, 'cacheRead', a.total_cache_read_tokens,
            'cache', a.total_cache_tokens, 'all', a.total_all_tokens, 'sessions', a.total_sessions,
            'lastActivity', a.last_activity_at, 'tokensByTool', a.tokens_by_tool,
            'sessionsByTool', a.sessions_by_tool)`,
  );
  return [
    ...ledger
      .filter((row) => row.expected !== row.actual)
      .map((row) => ({
        userId: row.user_id,
        what: `ledger of session ${row.session_id}`,
        expected: row.expected,
        actual: row.actual,
      })),
    ...days.map((row) => ({ userId: row.user_id, what: `day ${row.day}`, expected: row.expected, actual: row.actual })),
    ...totals.map((row) => ({ userId: row.user_id, what: "user_stats", expected: row.expected, actual: row.actual })),
  ];
}
