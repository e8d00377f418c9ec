import { getTool, isToolType } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../context";

export interface ModelUsage {
  model: string;
  /** Input + output tokens. */
  tokens: number;
  /** Share of all model-attributed tokens, 0..100 with one decimal. */
  share: number;
}

export interface ToolBreakdown {
  toolType: string;
  displayName: string;
  color: string | null;
  tokens: number;
  sessions: number;
  share: number;
}

export interface UsageBreakdown {
  models: ModelUsage[];
  tools: ToolBreakdown[];
}

/** Model and agent (tool) mix over UTC days [fromDay, toDay], from the precomputed daily rows. */
export async function getUsageBreakdown(
  ctx: AppContext,
  userId: string,
  options: { fromDay: string; toDay: string },
): Promise<UsageBreakdown> {
  const rows = await queryRows<{ kind: "model" | "tool"; name: string; tokens: number; sessions: number }>(
    ctx.db,
    sql`WITH days AS (
          SELECT by_model, by_tool FROM daily_user_stats
          WHERE user_id = ${userId} AND stat_date BETWEEN ${options.fromDay}::date AND ${options.toDay}::date
        )
        SELECT 'model' AS kind, m.key AS name, sum(m.value::numeric)::float8 AS tokens, 0 AS sessions
        FROM days, jsonb_each_text(days.by_model) AS m GROUP BY m.key
        UNION ALL
        SELECT 'tool', t.key, sum((t.value ->> 'tokens')::numeric)::float8,
          sum(coalesce((t.value ->> 'sessions')::numeric, 0))::int
        FROM days, jsonb_each(days.by_tool) AS t GROUP BY t.key`,
  );
  const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
  const modelRows = rows.filter((row) => row.kind === "model" && Number(row.tokens) > 0);
  const toolRows = rows.filter((row) => row.kind === "tool");
  const modelTotal = modelRows.reduce((sum, row) => sum + Number(row.tokens), 0);
  const toolTotal = toolRows.reduce((sum, row) => sum + Number(row.tokens), 0);
  return {
    models: modelRows
      .map((row) => ({ model: row.name, tokens: Number(row.tokens), share: share(Number(row.tokens), modelTotal) }))
      .sort((a, b) => b.tokens - a.tokens || a.model.localeCompare(b.model)),
    tools: toolRows
      .map((row) => {
        const info = isToolType(row.name) ? getTool(row.name) : null;
        return {
          toolType: row.name,
          displayName: info?.displayName ?? row.name,
          color: info?.color ?? null,
          tokens: Number(row.tokens),
          sessions: Number(row.sessions),
          share: share(Number(row.tokens), toolTotal),
        };
      })
      .sort((a, b) => b.tokens - a.tokens || a.toolType.localeCompare(b.toolType)),
  };
}
