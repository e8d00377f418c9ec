import { z } from "zod";
import type { AppContext } from "../../../context";
import { getRecentSessions, type RecentSession } from "./get-recent-sessions";

export interface SessionPage {
  sessions: RecentSession[];
  /** Opaque; pass back as `cursor` for the next (older) page. Null on the last page. */
  nextCursor: string | null;
}

const cursorSchema = z.object({ e: z.iso.datetime({ offset: true }), i: z.uuid() });

function encodeCursor(session: RecentSession): string {
  return Buffer.from(JSON.stringify({ e: session.endedAt, i: session.id })).toString("base64url");
}

function decodeCursor(cursor: string): { endedAt: string; id: string } | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? { endedAt: parsed.data.e, id: parsed.data.i } : null;
  } catch {
    return null;
  }
}

/** One page of the user's own sessions for the dashboard table, newest first; a bad cursor restarts. */
export async function listSessionPage(
  ctx: AppContext,
  userId: string,
  options: { limit?: number; cursor?: string } = {},
): Promise<SessionPage> {
  const limit = Math.max(1, Math.min(options.limit ?? 20, 100));
  const before = options.cursor ? (decodeCursor(options.cursor) ?? undefined) : undefined;
  const rows = await getRecentSessions(ctx, userId, limit + 1, before);
  const sessions = rows.slice(0, limit);
  return { sessions, nextCursor: rows.length > limit ? encodeCursor(sessions.at(-1)!) : null };
}
