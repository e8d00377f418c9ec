import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../context";

export interface UserTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** The part of output tokens spent reasoning (already in outputTokens). */
  reasoningTokens: number;
  /** Input + output: what the ranking counts. */
  totalTokens: number;
  /** Input + output + cache creation + cache read. */
  allTokens: number;
  sessions: number;
  tokensByTool: Record<string, number>;
  sessionsByTool: Record<string, number>;
  successfulProjects: number;
  totalEvaluations: number;
  lastActivityAt: string | null;
}

/** All-time running totals of one user (user_stats, kept exact by ingest). */
export async function getUserTotals(ctx: AppContext, userId: string): Promise<UserTotals> {
  const [row] = await queryRows<{
    input: number;
    output: number;
    cache_creation: number;
    cache_read: number;
    reasoning: number;
    sessions: number;
    tokens_by_tool: Record<string, number> | null;
    sessions_by_tool: Record<string, number> | null;
    successful: number;
    evaluations: number;
    last_activity_at: string | Date | null;
  }>(
    ctx.db,
    sql`SELECT total_input_tokens::float8 AS input, total_output_tokens::float8 AS output,
          total_cache_creation_tokens::float8 AS cache_creation, total_cache_read_tokens::float8 AS cache_read,
          total_reasoning_tokens::float8 AS reasoning,
          total_sessions AS sessions, tokens_by_tool, sessions_by_tool, successful_projects_count AS successful,
          total_evaluations AS evaluations, last_activity_at
        FROM user_stats WHERE user_id = ${userId}`,
  );
  const input = Number(row?.input ?? 0);
  const output = Number(row?.output ?? 0);
  const cacheCreation = Number(row?.cache_creation ?? 0);
  const cacheRead = Number(row?.cache_read ?? 0);
  return {
    inputTokens: input,
    outputTokens: output,
    cacheCreationTokens: cacheCreation,
    cacheReadTokens: cacheRead,
    reasoningTokens: Number(row?.reasoning ?? 0),
    totalTokens: input + output,
    allTokens: input + output + cacheCreation + cacheRead,
    sessions: row?.sessions ?? 0,
    tokensByTool: row?.tokens_by_tool ?? {},
    sessionsByTool: row?.sessions_by_tool ?? {},
    successfulProjects: row?.successful ?? 0,
    totalEvaluations: row?.evaluations ?? 0,
    lastActivityAt: row?.last_activity_at ? new Date(row.last_activity_at).toISOString() : null,
  };
}
