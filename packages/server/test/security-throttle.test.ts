import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { readLatestCode } from "../src/services/mail/dev-outbox";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, signUp } from "./auth-helpers";

// Behind a trusted proxy each request names its client, so one test plays many attacking addresses.
let test: TestContext;
let app: Hono;
beforeAll(async () => {
  test = await createTestContext({ env: { TRUST_PROXY: "true" } });
  app = createApiApp(test.ctx);
});
afterAll(async () => test.close());

const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });
const login = (name: string, password: string, ip: string) =>
  jsonRequest(app, "POST", "/api/auth/login", { login: name, password }, from(ip));
const answerOf = async (res: Response) => ({ status: res.status, body: await res.json() });

describe("sign-in throttling cannot lock the owner out or reveal accounts", () => {
  it("twenty wrong passwords from changing addresses leave the owner's right password working", async () => {
    await signUp(app, test.ctx, "owner1", "the owner's password");
    for (let n = 0; n < 20; n++) expect((await login("owner1", "a wrong guess!", `198.51.100.${n}`)).status).toBe(401);
    const owner = await login("owner1", "the owner's password", "203.0.113.7");
    expect(owner.status).toBe(200);
  });

  it("a braked account answers its guessing sources exactly like an unknown account", async () => {
    await signUp(app, test.ctx, "owner2", "the owner's password");
    const existing = [];
    const unknown = [];
    for (let n = 0; n < 20; n++) {
      existing.push(await answerOf(await login("owner2", "a wrong guess!", `192.0.2.${n}`)));
      unknown.push(await answerOf(await login("nobody-here", "a wrong guess!", `192.0.2.${n + 100}`)));
    }
    expect(existing).toEqual(unknown);
    // A source that guessed wrong is braked even with the right password, and is told nothing more.
    const braked = await answerOf(await login("owner2", "the owner's password", "192.0.2.3"));
    const none = await answerOf(await login("nobody-here", "the owner's password", "192.0.2.103"));
    expect(braked).toEqual(none);
    expect(braked.status).toBe(401);
    expect((await login("owner2", "the owner's password", "203.0.113.8")).status).toBe(200);
  });

  it("one source is slowed alike for an existing and an unknown account", async () => {
    await signUp(app, test.ctx, "owner3", "the owner's password");
    const existing = [];
    const unknown = [];
    for (let n = 0; n < 12; n++) existing.push((await login("owner3", "a wrong guess!", "198.18.0.1")).status);
    for (let n = 0; n < 12; n++) unknown.push((await login("nobody-3", "a wrong guess!", "198.18.0.2")).status);
    expect(existing).toEqual(unknown);
    expect(existing.at(-1)).toBe(429);
    // The guesser's own address is slowed; the owner elsewhere is not.
    expect((await login("owner3", "the owner's password", "203.0.113.9")).status).toBe(200);
  });
});

describe("reset-code guessing cannot lock the owner out", () => {
  const reset = (email: string, code: string, ip: string) =>
    jsonRequest(
      app,
      "POST",
      "/api/auth/password-reset",
      { email, code, newPassword: "a brand new password" },
      from(ip),
    );
  const wrongFor = (code: string) => (code === "000000" ? "111111" : "000000");

  it("wrong codes from changing addresses leave the mailed code working, with the same answers as for no account", async () => {
    await signUp(app, test.ctx, "owner4", "the owner's password");
    test.clock.advance(61_000);
    for (const email of ["owner4@example.com", "ghost4@example.com"]) {
      const sent = await jsonRequest(app, "POST", "/api/auth/password-reset/send-code", { email }, from("203.0.113.1"));
      expect(sent.status).toBe(200);
    }
    const code = (await readLatestCode(test.ctx, "owner4@example.com"))!;
    const ghostCode = (await readLatestCode(test.ctx, "ghost4@example.com"))!;
    const existing = [];
    const unknown = [];
    for (let n = 0; n < 8; n++) {
      existing.push(await answerOf(await reset("owner4@example.com", wrongFor(code), `198.51.100.${n}`)));
      unknown.push(await answerOf(await reset("ghost4@example.com", wrongFor(ghostCode), `198.51.100.${n + 50}`)));
    }
    expect(existing).toEqual(unknown);
    // A guessing source stays refused, even with the right code; the owner's address is not.
    expect((await reset("owner4@example.com", code, "198.51.100.1")).status).toBe(429);
    const owner = await reset("owner4@example.com", code, "203.0.113.1");
    expect(owner.status).toBe(200);
    expect((await owner.json()).user.username).toBe("owner4");
  });
});
