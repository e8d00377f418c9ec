import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../context";
import {
  SESSION_NUMBER_COLUMNS,
  type SessionNumberRow,
  type SessionNumbers,
  toSessionNumbers,
} from "./session-numbers";

export interface RecentSession extends SessionNumbers {
  id: string;
}

/**
 * The user's latest sessions, newest first (a backward scan of the (user_id, ended_at) index); `before`
 * continues after a session already shown (keyset paging, stable while new sessions arrive).
 */
export async function getRecentSessions(
  ctx: AppContext,
  userId: string,
  limit = 20,
  before?: { endedAt: string; id: string },
): Promise<RecentSession[]> {
  const rows = await queryRows<SessionNumberRow & { id: string }>(
    ctx.db,
    sql`SELECT id, ${SESSION_NUMBER_COLUMNS}
        FROM sessions WHERE user_id = ${userId}
          ${before ? sql`AND (ended_at, id) < (${before.endedAt}::timestamptz, ${before.id}::uuid)` : sql``}
        ORDER BY ended_at DESC, id DESC
        LIMIT ${Math.max(1, Math.min(limit, 101))}`,
  );
  return rows.map((row) => ({ id: row.id, ...toSessionNumbers(row) }));
}
