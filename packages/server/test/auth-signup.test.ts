import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { hashPassword, verifyPassword } from "../src/services/auth/password-hash";
import { readLatestCode, readOutbox } from "../src/services/mail/dev-outbox";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, sessionCookieOf, signUp } from "./auth-helpers";

let test: TestContext;
let app: Hono;

async function _auditCount(eventType: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    test.ctx.db,
    sql`SELECT count(*)::int AS n FROM security_audit_log WHERE event_type = ${eventType}`,
  );
  return row!.n;
}

const sendCode = (email: string) => jsonRequest(app, "POST", "/api/auth/send-code", { email });
const verifyCode = (email: string, code: string | null) =>
  jsonRequest(app, "POST", "/api/auth/verify-code", { email, code });

beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "1000", RATE_LIMIT_SENSITIVE_PER_MIN: "1000" } });
  app = createApiApp(test.ctx);
});
afterAll(async () => test.close());

describe("password hashing", () => {
  it("uses salted scrypt and verifies in constant time", async () => {
    const one = await hashPassword("hunter2hunter2");
    const two = await hashPassword("hunter2hunter2");
    expect(one).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword("hunter2hunter2", one)).toBe(true);
    expect(await verifyPassword("hunter2hunter3", one)).toBe(false);
    expect(await verifyPassword("anything", null)).toBe(false);
    expect(await verifyPassword("anything", "garbage")).toBe(false);
  });
});

describe("sign-up by email code", () => {
  it("sends a 6-digit code, stores only its hash, and registers with a key and a session", async () => {
    const email = "Alice@Example.com";
    const res = await sendCode(email);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sent: true, expiresInSeconds: 600, resendAfterSeconds: 60 });
    const code = await readLatestCode(test.ctx, "alice@example.com");
    expect(code).toMatch(/^\d{6}$/);
    const [row] = await queryRows<{ code: string; email: string }>(
      test.ctx.db,
      sql`SELECT code, email FROM email_verifications WHERE email = 'alice@example.com'`,
    );
    expect(row!.email).toBe("alice@example.com");
    expect(row!.code).not.toContain(code!);
    expect(row!.code).toMatch(/^[0-9a-f]{64}$/);

    const verified = await verifyCode("alice@example.com", code);
    expect(verified.status).toBe(200);
    const { signupToken } = await verified.json();
    const registered = await jsonRequest(app, "POST", "/api/auth/register", {
      signupToken,
      username: "alice",
      password: "correct horse battery",
    });
    expect(registered.status).toBe(201);
    const body = await registered.json();
    expect(body.user).toMatchObject({ username: "alice", email: "alice@example.com", privacyMode: false });
    expect(body.apiKey).toMatch(/^modu_arena_/);
    const cookie = registered.headers.get("set-cookie")!;
    expect(cookie).toMatch(/modu_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain-http localhost
    const me = await jsonRequest(app, "GET", "/api/me", undefined, { cookie: sessionCookieOf(registered) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: "alice", hasPassword: true });
    // The key works on the CLI API at once.
    const verify = await app.request("/api/v1/verify", { headers: { "x-api-key": body.apiKey } });
    expect(verify.status).toBe(200);
    // The signup token was single-use: a second account for the same address is refused.
    const again = await jsonRequest(app, "POST", "/api/auth/register", {
      signupToken,
      username: "alice2",
      password: "correct horse battery",
    });
    expect(again.status).toBe(409);
  });

  it("sets a Secure cookie when served over https", async () => {
    await sendCode("secure@example.com");
    const code = await readLatestCode(test.ctx, "secure@example.com");
    const { signupToken } = await (await verifyCode("secure@example.com", code)).json();
    const res = await app.request("https://arena.example.com/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://arena.example.com" },
      body: JSON.stringify({ signupToken, username: "secure-user", password: "correct horse battery" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toMatch(/; Secure/i);
  });

  it("refuses a wrong code and counts attempts, then refuses after 5 wrong codes", async () => {
    const email = "guess@example.com";
    await sendCode(email);
    const code = (await readLatestCode(test.ctx, email))!;
    const wrong = code === "000000" ? "111111" : "000000";
    const first = await verifyCode(email, wrong);
    expect(first.status).toBe(400);
    expect((await first.json()).error.fields.code).toMatch(/4 attempts left/);
    for (let attempt = 2; attempt <= 4; attempt++) expect((await verifyCode(email, wrong)).status).toBe(400);
    const fifth = await verifyCode(email, wrong);
    expect(fifth.status).toBe(429);
    // Even the right code no longer works: a new one must be requested.
    const right = await verifyCode(email, code);
    expect(right.status).toBe(429);
  });

  it("refuses an expired code", async () => {
    const email = "late@example.com";
    await sendCode(email);
    const code = await readLatestCode(test.ctx, email);
    test.clock.advance(601_000);
    const res = await verifyCode(email, code);
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields.code).toMatch(/expired/);
  });

  it("enforces the resend cooldown and only the newest code counts", async () => {
    const email = "resend@example.com";
    expect((await sendCode(email)).status).toBe(200);
    const firstCode = await readLatestCode(test.ctx, email);
    const tooSoon = await sendCode(email);
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get("retry-after"))).toBeGreaterThan(0);
    test.clock.advance(61_000);
    expect((await sendCode(email)).status).toBe(200);
    const secondCode = await readLatestCode(test.ctx, email);
    if (firstCode !== secondCode) expect((await verifyCode(email, firstCode)).status).toBe(400);
    expect((await verifyCode(email, secondCode)).status).toBe(200);
    // A used code cannot be replayed.
    expect((await verifyCode(email, secondCode)).status).toBe(400);
  });

  it("answers the same for a registered address but mails a notice instead of a code", async () => {
    await signUp(app, test.ctx, "taken");
    test.clock.advance(61_000);
    const res = await sendCode("taken@example.com");
    expect(res.status).toBe(200);
    const messages = await readOutbox(test.ctx, "taken@example.com");
    expect(messages.at(-1)!.text).toMatch(/already has one/);
    expect(messages.at(-1)!.text).not.toMatch(/\b\d{6}\b/);
    // A wrong guess answers exactly as for an unregistered address (no enumeration through verify-code).
    const guess = await verifyCode("taken@example.com", "000000");
    expect(guess.status).toBe(400);
    expect((await guess.json()).error.fields.code).toBe("wrong code; 4 attempts left");
  });

  it("refuses a taken username, case-insensitively", async () => {
    await sendCode("other@example.com");
    const code = await readLatestCode(test.ctx, "other@example.com");
    const { signupToken } = await (await verifyCode("other@example.com", code)).json();
    const res = await jsonRequest(app, "POST", "/api/auth/register", {
      signupToken,
      username: "ALICE",
      password: "correct horse battery",
    });
    expect(res.status).toBe(409);
    expect((await res.json()).error.fields).toEqual({ username: "already taken" });
  });

  it("validates the fields and never echoes the password", async () => {
    const res = await jsonRequest(app, "POST", "/api/auth/register", {
      signupToken: "x",
      username: "a",
      password: "short",
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(/username/);
    expect(text).toMatch(/password/);
    expect(text).not.toContain('short"');
  });
});

describe("dev outbox endpoint", () => {
  it("serves the latest code outside production", async () => {
    test.clock.advance(61_000);
    await sendCode("outbox@example.com");
    const res = await app.request("/api/dev/outbox?email=outbox@example.com");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.latestCode).toMatch(/^\d{6}$/);
    expect(body.messages).toHaveLength(1);
  });
});
