import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

let test: TestContext;
beforeAll(async () => {
  test = await createTestContext();
});
afterAll(async () => test.close());

/** Reasoning as stored on the session and in every aggregate that counts it. */
async function reasoningOf(userId: string) {
  const [row] = await queryRows<Record<string, number>>(
    test.ctx.db,
    sql`SELECT
          (SELECT coalesce(sum(reasoning_tokens), 0)::float8 FROM sessions WHERE user_id = ${userId}) AS sessions,
          (SELECT coalesce(sum(reasoning_tokens), 0)::float8 FROM token_usage WHERE user_id = ${userId}) AS ledger,
          (SELECT coalesce(sum(reasoning_tokens), 0)::float8 FROM daily_user_stats WHERE user_id = ${userId}) AS daily,
          (SELECT total_reasoning_tokens::float8 FROM user_stats WHERE user_id = ${userId}) AS totals`,
  );
  return row!;
}
const everywhere = (amount: number) => ({ sessions: amount, ledger: amount, daily: amount, totals: amount });

describe("reasoning tokens", () => {
  it("are stored with a new session and added to every aggregate", async () => {
    const user = await createUser(test.ctx, { username: "thinker_new" });
    const outcome = await ingestSessions(
      test.ctx,
      user.id,
      [makeSession({ sessionId: "a", reasoningTokens: 300 }), makeSession({ sessionId: "b", reasoningTokens: 45 })],
      {},
      "batch",
    );
    expect(outcome.summary.created).toBe(2);
    expect(await reasoningOf(user.id)).toEqual(everywhere(345));
  });

  it("grow like the other totals when a known session is sent again", async () => {
    const user = await createUser(test.ctx, { username: "thinker_grow" });
    await ingestSessions(test.ctx, user.id, [makeSession({ reasoningTokens: 300 })], {}, "single");
    const grown = await ingestSessions(
      test.ctx,
      user.id,
      [makeSession({ outputTokens: 9000, reasoningTokens: 1000 })],
      {},
      "single",
    );
    expect(grown.results[0]!.status).toBe("updated");
    expect(await reasoningOf(user.id)).toEqual(everywhere(1000));
    const [ledger] = await queryRows<{ amounts: number[] }>(
      test.ctx.db,
      sql`SELECT array_agg(reasoning_tokens::float8 ORDER BY id) AS amounts FROM token_usage WHERE user_id = ${user.id}`,
    );
    expect(ledger!.amounts).toEqual([300, 700]);
  });

  it("are unchanged, not zeroed, by a resend that omits them", async () => {
    const user = await createUser(test.ctx, { username: "thinker_omit" });
    await ingestSessions(test.ctx, user.id, [makeSession({ reasoningTokens: 300 })], {}, "single");
    const same = await ingestSessions(test.ctx, user.id, [makeSession()], {}, "single");
    expect(same.results[0]!.status).toBe("duplicate");
    const grown = await ingestSessions(test.ctx, user.id, [makeSession({ outputTokens: 9000 })], {}, "single");
    expect(grown.results[0]!.status).toBe("updated");
    expect(await reasoningOf(user.id)).toEqual(everywhere(300));
  });

  it("count as 0 for a client that never sends them", async () => {
    const user = await createUser(test.ctx, { username: "thinker_old_client" });
    await ingestSessions(test.ctx, user.id, [makeSession()], {}, "single");
    await ingestSessions(test.ctx, user.id, [makeSession({ outputTokens: 9000 })], {}, "single");
    expect(await reasoningOf(user.id)).toEqual(everywhere(0));
  });

  it("keep a batch's earlier figure when a later copy of the session omits them", async () => {
    const user = await createUser(test.ctx, { username: "thinker_batch" });
    const outcome = await ingestSessions(
      test.ctx,
      user.id,
      [makeSession({ reasoningTokens: 300 }), makeSession({ outputTokens: 9000 })],
      {},
      "batch",
    );
    expect(outcome.results.map((result) => result.status)).toEqual(["created", "created"]);
    expect(await reasoningOf(user.id)).toEqual(everywhere(300));
  });

  it("refuse a resend with less reasoning than recorded, changing nothing", async () => {
    const user = await createUser(test.ctx, { username: "thinker_shrunk" });
    await ingestSessions(test.ctx, user.id, [makeSession({ reasoningTokens: 300 })], {}, "single");
    const shrunk = await ingestSessions(test.ctx, user.id, [makeSession({ reasoningTokens: 200 })], {}, "single");
    expect(shrunk.results[0]!.error).toMatchObject({
      code: "session_shrunk",
      fields: { reasoningTokens: "recorded 300, sent 200" },
    });
    expect(await reasoningOf(user.id)).toEqual(everywhere(300));
  });
});
