import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, SAME_ORIGIN, type SignedUp, sessionCookieOf, signUp } from "./auth-helpers";

let test: TestContext;
let app: Hono;

async function auditCount(eventType: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    test.ctx.db,
    sql`SELECT count(*)::int AS n FROM security_audit_log WHERE event_type = ${eventType}`,
  );
  return row!.n;
}

const _sendCode = (email: string) => jsonRequest(app, "POST", "/api/auth/send-code", { email });
const _verifyCode = (email: string, code: string | null) =>
  jsonRequest(app, "POST", "/api/auth/verify-code", { email, code });

beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "1000", RATE_LIMIT_SENSITIVE_PER_MIN: "1000" } });
  app = createApiApp(test.ctx);
});
afterAll(async () => test.close());

describe("sign-in, sessions and sign-out", () => {
  let bob: SignedUp;
  beforeAll(async () => {
    bob = await signUp(app, test.ctx, "bob", "bob's long password");
  });

  it("signs in with the username or the email, and refuses a wrong password (audited)", async () => {
    const byName = await jsonRequest(app, "POST", "/api/auth/login", { login: "BOB", password: "bob's long password" });
    expect(byName.status).toBe(200);
    expect((await byName.json()).user.username).toBe("bob");
    const byEmail = await jsonRequest(app, "POST", "/api/auth/login", {
      login: "bob@example.com",
      password: "bob's long password",
    });
    expect(byEmail.status).toBe(200);
    const failedBefore = await auditCount("login_failed");
    const wrong = await jsonRequest(app, "POST", "/api/auth/login", { login: "bob", password: "not the password" });
    expect(wrong.status).toBe(401);
    const unknown = await jsonRequest(app, "POST", "/api/auth/login", { login: "nobody", password: "whatever12" });
    expect(unknown.status).toBe(401);
    expect((await wrong.json()).error.message).toBe((await unknown.json()).error.message);
    expect(await auditCount("login_failed")).toBe(failedBefore + 2);
    const [details] = await queryRows<{ details: string }>(
      test.ctx.db,
      sql`SELECT details::text AS details FROM security_audit_log WHERE event_type = 'login_failed'`,
    );
    expect(details!.details).not.toContain("not the password");
  });

  it("refuses logins PostgreSQL could not even compare (NUL, lone surrogates) with a 400", async () => {
    for (const login of ["\u0000bob", "bob\ud800"]) {
      const res = await jsonRequest(app, "POST", "/api/auth/login", { login, password: "whatever-whatever" });
      expect(res.status).toBe(400);
    }
  });

  it("accepts the session as a bearer token (the CLI)", async () => {
    const res = await jsonRequest(app, "GET", "/api/me", undefined, { bearer: bob.token, origin: null });
    expect(res.status).toBe(200);
    expect((await res.json()).username).toBe("bob");
  });

  it("refuses a tampered JWT, a JWT signed with another secret, and no session", async () => {
    const [header, payload, signature] = bob.token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "00000000-0000-0000-0000-000000000000" })).toString(
      "base64url",
    );
    const tampered = await jsonRequest(app, "GET", "/api/me", undefined, {
      bearer: `${header}.${forged}.${signature}`,
    });
    expect(tampered.status).toBe(401);
    const otherSecret = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("another-secret-another-secret-0123456789"));
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { bearer: otherSecret })).status).toBe(401);
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.`;
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { bearer: none })).status).toBe(401);
    expect((await jsonRequest(app, "GET", "/api/me")).status).toBe(401);
  });

  it("refuses an expired JWT", async () => {
    const login = await jsonRequest(app, "POST", "/api/auth/login", { login: "bob", password: "bob's long password" });
    const { token } = await login.json();
    test.clock.advance(7 * 86_400_000 + 1_000);
    const res = await jsonRequest(app, "GET", "/api/me", undefined, { bearer: token });
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/expired/);
  });

  it("signs out: the cookie is cleared and the token stops working", async () => {
    const login = await jsonRequest(app, "POST", "/api/auth/login", { login: "bob", password: "bob's long password" });
    const cookie = sessionCookieOf(login);
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { cookie })).status).toBe(200);
    const out = await jsonRequest(app, "POST", "/api/auth/logout", undefined, { cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/modu_session=;.*Max-Age=0/i);
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { cookie })).status).toBe(401);
  });

  it("refuses cross-site writes with the cookie, and cross-site sign-in forms", async () => {
    const login = await jsonRequest(app, "POST", "/api/auth/login", { login: "bob", password: "bob's long password" });
    const cookie = sessionCookieOf(login);
    const { token } = await login.json();
    const evil = await jsonRequest(
      app,
      "PATCH",
      "/api/me/settings",
      { privacyMode: true },
      {
        cookie,
        origin: "https://evil.example",
      },
    );
    expect(evil.status).toBe(403);
    const noProof = await jsonRequest(
      app,
      "PATCH",
      "/api/me/settings",
      { privacyMode: true },
      { cookie, origin: null },
    );
    expect(noProof.status).toBe(403);
    const fetchSite = await jsonRequest(
      app,
      "PATCH",
      "/api/me/settings",
      { displayName: "Bob" },
      {
        cookie,
        origin: null,
        headers: { "sec-fetch-site": "same-origin" },
      },
    );
    expect(fetchSite.status).toBe(200);
    // Behind a TLS-terminating proxy the request looks like http; the https origin of the same host is ours.
    const proxied = (origin: string) =>
      app.request("http://arena.example.com/api/me/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json", cookie, origin },
        body: JSON.stringify({ displayName: "Bob" }),
      });
    expect((await proxied("https://arena.example.com")).status).toBe(200);
    expect((await proxied("https://evil.arena.example.com")).status).toBe(403);
    const crossLogin = await jsonRequest(
      app,
      "POST",
      "/api/auth/login",
      { login: "bob", password: "bob's long password" },
      {
        origin: "https://evil.example",
      },
    );
    expect(crossLogin.status).toBe(403);
    // Bearer requests carry no ambient credentials: the CLI needs no Origin.
    const cli = await jsonRequest(
      app,
      "PATCH",
      "/api/me/settings",
      { displayName: "Bob" },
      {
        bearer: token,
        origin: null,
      },
    );
    expect(cli.status).toBe(200);
    const [row] = await queryRows<{ privacy_mode: boolean }>(
      test.ctx.db,
      sql`SELECT privacy_mode FROM users WHERE username = 'bob'`,
    );
    expect(row!.privacy_mode).toBe(false);
  });

  it("ends other sessions when the password changes", async () => {
    const login = await jsonRequest(app, "POST", "/api/auth/login", { login: "bob", password: "bob's long password" });
    const oldCookie = sessionCookieOf(login);
    const wrong = await jsonRequest(
      app,
      "POST",
      "/api/me/password",
      {
        currentPassword: "nope nope nope",
        newPassword: "a brand new password",
      },
      { cookie: oldCookie },
    );
    expect(wrong.status).toBe(403);
    const changed = await jsonRequest(
      app,
      "POST",
      "/api/me/password",
      {
        currentPassword: "bob's long password",
        newPassword: "a brand new password",
      },
      { cookie: oldCookie },
    );
    expect(changed.status).toBe(200);
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { cookie: oldCookie })).status).toBe(401);
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { cookie: sessionCookieOf(changed) })).status).toBe(
      200,
    );
    expect(await auditCount("password_changed")).toBe(1);
    const relogin = await jsonRequest(app, "POST", "/api/auth/login", {
      login: "bob",
      password: "a brand new password",
    });
    expect(relogin.status).toBe(200);
  });
});

describe("brute-force limits", () => {
  let limited: TestContext;
  let limitedApp: Hono;
  beforeAll(async () => {
    limited = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "3" } });
    limitedApp = createApiApp(limited.ctx);
    // With TEST_REDIS_URL, wait until Redis answers: before that the limiter counts in memory (insurance).
    for (let tries = 0; tries < 50; tries++) {
      await limited.ctx.cache.set("ready-probe", 1, 5);
      if ((await limited.ctx.cache.get("ready-probe")) === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => limited.close());

  it("limits sign-in attempts per address and account, and audits the first refusal", async () => {
    const attempt = () =>
      jsonRequest(limitedApp, "POST", "/api/auth/login", { login: "victim", password: "guess-guess" });
    for (let index = 0; index < 3; index++) expect((await attempt()).status).toBe(401);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const [row] = await queryRows<{ n: number }>(
      limited.ctx.db,
      sql`SELECT count(*)::int AS n FROM security_audit_log WHERE event_type = 'rate_limit_exceeded'`,
    );
    expect(row!.n).toBe(1);
  });

  it("limits code guesses per address", async () => {
    const guess = () =>
      jsonRequest(
        limitedApp,
        "POST",
        "/api/auth/verify-code",
        { email: "target@example.com", code: "123456" },
        {
          origin: SAME_ORIGIN,
        },
      );
    for (let index = 0; index < 3; index++) expect((await guess()).status).toBe(400);
    expect((await guess()).status).toBe(429);
  });
});

describe("SESSION_COOKIE_SECURE", () => {
  it("forces the Secure flag even on plain-http localhost when true", async () => {
    const forced = await createTestContext({ env: { SESSION_COOKIE_SECURE: "true" } });
    const forcedApp = createApiApp(forced.ctx);
    const res = await jsonRequest(forcedApp, "POST", "/api/auth/logout");
    expect(res.headers.get("set-cookie")).toMatch(/; Secure/i);
    await forced.close();
  });
});
