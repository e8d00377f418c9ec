import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { readLatestCode } from "../src/services/mail/dev-outbox";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, type SignedUp, signUp } from "./auth-helpers";

let test: TestContext;
let app: Hono;
let ivy: SignedUp;
beforeAll(async () => {
  test = await createTestContext({
    env: { PUBLIC_URL: "https://arena.example.com", TRUST_PROXY: "true", RATE_LIMIT_AUTH_PER_MIN: "1000" },
  });
  app = createApiApp(test.ctx);
  ivy = await signUp(app, test.ctx, "ivy", "ivy's long password");
});
afterAll(async () => test.close());

describe("cross-site checks with PUBLIC_URL set", () => {
  const patch = (origin: string, headers: Record<string, string> = {}) =>
    jsonRequest(app, "PATCH", "/api/me/settings", { displayName: "Ivy" }, { cookie: ivy.cookie, origin, headers });

  it("accept PUBLIC_URL's origin and the request's own", async () => {
    expect((await patch("https://arena.example.com")).status).toBe(200);
    expect((await patch("http://localhost")).status).toBe(200);
  });

  it("refuse an origin that only a forwarded host vouches for", async () => {
    const res = await patch("https://evil.example", { "x-forwarded-host": "evil.example" });
    expect(res.status).toBe(403);
  });
});

describe("password reset and the API key", () => {
  const verify = (apiKey: string) => app.request("/api/v1/verify", { headers: { "x-api-key": apiKey } });
  const resetWith = async (email: string, extra: Record<string, unknown>) => {
    test.clock.advance(61_000);
    await jsonRequest(app, "POST", "/api/auth/password-reset/send-code", { email });
    const code = await readLatestCode(test.ctx, email);
    return jsonRequest(app, "POST", "/api/auth/password-reset", {
      email,
      code,
      newPassword: "a brand new password",
      ...extra,
    });
  };

  it("keeps the key unless asked", async () => {
    const jon = await signUp(app, test.ctx, "jon", "jon's long password");
    const res = await resetWith("jon@example.com", {});
    expect(res.status).toBe(200);
    expect(await res.json()).not.toHaveProperty("apiKey");
    expect((await verify(jon.apiKey)).status).toBe(200);
  });

  it("rotates the key when asked: the old one stops, the new one is shown once and works", async () => {
    const kai = await signUp(app, test.ctx, "kai", "kai's long password");
    const res = await resetWith("kai@example.com", { rotateApiKey: true });
    expect(res.status).toBe(200);
    const { apiKey } = await res.json();
    expect(apiKey).toMatch(/\S{20,}/);
    expect(apiKey).not.toBe(kai.apiKey);
    expect((await verify(kai.apiKey)).status).toBe(401);
    expect((await verify(apiKey)).status).toBe(200);
  });

  it("refuses a rotateApiKey that is no boolean, naming it, and changes nothing", async () => {
    const res = await resetWith("ivy@example.com", { rotateApiKey: "yes" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty("rotateApiKey");
    expect((await verify(ivy.apiKey)).status).toBe(200);
  });
});
