import { users } from "@modu-arena/db";
import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../../context";

/** Stores a new password hash and, in the same statement, ends every session; returns the new generation. */
export async function setPasswordEndingSessions(
  ctx: Pick<AppContext, "db" | "clock">,
  userId: string,
  passwordHash: string,
): Promise<number> {
  const [row] = await ctx.db
    .update(users)
    .set({ passwordHash, sessionGeneration: sql`${users.sessionGeneration} + 1`, updatedAt: ctx.clock.now() })
    .where(eq(users.id, userId))
    .returning({ sessionGeneration: users.sessionGeneration });
  return row?.sessionGeneration ?? 0;
}
