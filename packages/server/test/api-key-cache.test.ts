import { users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { createLogger } from "../src/infra/logger";
import { createRedisBroadcast } from "../src/infra/redis-broadcast";
import { createApiKeyCache } from "../src/services/api-keys/api-key-cache";
import { generateApiKey } from "../src/services/api-keys/api-key-crypto";
import type { ApiKeyUser } from "../src/services/api-keys/authenticate-api-key";
import { revokeApiKey, rotateApiKey } from "../src/services/api-keys/rotate-api-key";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";

const someone = (id: string): ApiKeyUser => ({
  id,
  username: id,
  privacyMode: false,
  apiKeyPrefix: "modu_arena_abcdefgh",
  apiKeyCreatedAt: null,
  createdAt: new Date(0),
});

describe("createApiKeyCache", () => {
  it("answers until the entry expires", () => {
    let now = 1_000;
    const cache = createApiKeyCache({ ttlMs: 5_000, now: () => now });
    cache.set("hash-a", someone("a"));
    now += 4_999;
    expect(cache.get("hash-a")?.id).toBe("a");
    now += 1;
    expect(cache.get("hash-a")).toBeUndefined();
  });

  it("keeps one key per user: a new hash replaces the old one", () => {
    const cache = createApiKeyCache({ ttlMs: 5_000, now: () => 0 });
    cache.set("old", someone("a"));
    cache.set("new", someone("a"));
    expect(cache.get("old")).toBeUndefined();
    expect(cache.get("new")?.id).toBe("a");
  });

  it("forgets a user, telling the other instances", async () => {
    const told: string[] = [];
    const cache = createApiKeyCache({ ttlMs: 5_000, now: () => 0, broadcast: async (id) => void told.push(id) });
    cache.set("hash-a", someone("a"));
    cache.set("hash-b", someone("b"));
    await cache.forgetUser("a");
    expect(cache.get("hash-a")).toBeUndefined();
    expect(cache.get("hash-b")?.id).toBe("b");
    expect(told).toEqual(["a"]);
  });

  it("evicts the oldest entry when full, and caches nothing with a TTL of 0", () => {
    const cache = createApiKeyCache({ ttlMs: 5_000, now: () => 0, maxEntries: 2 });
    cache.set("h1", someone("1"));
    cache.set("h2", someone("2"));
    cache.set("h3", someone("3"));
    expect([cache.get("h1"), cache.get("h2")?.id, cache.get("h3")?.id]).toEqual([undefined, "2", "3"]);
    const off = createApiKeyCache({ ttlMs: 0, now: () => 0 });
    off.set("h1", someone("1"));
    expect(off.get("h1")).toBeUndefined();
  });
});

describe("API-key authentication with the cache", () => {
  let test: TestContext;
  beforeAll(async () => {
    test = await createTestContext({ env: { API_KEY_CACHE_SECONDS: "5" } });
  });
  afterAll(async () => test.close());

  const verify = async (apiKey: string) =>
    (await createApiApp(test.ctx).request("/api/v1/verify", { headers: { "x-api-key": apiKey } })).status;

  it("refuses a rotated or revoked key at once, though it was just cached", async () => {
    const user = await createUser(test.ctx, { username: "rotator" });
    expect(await verify(user.apiKey!)).toBe(200);
    const { apiKey: next } = await rotateApiKey(test.ctx, user.id);
    expect(await verify(user.apiKey!)).toBe(401);
    expect(await verify(next)).toBe(200);
    await revokeApiKey(test.ctx, user.id);
    expect(await verify(next)).toBe(401);
  });

  it("bounds a change made behind its back (no broadcast) to the TTL", async () => {
    const user = await createUser(test.ctx, { username: "elsewhere" });
    expect(await verify(user.apiKey!)).toBe(200);
    const replacement = generateApiKey();
    await test.ctx.db.update(users).set({ apiKeyHash: replacement.hash }).where(eq(users.id, user.id));
    expect(await verify(user.apiKey!)).toBe(200);
    test.clock.advance(5_001);
    expect(await verify(user.apiKey!)).toBe(401);
    expect(await verify(replacement.apiKey)).toBe(200);
  });

  it.runIf(process.env.TEST_REDIS_URL)("tells the other instances through Redis to forget a rotated key", async () => {
    const user = await createUser(test.ctx, { username: "broadcaster" });
    const otherRedis = new Redis(process.env.TEST_REDIS_URL!);
    const otherCache = createApiKeyCache({ ttlMs: 60_000, now: () => Date.now() });
    const channel = `${test.ctx.config.redisPrefix}forget-api-key`;
    const subscription = createRedisBroadcast(
      otherRedis,
      channel,
      otherCache.forgetUserLocally,
      createLogger("silent"),
    );
    try {
      otherCache.set("hash-of-old-key", { ...someone(user.id) });
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the subscription settle
      await rotateApiKey(test.ctx, user.id);
      for (let attempt = 0; attempt < 50 && otherCache.get("hash-of-old-key"); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(otherCache.get("hash-of-old-key")).toBeUndefined();
    } finally {
      subscription.close();
      otherRedis.disconnect();
    }
  });
});
