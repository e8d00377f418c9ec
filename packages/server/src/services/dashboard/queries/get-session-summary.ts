import { type CodingStyle, categorizeToolName } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../context";

export interface ToolUsageStat {
  /** The agent's tool name as reported (Read, Edit, Bash, …). */
  name: string;
  count: number;
  category: CodingStyle | null;
}

export interface SessionSummary {
  sessions: number;
  durationSeconds: number;
  turns: number;
  toolUsage: ToolUsageStat[];
  codeMetrics: { linesAdded: number; linesDeleted: number; filesModified: number; filesCreated: number };
}

interface Row {
  sessions: number;
  duration: number;
  turns: number;
  tool_usage: Record<string, number | string> | null;
  added: number;
  deleted: number;
  modified: number;
  created: number;
}

/** Tool-call counts and code metrics summed over the sessions that ended since `since` (index scan). */
export async function getSessionSummary(ctx: AppContext, userId: string, since: Date): Promise<SessionSummary> {
  const [row] = await queryRows<Row>(
    ctx.db,
    sql`SELECT count(*)::int AS sessions, coalesce(sum(duration_seconds), 0)::float8 AS duration,
          coalesce(sum(turn_count), 0)::float8 AS turns,
          modu_jsonb_agg_sum(tool_usage) FILTER (WHERE tool_usage IS NOT NULL) AS tool_usage,
          coalesce(sum((code_metrics ->> 'linesAdded')::bigint), 0)::float8 AS added,
          coalesce(sum((code_metrics ->> 'linesDeleted')::bigint), 0)::float8 AS deleted,
          coalesce(sum((code_metrics ->> 'filesModified')::bigint), 0)::float8 AS modified,
          coalesce(sum((code_metrics ->> 'filesCreated')::bigint), 0)::float8 AS created
        FROM sessions WHERE user_id = ${userId} AND ended_at >= ${since}`,
  );
  const toolUsage = Object.entries(row?.tool_usage ?? {})
    .map(([name, count]) => ({ name, count: Number(count), category: categorizeToolName(name) }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return {
    sessions: row?.sessions ?? 0,
    durationSeconds: Number(row?.duration ?? 0),
    turns: Number(row?.turns ?? 0),
    toolUsage,
    codeMetrics: {
      linesAdded: Number(row?.added ?? 0),
      linesDeleted: Number(row?.deleted ?? 0),
      filesModified: Number(row?.modified ?? 0),
      filesCreated: Number(row?.created ?? 0),
    },
  };
}
