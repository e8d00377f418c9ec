import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { readLatestCode, readOutbox } from "../src/services/mail/dev-outbox";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, type SignedUp, sessionCookieOf, signUp } from "./auth-helpers";

let test: TestContext;
let app: Hono;
let kim: SignedUp;

beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "1000" } });
  app = createApiApp(test.ctx);
  kim = await signUp(app, test.ctx, "kim", "the original password");
  test.clock.advance(61_000);
});
afterAll(async () => test.close());

const requestReset = (email: string) => jsonRequest(app, "POST", "/api/auth/password-reset/send-code", { email });
const reset = (email: string, code: string | null, newPassword = "a completely new password") =>
  jsonRequest(app, "POST", "/api/auth/password-reset", { email, code, newPassword });

describe("password reset by email code", () => {
  it("resets with the mailed code, ends old sessions and signs in", async () => {
    expect((await requestReset("KIM@example.com")).status).toBe(200);
    const message = (await readOutbox(test.ctx, "kim@example.com")).at(-1)!;
    expect(message.subject).toBe("Reset your Modu-Arena password");
    const code = (await readLatestCode(test.ctx, "kim@example.com"))!;
    // A reset code is no signup code.
    const asSignup = await jsonRequest(app, "POST", "/api/auth/verify-code", { email: "kim@example.com", code });
    expect(asSignup.status).toBe(400);
    const res = await reset("kim@example.com", code);
    expect(res.status).toBe(200);
    expect((await res.json()).user.username).toBe("kim");
    const cookie = sessionCookieOf(res);
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { cookie })).status).toBe(200);
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { cookie: kim.cookie })).status).toBe(401);
    const oldLogin = await jsonRequest(app, "POST", "/api/auth/login", {
      login: "kim",
      password: "the original password",
    });
    expect(oldLogin.status).toBe(401);
    const newLogin = await jsonRequest(app, "POST", "/api/auth/login", {
      login: "kim",
      password: "a completely new password",
    });
    expect(newLogin.status).toBe(200);
    expect((await reset("kim@example.com", code, "yet another password")).status).toBe(400);
    const [audit] = await queryRows<{ details: { via: string } }>(
      test.ctx.db,
      sql`SELECT details FROM security_audit_log WHERE event_type = 'password_changed'`,
    );
    expect(audit!.details).toEqual({ via: "reset" });
  });

  it("answers the same for an unknown address, mailing a notice without a code", async () => {
    expect((await requestReset("ghost@example.com")).status).toBe(200);
    const messages = await readOutbox(test.ctx, "ghost@example.com");
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).not.toMatch(/\b\d{6}\b/);
    const guess = await reset("ghost@example.com", "123456");
    expect(guess.status).toBe(400);
    expect((await guess.json()).error.fields.code).toBe("wrong code; 4 attempts left");
  });

  it("shares the resend cooldown and validates the new password", async () => {
    test.clock.advance(61_000);
    expect((await requestReset("kim@example.com")).status).toBe(200);
    expect((await requestReset("kim@example.com")).status).toBe(429);
    const code = await readLatestCode(test.ctx, "kim@example.com");
    const weak = await reset("kim@example.com", code, "short");
    expect(weak.status).toBe(400);
    expect((await weak.json()).error.fields).toHaveProperty("newPassword");
  });
});

describe("account brake", () => {
  it("refuses a guessing source even the right password after 20 failures, until a reset by email", async () => {
    const lee = await signUp(app, test.ctx, "lee", "lee's real password");
    const login = (password: string) => jsonRequest(app, "POST", "/api/auth/login", { login: "lee", password });
    for (let attempt = 0; attempt < 20; attempt++) expect((await login("a wrong guess!")).status).toBe(401);
    const braked = await login("lee's real password");
    expect(braked.status).toBe(401);
    expect((await braked.json()).error.message).toBe("Wrong username, email or password");
    // The session already held keeps working; a reset by email reopens sign-in.
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { cookie: lee.cookie })).status).toBe(200);
    test.clock.advance(61_000);
    await requestReset("lee@example.com");
    const code = await readLatestCode(test.ctx, "lee@example.com");
    const reopened = await reset("lee@example.com", code, "lee's new password");
    expect(reopened.status).toBe(200);
    expect((await login("lee's new password")).status).toBe(200);
  });
});
