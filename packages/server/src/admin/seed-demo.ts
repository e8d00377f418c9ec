import { LIMITS } from "@modu-arena/core";
import { users } from "@modu-arena/db";
import { count } from "drizzle-orm";
import type { AppContext } from "../context";
import { ingestSessions } from "../services/ingest/ingest-sessions";
import { calculateRankings } from "../services/rankings/calculate-rankings";
import { createUser } from "../services/users/create-user";
import { generateDemoUsers } from "./demo-data";

export const DEMO_USER_COUNT = 220;

/** Fills an empty database with demo users through the real ingest path, then ranks them. */
export async function seedDemoData(
  ctx: AppContext,
  userCount = DEMO_USER_COUNT,
): Promise<{ users: number; sessions: number }> {
  const demo = generateDemoUsers(userCount, ctx.clock.now());
  let sessions = 0;
  for (const user of demo) {
    const created = await createUser(ctx, {
      username: user.username,
      privacyMode: user.privacyMode,
      withApiKey: false,
    });
    for (let offset = 0; offset < user.sessions.length; offset += LIMITS.maxBatchSize) {
      const batch = user.sessions.slice(offset, offset + LIMITS.maxBatchSize);
      const outcome = await ingestSessions(ctx, created.id, batch, { ipAddress: "seed" }, "batch");
      sessions += outcome.summary.created;
    }
  }
  await calculateRankings(ctx);
  return { users: demo.length, sessions };
}

export async function isDatabaseEmpty(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}
