import type { Hono } from "hono";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../src/context";
import { createAppContext, type RunningContext } from "../src/create-context";
import { createApiApp } from "../src/http/app";
import { createLogger } from "../src/infra/logger";
import { readLatestCode } from "../src/services/mail/dev-outbox";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, signUp } from "./auth-helpers";

// Two contexts on one database are two instances; a context opened later is the server after a restart.
let test: TestContext;
const extraInstances: RunningContext[] = [];

async function openInstance(): Promise<{ ctx: AppContext; app: Hono }> {
  const running = await createAppContext(test.ctx.config, {
    dbHandle: test.dbHandle,
    clock: test.clock,
    log: createLogger("silent"),
  });
  extraInstances.push(running);
  return { ctx: running.ctx, app: createApiApp(running.ctx) };
}

beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "1000", RATE_LIMIT_SENSITIVE_PER_MIN: "1000" } });
});
afterAll(async () => {
  // The extra instances share the test's database: only their Redis connections are theirs to close.
  for (const running of extraInstances) running.redis?.disconnect();
  await test.close();
});

const me = (app: Hono, bearer: string) => jsonRequest(app, "GET", "/api/me", undefined, { bearer, origin: null });
const login = async (app: Hono, name: string, password: string): Promise<string> => {
  const res = await jsonRequest(app, "POST", "/api/auth/login", { login: name, password });
  expect(res.status).toBe(200);
  return (await res.json()).token;
};

describe("session revocation lives in the database", () => {
  it("a signed-out session stays out on every instance and after a restart", async () => {
    const one = await openInstance();
    const two = await openInstance();
    const ann = await signUp(one.app, one.ctx, "ann", "ann's long password");
    const onTwo = await login(two.app, "ann", "ann's long password");
    expect((await me(two.app, ann.token)).status).toBe(200);

    const out = await jsonRequest(one.app, "POST", "/api/auth/logout", undefined, { bearer: ann.token, origin: null });
    expect(out.status).toBe(200);
    // Sign-out ends every session of the user, the one held on the other instance too.
    expect((await me(one.app, ann.token)).status).toBe(401);
    expect((await me(two.app, ann.token)).status).toBe(401);
    expect((await me(two.app, onTwo)).status).toBe(401);
    const restarted = await openInstance();
    expect((await me(restarted.app, ann.token)).status).toBe(401);
    expect((await me(restarted.app, onTwo)).status).toBe(401);
    // Signing in again works, on any instance.
    expect((await me(restarted.app, await login(one.app, "ann", "ann's long password"))).status).toBe(200);
  });

  it("the anonymous page views that evict an in-memory cache bring no session back", async () => {
    const one = await openInstance();
    const ben = await signUp(one.app, one.ctx, "ben", "ben's long password");
    await jsonRequest(one.app, "POST", "/api/auth/logout", undefined, { bearer: ben.token, origin: null });
    for (let entry = 0; entry < 10_001; entry++) await one.ctx.cache.set(`filler:${entry}`, entry, 600);
    expect((await me(one.app, ben.token)).status).toBe(401);
  });

  it("a password change on one instance ends the other sessions everywhere, keeping the new one", async () => {
    const one = await openInstance();
    const two = await openInstance();
    const cat = await signUp(one.app, one.ctx, "cat", "cat's long password");
    const onTwo = await login(two.app, "cat", "cat's long password");
    const changed = await jsonRequest(
      two.app,
      "POST",
      "/api/me/password",
      { currentPassword: "cat's long password", newPassword: "cat's newer password" },
      { bearer: onTwo, origin: null },
    );
    expect(changed.status).toBe(200);
    const fresh = (await changed.json()).token;
    expect((await me(one.app, cat.token)).status).toBe(401);
    expect((await me(one.app, onTwo)).status).toBe(401);
    expect((await me(one.app, fresh)).status).toBe(200);
    expect((await me((await openInstance()).app, fresh)).status).toBe(200);
  });

  it("a password reset ends every earlier session on every instance", async () => {
    const one = await openInstance();
    const two = await openInstance();
    const dee = await signUp(one.app, one.ctx, "dee", "dee's long password");
    test.clock.advance(61_000);
    const sent = await jsonRequest(two.app, "POST", "/api/auth/password-reset/send-code", { email: "dee@example.com" });
    expect(sent.status).toBe(200);
    const code = await readLatestCode(two.ctx, "dee@example.com");
    const reset = await jsonRequest(two.app, "POST", "/api/auth/password-reset", {
      email: "dee@example.com",
      code,
      newPassword: "dee's reset password",
    });
    expect(reset.status).toBe(200);
    expect((await me(one.app, dee.token)).status).toBe(401);
    expect((await me((await openInstance()).app, dee.token)).status).toBe(401);
    expect((await me(one.app, (await reset.json()).token)).status).toBe(200);
  });

  it("a deleted account's sessions end everywhere", async () => {
    const one = await openInstance();
    const two = await openInstance();
    const eve = await signUp(one.app, one.ctx, "eve", "eve's long password");
    const onTwo = await login(two.app, "eve", "eve's long password");
    const deleted = await jsonRequest(
      one.app,
      "DELETE",
      "/api/me",
      { password: "eve's long password" },
      { bearer: eve.token, origin: null },
    );
    expect(deleted.status).toBe(200);
    expect((await me(two.app, onTwo)).status).toBe(401);
    expect((await me((await openInstance()).app, onTwo)).status).toBe(401);
  });

  it("refuses a validly signed token that carries no session generation", async () => {
    const one = await openInstance();
    const fay = await signUp(one.app, one.ctx, "fay", "fay's long password");
    const claims = JSON.parse(Buffer.from(fay.token.split(".")[1]!, "base64url").toString());
    delete claims.gen;
    const legacy = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode(test.ctx.config.jwtSecret));
    expect((await me(one.app, fay.token)).status).toBe(200);
    expect((await me(one.app, legacy)).status).toBe(401);
  });
});

describe("with Redis unreachable", () => {
  it("a signed-out session stays out: no cache error counts as valid", async () => {
    // Nothing listens on this port: every cache read fails.
    const down = await createTestContext({
      env: { REDIS_URL: "redis://127.0.0.1:6390", RATE_LIMIT_AUTH_PER_MIN: "1000" },
    });
    try {
      expect(down.ctx.cache.kind).toBe("redis");
      const app = createApiApp(down.ctx);
      const gus = await signUp(app, down.ctx, "gus", "gus's long password");
      expect((await me(app, gus.token)).status).toBe(200);
      await jsonRequest(app, "POST", "/api/auth/logout", undefined, { bearer: gus.token, origin: null });
      expect((await me(app, gus.token)).status).toBe(401);
    } finally {
      await down.close();
    }
  });
});
