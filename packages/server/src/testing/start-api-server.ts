import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { userStats } from "@modu-arena/db";
import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { createApiApp } from "../http/app";
import { systemClock } from "../infra/clock";
import { createUser } from "../services/users/create-user";
import { createTestContext } from "./test-context";

export interface RunningApiServer {
  url: string;
  ctx: AppContext;
  createUser(username: string): Promise<{ apiKey: string; id: string }>;
  getUserTotals(username: string): Promise<{
    inputTokens: number;
    outputTokens: number;
    cacheCreationTokens: number;
    cacheReadTokens: number;
    reasoningTokens: number;
    totalSessions: number;
  }>;
  close(): Promise<void>;
}

/** The real API on a loopback port over a fresh database, for end-to-end tests of clients (the CLI). */
export async function startApiServer(options: { env?: Record<string, string> } = {}): Promise<RunningApiServer> {
  const test = await createTestContext({ env: options.env });
  // End-to-end clients sign with the real time, so the server must use it too.
  const ctx: AppContext = { ...test.ctx, clock: systemClock };
  const app = createApiApp(ctx);
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    createUser: async (username) => {
      const user = await createUser(ctx, { username });
      return { apiKey: user.apiKey!, id: user.id };
    },
    getUserTotals: async (username) => {
      const [row] = await ctx.db
        .select({
          inputTokens: userStats.totalInputTokens,
          outputTokens: userStats.totalOutputTokens,
          cacheCreationTokens: userStats.totalCacheCreationTokens,
          cacheReadTokens: userStats.totalCacheReadTokens,
          reasoningTokens: userStats.totalReasoningTokens,
          totalSessions: userStats.totalSessions,
        })
        .from(userStats)
        .where(eq(userStats.userId, sql`(SELECT id FROM users WHERE lower(username) = lower(${username}))`));
      if (!row) throw new Error(`no such user: ${username}`);
      return row;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await test.close();
    },
  };
}
