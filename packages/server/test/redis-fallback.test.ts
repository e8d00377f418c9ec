import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession, signedPost } from "./helpers";

// Nothing listens on this port: Redis is "down" from the start.
let test: TestContext;
beforeAll(async () => {
  test = await createTestContext({ env: { REDIS_URL: "redis://127.0.0.1:6390", RATE_LIMIT_API_PER_MIN: "2" } });
});
afterAll(async () => test.close());

describe("with Redis unavailable", () => {
  it("keeps serving reads and writes from the database", async () => {
    expect(test.ctx.cache.kind).toBe("redis");
    const app = createApiApp(test.ctx);
    const user = await createUser(test.ctx, { username: "no-redis" });
    const res = await signedPost(
      app,
      "/api/v1/sessions",
      user.apiKey!,
      makeSession(),
      Math.floor(test.clock.now().getTime() / 1000),
    );
    expect(res.status).toBe(200);
    await calculateRankings(test.ctx);
    const board = await app.request("/api/leaderboard?period=all_time");
    expect(board.status).toBe(200);
    expect((await board.json()).data[0].username).toBe("no-redis");
  });

  it("still enforces rate limits with the in-memory insurance limiter", async () => {
    const app = createApiApp(test.ctx);
    const user = await createUser(test.ctx, { username: "no-redis-limited" });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      statuses.push((await app.request("/api/v1/verify", { headers: { "x-api-key": user.apiKey! } })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
