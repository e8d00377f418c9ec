import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import {
  SESSION_NUMBER_COLUMNS,
  type SessionNumberRow,
  type SessionNumbers,
  toSessionNumbers,
} from "../dashboard/queries/session-numbers";

export interface ExportedSession extends SessionNumbers {
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
  /** Part of outputTokens. */
  reasoningTokens: number;
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

interface SessionRow extends SessionNumberRow {
  modified: number | null;
  created: number | null;
  tool_usage: Record<string, number> | null;
}

/**
 * The user's own history as stored: the numbers of each kept session and each daily row. Session ids,
 * project ids and anything else that is not a measurement stay out.
 */
export async function exportUserData(ctx: AppContext, userId: string): Promise<UserExport> {
  const [user] = await queryRows<{ username: string }>(ctx.db, sql`SELECT username FROM users WHERE id = ${userId}`);
  if (!user) throw new ServiceError("not_found", "Account not found");
  const sessions = await queryRows<SessionRow>(
    ctx.db,
    sql`SELECT ${SESSION_NUMBER_COLUMNS}, (code_metrics ->> 'filesModified')::float8 AS modified,
          (code_metrics ->> 'filesCreated')::float8 AS created, tool_usage
        FROM sessions WHERE user_id = ${userId} ORDER BY ended_at, id`,
  );
  const days = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, input_tokens::float8 AS input, output_tokens::float8 AS output,
          cache_creation_tokens::float8 AS cache_creation, cache_read_tokens::float8 AS cache_read,
          reasoning_tokens::float8 AS reasoning, total_tokens::float8 AS total, session_count, by_tool, by_model
        FROM daily_user_stats WHERE user_id = ${userId} ORDER BY stat_date`,
  );
  return {
    format: "modu-arena-takeout",
    version: 1,
    exportedAt: ctx.clock.now().toISOString(),
    username: user.username,
    sessions: sessions.map((row) => ({
      ...toSessionNumbers(row),
      filesModified: Number(row.modified ?? 0),
      filesCreated: Number(row.created ?? 0),
      toolUsage: row.tool_usage ?? {},
    })),
    dailyStats: days.map((row) => ({
      date: String(row.day),
      inputTokens: Number(row.input),
      outputTokens: Number(row.output),
      cacheCreationTokens: Number(row.cache_creation),
      cacheReadTokens: Number(row.cache_read),
      reasoningTokens: Number(row.reasoning),
      totalTokens: Number(row.total),
      sessions: Number(row.session_count),
      byTool: (row.by_tool as ExportedDay["byTool"]) ?? {},
      byModel: (row.by_model as ExportedDay["byModel"]) ?? {},
    })),
  };
}
