import type { Db } from "@modu-arena/db";
import { queryPrepared } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { RequestOrigin } from "../../context";
import { aggregateWriteCtes } from "./aggregate-writes";
import { RECORD_COLUMNS, sessionColumns } from "./ingest-sql";
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
  const inserted = await queryPrepared<{ id: string; tool: string; hash: string }>(
    db,
    "modu_ingest_new_sessions_v3",
    sql`WITH x AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(${RECORD_COLUMNS}, repeats int)
        ), inserted AS (
          INSERT INTO sessions (user_id, tool_type_id, session_hash, anonymous_project_id, started_at, ended_at,
            duration_seconds, model_name, turn_count, tool_usage, code_metrics,
            input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, reasoning_tokens, created_at, updated_at)
          SELECT ${userId}, x.tool, x.hash, x.project, x.started_at, x.ended_at, x.duration, x.model, x.turns,
            x.tool_usage, x.code_metrics, x.input, x.output, x.cache_creation, x.cache_read, x.reasoning, ${now}, ${now}
          FROM x
          ON CONFLICT (user_id, tool_type_id, session_hash) DO NOTHING
          RETURNING id, tool_type_id, session_hash
        ), fresh AS (
          SELECT i.id, x.* FROM inserted i JOIN x ON x.tool = i.tool_type_id AND x.hash = i.session_hash
        ), deltas AS (
          SELECT id AS session_id, tool, model, ended_at, 1 AS created, input, output, cache_creation, cache_read,
            reasoning, input + output AS session_tokens
          FROM fresh
        ), ${aggregateWriteCtes({ userId, origin, source, now, duplicates: sql`SELECT coalesce(sum(repeats), 0) FROM fresh` })}
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
