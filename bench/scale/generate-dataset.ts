import { type Db, queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";

export interface ScaleOptions {
  users: number;
  days: number;
  /** The instant the data ends at (the newest session is at most this); UTC days count back from it. */
  now: Date;
  /** Usernames are `<prefix>-<n>`; a new prefix adds users beside earlier runs. */
  prefix: string;
  /** Users written per statement: one statement writes their sessions, ledger, days and totals. */
  batchSize?: number;
  /**
   * Drops the secondary indexes of the tables written and builds them again at the end (one sorted
   * build instead of a random insert per row). For a database nobody else uses while it runs.
   */
  deferIndexes?: boolean;
  /** Batches written at once, each on its own connection (the pool must have that many). */
  concurrency?: number;
  onBatch?: (progress: { users: number; sessions: number; ms: number }) => void;
}

export interface ScaleResult {
  users: number;
  sessions: number;
  ms: number;
}

/**
 * Favourite tools and each tool's models, as in the demo seed. Written in SQL as arrays so the whole
 * dataset comes from set-based statements (PostgreSQL and PGlite alike).
 */
const TOOL_ARRAY = `ARRAY['claude-code','claude-desktop','opencode','gemini','codex','crush']`;
const MODELS_OF_TOOL = `CASE tool
    WHEN 'claude-code' THEN ARRAY['claude-sonnet-4-20250514','claude-opus-4-1-20250805','claude-3-5-haiku-20241022']
    WHEN 'claude-desktop' THEN ARRAY['claude-sonnet-4-20250514','claude-opus-4-1-20250805']
    WHEN 'opencode' THEN ARRAY['claude-sonnet-4-20250514','gpt-5','gemini-2.5-pro']
    WHEN 'gemini' THEN ARRAY['gemini-2.5-pro','gemini-2.5-flash']
    WHEN 'codex' THEN ARRAY['gpt-5-codex','gpt-5','o4-mini']
    ELSE ARRAY['claude-sonnet-4-20250514','gpt-5-mini'] END`;

/**
 * One batch of users in one statement, shaped like ingest's own single statement: the users and their
 * empty totals, their sessions, one ledger row per session (recorded at its end, as ingest does), the
 * per-UTC-day rows with by_tool/by_model, and user_stats, all derived from the inserted sessions so the
 * aggregates cannot disagree with them. Activity is heavy-tailed: a user's share of active days is
 * skewed low, sessions per active day follow a Pareto-like law (capped at 40), token scale spans 10^3-10^6.
 */
export function batchStatement(first: number, count: number, options: ScaleOptions) {
  const now = options.now.toISOString();
  return sql`WITH drawn_user AS MATERIALIZED (
      SELECT i, gen_random_uuid() AS id,
        CASE WHEN random() < 0.05 THEN 0 ELSE 0.03 + 0.9 * power(random(), 2) END AS activity,
        least(40, 0.6 / power(random(), 0.7)) AS per_day,
        power(10, 3 + 3 * power(random(), 2)) AS scale,
        random() < 0.08 AS private,
        1 + floor(random() * 3)::int AS favourites, shuffled
      FROM generate_series(${first}::int, ${first + count - 1}::int) i
      -- Correlated on i so that every user gets their own shuffle.
      CROSS JOIN LATERAL (
        SELECT array_agg(t ORDER BY random()) AS shuffled FROM unnest(${sql.raw(TOOL_ARRAY)}) t WHERE i > 0
      ) s
    ), profile AS (
      SELECT id, i, activity, per_day, scale, private, shuffled[1:favourites] AS tools FROM drawn_user
    ), new_users AS (
      INSERT INTO users (id, username, user_salt, privacy_mode, created_at, updated_at)
      SELECT id, ${options.prefix} || '-' || i, md5(random()::text), private,
        ${now}::timestamptz - make_interval(days => ${options.days}), ${now}::timestamptz
      FROM profile
      RETURNING id
    ), active_day AS MATERIALIZED (
      SELECT p.id AS user_id, p.tools, p.scale, d,
        1 + floor(-ln(1 - random()) * p.per_day)::int AS n
      FROM profile p CROSS JOIN generate_series(0, ${options.days - 1}::int) d
      -- Mentions d so that the draw is made per user and day, not pushed down to once per user.
      WHERE random() < p.activity + 0 * d
    ), drawn AS MATERIALIZED (
      SELECT a.user_id, a.scale, a.d, k,
        a.tools[1 + floor(random() * cardinality(a.tools))::int] AS tool,
        random() AS r_model, random() AS r_time, random() AS r_size, random() AS r_out, random() AS r_cache,
        random() AS r_project, 120 + floor(random() * 5400)::int AS duration
      FROM active_day a CROSS JOIN generate_series(1, a.n) k
    ), shaped AS (
      SELECT user_id, tool, k, duration,
        CASE WHEN r_model < 0.03 THEN NULL
          ELSE (${sql.raw(MODELS_OF_TOOL)})[1 + floor(r_model * 1000)::int % cardinality(${sql.raw(MODELS_OF_TOOL)})] END
          AS model,
        least(${now}::timestamptz,
          date_trunc('day', ${now}::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
            - make_interval(days => d) + make_interval(secs => floor(r_time * 86399))) AS ended_at,
        round(scale * (0.3 + 2 * r_size))::bigint AS input,
        round(scale * (0.3 + 2 * r_size) * (0.05 + 0.6 * r_out))::bigint AS output,
        round(scale * r_cache)::bigint AS cache_creation,
        round(scale * r_cache * 8)::bigint AS cache_read,
        floor(r_project * 4)::int AS project
      FROM drawn
    ), inserted AS (
      INSERT INTO sessions (user_id, tool_type_id, session_hash, anonymous_project_id, started_at, ended_at,
        duration_seconds, model_name, turn_count, tool_usage, code_metrics,
        input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, created_at, updated_at)
      SELECT user_id, tool, gen_random_uuid()::text, left(md5(user_id::text || project), 16),
        ended_at - make_interval(secs => duration), ended_at, duration, model, 1 + duration / 90,
        jsonb_build_object('Read', 1 + duration % 17, 'Edit', duration % 7, 'Bash', 1 + duration % 11),
        jsonb_build_object('linesAdded', duration % 400, 'linesDeleted', duration % 120,
          'filesModified', duration % 9, 'filesCreated', duration % 3),
        input, output, cache_creation, cache_read, ended_at, ended_at
      FROM shaped
      RETURNING id, user_id, tool_type_id AS tool, model_name AS model, input_tokens AS input,
        output_tokens AS output, cache_creation_tokens AS cache_creation, cache_read_tokens AS cache_read, ended_at,
        (ended_at AT TIME ZONE 'UTC')::date AS day, input_tokens + output_tokens AS tokens
    ), ledger AS (
      INSERT INTO token_usage (session_id, user_id, tool_type_id, model_name, input_tokens, output_tokens,
        cache_creation_tokens, cache_read_tokens, recorded_at)
      SELECT id, user_id, tool, model, input, output, cache_creation, cache_read, ended_at FROM inserted
    ), per_day AS (
      SELECT user_id, day, sum(input) AS input, sum(output) AS output, sum(cache_creation) AS cache_creation,
        sum(cache_read) AS cache_read, count(*) AS sessions
      FROM inserted GROUP BY user_id, day
    ), per_day_tool AS (
      SELECT user_id, day, jsonb_object_agg(tool, jsonb_build_object('tokens', tokens, 'sessions', sessions)) AS by_tool
      FROM (SELECT user_id, day, tool, sum(tokens) AS tokens, count(*) AS sessions FROM inserted
        GROUP BY user_id, day, tool) t
      GROUP BY user_id, day
    ), per_day_model AS (
      SELECT user_id, day, jsonb_object_agg(model, tokens) AS by_model
      FROM (SELECT user_id, day, model, sum(tokens) AS tokens FROM inserted WHERE model IS NOT NULL
        GROUP BY user_id, day, model) m
      GROUP BY user_id, day
    ), daily AS (
      INSERT INTO daily_user_stats (user_id, stat_date, input_tokens, output_tokens, cache_creation_tokens,
        cache_read_tokens, cache_tokens, total_tokens, session_count, by_tool, by_model, created_at)
      SELECT p.user_id, p.day, p.input, p.output, p.cache_creation, p.cache_read, p.cache_creation + p.cache_read,
        p.input + p.output, p.sessions, coalesce(t.by_tool, '{}'::jsonb), coalesce(m.by_model, '{}'::jsonb),
        ${now}::timestamptz
      FROM per_day p LEFT JOIN per_day_tool t USING (user_id, day) LEFT JOIN per_day_model m USING (user_id, day)
    ), per_user_tool AS (
      SELECT user_id, jsonb_object_agg(tool, tokens) AS tokens_by_tool, jsonb_object_agg(tool, sessions) AS sessions_by_tool
      FROM (SELECT user_id, tool, sum(tokens) AS tokens, count(*) AS sessions FROM inserted GROUP BY user_id, tool) t
      GROUP BY user_id
    ), per_user AS (
      SELECT user_id, sum(input) AS input, sum(output) AS output, sum(cache_creation) AS cache_creation,
        sum(cache_read) AS cache_read, count(*) AS sessions, max(ended_at) AS last_activity_at
      FROM inserted GROUP BY user_id
    ), totals AS (
      INSERT INTO user_stats (user_id, total_input_tokens, total_output_tokens, total_cache_creation_tokens,
        total_cache_read_tokens, total_cache_tokens, total_all_tokens, tokens_by_tool, total_sessions,
        sessions_by_tool, last_activity_at, updated_at)
      SELECT n.id, coalesce(u.input, 0), coalesce(u.output, 0), coalesce(u.cache_creation, 0),
        coalesce(u.cache_read, 0), coalesce(u.cache_creation + u.cache_read, 0),
        coalesce(u.input + u.output + u.cache_creation + u.cache_read, 0), coalesce(t.tokens_by_tool, '{}'::jsonb),
        coalesce(u.sessions, 0), coalesce(t.sessions_by_tool, '{}'::jsonb), u.last_activity_at, ${now}::timestamptz
      FROM new_users n LEFT JOIN per_user u ON u.user_id = n.id LEFT JOIN per_user_tool t ON t.user_id = n.id
    )
    SELECT count(*)::int AS sessions FROM inserted`;
}

/** Writes `options.users` users with `options.days` days of activity, batch by batch; then ANALYZE. */
export async function generateScaleDataset(db: Db, options: ScaleOptions): Promise<ScaleResult> {
  const batchSize = options.batchSize ?? 1000;
  const started = performance.now();
  let sessions = 0;
  const deferred = options.deferIndexes ? await dropSecondaryIndexes(db) : [];
  let next = 1;
  let done = 0;
  const writeBatches = async () => {
    while (next <= options.users) {
      const first = next;
      const count = Math.min(batchSize, options.users - first + 1);
      next += count;
      const [row] = await db.transaction(async (tx) => {
        // Estimates of generate_series-driven CTEs are wildly high: JIT would cost more than the
        // statement, and the default work_mem would make the grouping spill to disk.
        await tx.execute(sql`SET LOCAL jit = off`);
        await tx.execute(sql`SET LOCAL work_mem = '256MB'`);
        // No per-row foreign-key triggers (a quarter of the time): the statement inserts each user
        // before their rows and takes tool ids from the seeded list, so every reference holds.
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        return queryRows<{ sessions: number }>(tx as unknown as Db, batchStatement(first, count, options));
      });
      sessions += row?.sessions ?? 0;
      done += count;
      options.onBatch?.({ users: done, sessions, ms: performance.now() - started });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, writeBatches));
  for (const definition of deferred) await db.execute(sql.raw(definition));
  await db.execute(sql`ANALYZE users, user_stats, sessions, token_usage, daily_user_stats`);
  return { users: options.users, sessions, ms: Math.round(performance.now() - started) };
}

/** Drops the indexes (not constraints) of the bulk-written tables; returns their definitions. */
async function dropSecondaryIndexes(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string; definition: string }>(
    db,
    sql`SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename IN ('sessions', 'token_usage', 'daily_user_stats')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const row of rows) await db.execute(sql.raw(`DROP INDEX "${row.name}"`));
  return rows.map((row) => row.definition);
}
