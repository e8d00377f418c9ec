import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";

export interface ExportedSession {
  toolType: string;
  modelName: string | null;
  startedAt: string | null;
  endedAt: string;
  durationSeconds: number | null;
  turnCount: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  linesAdded: number;
  linesDeleted: number;
  filesModified: number;
  filesCreated: number;
  toolUsage: Record<string, number>;
}

export interface ExportedDay {
  date: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  sessions: number;
  byTool: Record<string, { tokens: number; sessions: number }>;
  byModel: Record<string, number>;
}

export interface UserExport {
  format: "modu-arena-takeout";
  version: 1;
  exportedAt: string;
  username: string;
  sessions: ExportedSession[];
  dailyStats: ExportedDay[];
}

/**
 * The user's own history as stored: the numbers of each kept session and each daily row. Session ids,
 * project ids and anything else that is not a measurement stay out.
 */
export async function exportUserData(ctx: AppContext, userId: string): Promise<UserExport> {
  const [user] = await queryRows<{ username: string }>(ctx.db, sql`SELECT username FROM users WHERE id = ${userId}`);
  if (!user) throw new ServiceError("not_found", "Account not found");
  const sessions = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT tool_type_id, model_name, started_at, ended_at, duration_seconds, turn_count,
          input_tokens::float8 AS input, output_tokens::float8 AS output,
          cache_creation_tokens::float8 AS cache_creation, cache_read_tokens::float8 AS cache_read,
          code_metrics, tool_usage
        FROM sessions WHERE user_id = ${userId} ORDER BY ended_at, id`,
  );
  const days = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, input_tokens::float8 AS input, output_tokens::float8 AS output,
          cache_creation_tokens::float8 AS cache_creation, cache_read_tokens::float8 AS cache_read,
          total_tokens::float8 AS total, session_count, by_tool, by_model
        FROM daily_user_stats WHERE user_id = ${userId} ORDER BY stat_date`,
  );
  const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
  return {
    format: "modu-arena-takeout",
    version: 1,
    exportedAt: ctx.clock.now().toISOString(),
    username: user.username,
    sessions: sessions.map((row) => {
      const metrics = (row.code_metrics ?? {}) as Record<string, number>;
      return {
        toolType: String(row.tool_type_id),
        modelName: (row.model_name as string | null) ?? null,
        startedAt: iso(row.started_at),
        endedAt: iso(row.ended_at)!,
        durationSeconds: (row.duration_seconds as number | null) ?? null,
        turnCount: (row.turn_count as number | null) ?? null,
        inputTokens: Number(row.input),
        outputTokens: Number(row.output),
        cacheCreationTokens: Number(row.cache_creation),
        cacheReadTokens: Number(row.cache_read),
        linesAdded: Number(metrics.linesAdded ?? 0),
        linesDeleted: Number(metrics.linesDeleted ?? 0),
        filesModified: Number(metrics.filesModified ?? 0),
        filesCreated: Number(metrics.filesCreated ?? 0),
        toolUsage: (row.tool_usage as Record<string, number> | null) ?? {},
      };
    }),
    dailyStats: days.map((row) => ({
      date: String(row.day),
      inputTokens: Number(row.input),
      outputTokens: Number(row.output),
      cacheCreationTokens: Number(row.cache_creation),
      cacheReadTokens: Number(row.cache_read),
      totalTokens: Number(row.total),
      sessions: Number(row.session_count),
      byTool: (row.by_tool as ExportedDay["byTool"]) ?? {},
      byModel: (row.by_model as ExportedDay["byModel"]) ?? {},
    })),
  };
}
