import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { readLatestCode } from "../src/services/mail/dev-outbox";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, signUp } from "./auth-helpers";

let test: TestContext;
let app: Hono;
beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "1000", RATE_LIMIT_SENSITIVE_PER_MIN: "1000" } });
  app = createApiApp(test.ctx);
});
afterAll(async () => test.close());

async function signupTokenFor(email: string): Promise<string> {
  await jsonRequest(app, "POST", "/api/auth/send-code", { email });
  const code = await readLatestCode(test.ctx, email);
  return (await (await jsonRequest(app, "POST", "/api/auth/verify-code", { email, code })).json()).signupToken;
}

describe("names that would impersonate a private user or the operators", () => {
  it("are refused at registration, case-insensitively, naming username; the token stays usable", async () => {
    const signupToken = await signupTokenFor("claimer@example.com");
    for (const username of ["anonymous-1a2b3c4d", "ANONYMOUS-DEADBEEF", "Admin", "root", "modu_arena", "Null", "api"]) {
      const res = await jsonRequest(app, "POST", "/api/auth/register", {
        signupToken,
        username,
        password: "correct horse battery",
      });
      expect(res.status, username).toBe(400);
      expect((await res.json()).error.fields.username, username).toMatch(/reserved/);
    }
    const fine = await jsonRequest(app, "POST", "/api/auth/register", {
      signupToken,
      username: "admiral-ann",
      password: "correct horse battery",
    });
    expect(fine.status).toBe(201);
  });

  it("are refused as a display name, naming displayName, and nothing is changed", async () => {
    const user = await signUp(app, test.ctx, "shown-name");
    for (const displayName of ["Anonymous-1a2b3c4d", " support ", "MODERATOR"]) {
      const res = await jsonRequest(app, "PATCH", "/api/me/settings", { displayName }, { cookie: user.cookie });
      expect(res.status, displayName).toBe(400);
      expect((await res.json()).error.fields.displayName, displayName).toMatch(/reserved/);
    }
    const account = await (await jsonRequest(app, "GET", "/api/me", undefined, { cookie: user.cookie })).json();
    expect(account.displayName).toBeNull();
  });
});
