import { signRequest } from "@modu-arena/core";
import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SQL_METACHARACTERS } from "../../../test/reliability/hostile-input";
import { diffSnapshots, snapshotStore } from "../../../test/reliability/store-snapshot";
import { createApiApp } from "../src/http/app";
import { revokeApiKey, rotateApiKey } from "../src/services/api-keys/rotate-api-key";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { forgedKey, makeSession, signedPost } from "./helpers";

let test: TestContext;
let app: Hono;
let apiKey: string;
let userId: string;
const now = () => Math.floor(test.clock.now().getTime() / 1000);
const snapshot = () => snapshotStore(test.ctx.db);

beforeAll(async () => {
  test = await createTestContext();
  app = createApiApp(test.ctx);
  const user = await createUser(test.ctx, { username: "target" });
  apiKey = user.apiKey!;
  userId = user.id;
  expect((await signedPost(app, "/api/v1/sessions", apiKey, makeSession({ sessionId: "seed" }), now())).status).toBe(
    200,
  );
});
afterAll(async () => test.close());

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe("signed ingest under attack", () => {
  it("a replayed request (same body, timestamp and signature) changes nothing", async () => {
    const raw = JSON.stringify(makeSession({ sessionId: "replayed", inputTokens: 700 }));
    const timestamp = now();
    const signature = signRequest(apiKey, timestamp, raw);
    const send = () => signedPost(app, "/api/v1/sessions", apiKey, null, timestamp, { rawBody: raw, signature });
    expect((await send()).status).toBe(200);
    const before = await snapshot();
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await send();
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ duplicate: true });
    }
    expect(diffSnapshots(before, await snapshot())).toEqual([]);
  });

  it("refuses expired and future timestamps, forged signatures and signatures over another body", async () => {
    const before = await snapshot();
    const body = makeSession({ sessionId: "attack", inputTokens: 10 ** 9 });
    const raw = JSON.stringify(body);
    const other = JSON.stringify(makeSession({ sessionId: "attack", inputTokens: 1 }));
    const cases: Array<[string, Parameters<typeof signedPost>[5]]> = [
      ["timestamp_expired", { timestamp: now() - 301 }],
      ["timestamp_expired", { timestamp: now() + 301 }],
      ["timestamp_expired", { timestamp: 0 }],
      ["signature_invalid", { signature: "0".repeat(64) }],
      ["signature_invalid", { signature: signRequest(apiKey, now(), other) }],
      ["signature_invalid", { signature: signRequest(forgedKey(apiKey), now(), raw) }],
      ["signature_invalid", { signature: signRequest(apiKey, now() - 1, raw) }],
      ["missing_signature", { signature: "" }],
    ];
    for (const [code, options] of cases) {
      const res = await signedPost(app, "/api/v1/sessions", apiKey, body, now(), options);
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe(code);
    }
    expect(diffSnapshots(before, await snapshot())).toEqual([]);
  });

  it("a rotated key stops working at once, and so does a revoked one", async () => {
    const user = await createUser(test.ctx, { username: "rotator" });
    const old = user.apiKey!;
    const rotated = await rotateApiKey(test.ctx, user.id);
    const before = await snapshot();
    const refused = await signedPost(app, "/api/v1/sessions", old, makeSession({ sessionId: "old-key" }), now());
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe("invalid_api_key");
    expect(diffSnapshots(before, await snapshot())).toEqual([]);
    expect((await app.request("/api/v1/verify", { headers: { "x-api-key": rotated.apiKey } })).status).toBe(200);
    await revokeApiKey(test.ctx, user.id);
    const revoked = await snapshot();
    for (const key of [old, rotated.apiKey]) {
      const res = await signedPost(app, "/api/v1/sessions", key, makeSession({ sessionId: "revoked" }), now());
      expect(res.status).toBe(401);
      expect((await app.request("/api/v1/rank", { headers: { "x-api-key": key } })).status).toBe(401);
    }
    expect(diffSnapshots(revoked, await snapshot())).toEqual([]);
  });
});

describe("SQL metacharacters in every query and path parameter", () => {
  it("are data, never SQL: 4xx or an empty answer, every table intact", async () => {
    const before = await snapshot();
    const paths: string[] = [];
    for (const text of SQL_METACHARACTERS) {
      const value = encodeURIComponent(text);
      paths.push(
        `/api/leaderboard?period=${value}`,
        `/api/leaderboard?limit=${value}`,
        `/api/leaderboard?offset=${value}`,
        `/api/leaderboard?period=weekly&limit=10&offset=0&${value}=${value}`,
        `/api/users/${value}`,
        `/api/badge/${value}.svg`,
        `/api/v1/verify?user=${value}`,
        `/api/v1/rank?period=${value}`,
      );
    }
    for (const path of paths) {
      const res = await app.request(path, { headers: { "x-api-key": apiKey } });
      expect(res.status, path).toBeLessThan(500);
      if (path.startsWith("/api/users/")) expect(res.status, path).toBe(404);
    }
    expect(diffSnapshots(before, await snapshot())).toEqual([]);
    const [row] = await queryRows<{ n: number }>(test.ctx.db, sql`SELECT count(*)::int AS n FROM users`);
    expect(row!.n).toBeGreaterThanOrEqual(2);
  });
});

describe("security headers on API answers", () => {
  it("sets nosniff, a referrer policy, frame denial and no-store on every kind of answer", async () => {
    const answers = [
      await app.request("/api/v1/status"),
      await app.request("/api/leaderboard"),
      await app.request("/api/users/nobody-here"),
      await app.request("/api/v1/rank", { headers: { "x-api-key": apiKey } }),
      await signedPost(app, "/api/v1/sessions", apiKey, {}, now()),
      await app.request("/api/no-such-route"),
    ];
    for (const res of answers) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBeTruthy();
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("cache-control")).toBeTruthy();
    }
    const rank = answers[3]!;
    expect(rank.headers.get("cache-control")).toBe("no-store");
  });
});

describe("rankings computed for users of every kind", () => {
  it("rank the seeded target (sanity for the privacy suite)", async () => {
    await calculateRankings(test.ctx);
    const res = await app.request("/api/v1/rank", { headers: { "x-api-key": apiKey } });
    expect((await res.json()).rankings.allTime).not.toBeNull();
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
