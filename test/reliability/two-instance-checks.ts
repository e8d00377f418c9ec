import type { Db } from "@modu-arena/db";
import { sql } from "drizzle-orm";

/** Many key-authenticated requests for one user, alternating between instances, all at once. */
export async function checkSharedRateLimit(urls: string[], apiKey: string, limit: number) {
  const sent = limit * 3;
  const statuses = await Promise.all(
    Array.from({ length: sent }, async (_, index) => {
      const res = await fetch(`${urls[index % urls.length]}/api/v1/verify`, { headers: { "x-api-key": apiKey } });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  const accepted = statuses.filter((status) => status === 200).length;
  const refused = statuses.filter((status) => status === 429).length;
  return { sent, accepted, refused, instances: urls.length };
}

/**
 * Both instances trigger the ranking job at once while this test holds the rankings table: the one that
 * gets the advisory lock waits on the table, so the other must answer `ran: false` rather than run too.
 */
export async function checkRankingRunsOnce(db: Db, urls: string[], cronSecret: string) {
  const trigger = (url: string) =>
    fetch(`${url}/api/cron/calculate-rankings`, { headers: { authorization: `Bearer ${cronSecret}` } }).then(
      async (res) => ({ status: res.status, body: (await res.json()) as { ran?: boolean } }),
    );
  let calls: Array<Promise<{ status: number; body: { ran?: boolean } }>> = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE rankings IN ACCESS EXCLUSIVE MODE`);
    calls = urls.map(trigger);
    // Hold the table until one instance has answered (or 15 s have passed).
    await Promise.race([Promise.any(calls), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  });
  const answers = await Promise.all(calls);
  return {
    triggered: answers.length,
    ran: answers.filter((answer) => answer.body.ran === true).length,
    statuses: answers.map((answer) => answer.status),
  };
}

/**
 * The reader caches a profile and a leaderboard page, the writer records a session and recomputes the
 * rankings (which invalidates the shared cache): the reader must then answer with the new totals.
 */
export async function checkCacheSharing(options: {
  writer: string;
  reader: string;
  account: { username: string; apiKey: string };
  cronSecret: string;
  sign: (body: string, timestamp: number) => string;
}) {
  const { writer, reader, account } = options;
  const readProfile = async () =>
    ((await (await fetch(`${reader}/api/users/${account.username}`)).json()) as { stats: { totalTokens: number } })
      .stats.totalTokens;
  const readBoard = async () => {
    const board = (await (await fetch(`${reader}/api/leaderboard?period=all_time&limit=100`)).json()) as {
      data: Array<{ username: string; totalTokens: number }>;
    };
    return board.data.find((entry) => entry.username === account.username)?.totalTokens ?? 0;
  };
  const profileBefore = await readProfile();
  const boardBefore = await readBoard();
  const body = JSON.stringify({
    toolType: "codex",
    sessionId: `cache-check-${Date.now()}`,
    endedAt: new Date(Date.now() - 60_000).toISOString(),
    inputTokens: 1000,
    outputTokens: 500,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const posted = await fetch(`${writer}/api/v1/sessions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": account.apiKey,
      "x-timestamp": String(timestamp),
      "x-signature": options.sign(body, timestamp),
    },
    body,
  });
  const staleProfile = await readProfile();
  const ranked = await fetch(`${writer}/api/cron/calculate-rankings`, {
    headers: { authorization: `Bearer ${options.cronSecret}` },
  });
  const profileAfter = await readProfile();
  const boardAfter = await readBoard();
  return {
    posted: posted.status,
    ranked: ranked.status,
    profileBefore,
    staleProfile,
    profileAfter,
    boardBefore,
    boardAfter,
    readerSawUpdate: profileAfter === profileBefore + 1500 && boardAfter === boardBefore + 1500,
  };
}
