import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPT_PAYLOADS } from "../../../test/reliability/hostile-input";
import { createApiApp } from "../src/http/app";
import { createLogger } from "../src/infra/logger";
import { readLatestCode } from "../src/services/mail/dev-outbox";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, type SignedUp, signUp } from "./auth-helpers";
import { forgedKey, makeSession, signedPost } from "./helpers";

const PASSWORD = "correct horse battery staple";
const logLines: string[] = [];
let test: TestContext;
let app: Hono;
let alice: SignedUp;
let hidden: SignedUp;
const otpCodes: string[] = [];
const now = () => Math.floor(test.clock.now().getTime() / 1000);

beforeAll(async () => {
  test = await createTestContext();
  // Everything the app logs, at the most talkative level, is kept and searched for secrets below.
  app = createApiApp({ ...test.ctx, log: createLogger("debug", (line) => logLines.push(line)) });
  alice = await signUp(app, test.ctx, "alice-sec", PASSWORD);
  hidden = await signUp(app, test.ctx, "hidden-sec", PASSWORD);
  for (const email of ["alice-sec@example.com", "hidden-sec@example.com"]) {
    const code = await readLatestCode(test.ctx, email);
    if (code) otpCodes.push(code);
  }
  for (const user of [alice, hidden]) {
    for (const sessionId of ["a", "b"]) {
      const res = await signedPost(app, "/api/v1/sessions", user.apiKey, makeSession({ sessionId }), now());
      expect(res.status).toBe(200);
    }
  }
  const privacy = await jsonRequest(app, "PATCH", "/api/me/settings", { privacyMode: true }, { cookie: hidden.cookie });
  expect(privacy.status).toBe(200);
  await calculateRankings(test.ctx);
});
afterAll(async () => test.close());

describe("privacy mode", () => {
  it("never shows the user's name or id in any public answer", async () => {
    const paths = [
      "/api/v1/status",
      ...["daily", "weekly", "monthly", "all_time"].flatMap((period) => [
        `/api/leaderboard?period=${period}`,
        `/api/leaderboard?period=${period}&limit=1&offset=1`,
      ]),
      `/api/users/${hidden.username}`,
      `/api/users/${hidden.username.toUpperCase()}`,
      `/api/badge/${hidden.username}.svg`,
      `/api/users/${alice.username}`,
      `/api/badge/${alice.username}.svg`,
    ];
    let searched = 0;
    for (const path of paths) {
      const res = await app.request(path);
      expect(res.status, path).toBeLessThan(500);
      const body = await res.text();
      searched++;
      // The path itself names the user; the answer must not.
      expect(body.toLowerCase(), path).not.toContain(hidden.username);
      expect(body, path).not.toContain(hidden.id);
    }
    expect(searched).toBe(paths.length);
    const board = await (await app.request("/api/leaderboard?period=all_time")).json();
    expect(board.data).toHaveLength(2);
    expect(board.data.filter((entry: { isPrivate: boolean }) => entry.isPrivate)).toHaveLength(1);
    expect((await app.request(`/api/users/${hidden.username}`)).status).toBe(404);
  });
});

describe("script in names", () => {
  it("refuses markup in usernames and keeps it inert text in display names", async () => {
    for (const payload of SCRIPT_PAYLOADS) {
      await expect(createUser(test.ctx, { username: payload })).rejects.toMatchObject({ code: "invalid_request" });
    }
    const displayName = "<img src=x onerror=alert(1)>";
    const res = await jsonRequest(app, "PATCH", "/api/me/settings", { displayName }, { cookie: alice.cookie });
    expect(res.status).toBe(200);
    const profile = await app.request(`/api/users/${alice.username}`);
    expect(profile.headers.get("content-type")).toMatch(/^application\/json/);
    expect(profile.headers.get("x-content-type-options")).toBe("nosniff");
    // JSON text, never HTML: the value comes back exactly as given, for React to escape when rendering.
    expect((await profile.json()).displayName).toBe(displayName);
  });
});

describe("session cookies and brute force", () => {
  it("refuses a cross-site write carrying the session cookie", async () => {
    const res = await jsonRequest(
      app,
      "PATCH",
      "/api/me/settings",
      { privacyMode: true },
      { cookie: alice.cookie, origin: "https://evil.example" },
    );
    expect(res.status).toBe(403);
    const [row] = await queryRows<{ privacy_mode: boolean }>(
      test.ctx.db,
      sql`SELECT privacy_mode FROM users WHERE id = ${alice.id}`,
    );
    expect(row!.privacy_mode).toBe(false);
  });

  it("limits password guessing on one account", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 14; attempt++) {
      const res = await jsonRequest(app, "POST", "/api/auth/login", {
        login: alice.username,
        password: `wrong guess ${attempt}`,
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
  });

  it("limits signup-code guessing: after the allowed wrong guesses even the right code is refused", async () => {
    const email = "guesser@example.com";
    expect((await jsonRequest(app, "POST", "/api/auth/send-code", { email })).status).toBe(200);
    const code = (await readLatestCode(test.ctx, email))!;
    otpCodes.push(code);
    const wrong = code === "000000" ? "111111" : "000000";
    const statuses: number[] = [];
    for (let guess = 0; guess < test.ctx.config.otp.maxAttempts + 2; guess++) {
      statuses.push((await jsonRequest(app, "POST", "/api/auth/verify-code", { email, code: wrong })).status);
    }
    expect(statuses.every((status) => status >= 400 && status < 500)).toBe(true);
    const right = await jsonRequest(app, "POST", "/api/auth/verify-code", { email, code });
    expect(right.status).toBe(429);
  });

  it("serves every /api/me route only for the session's own user, whatever the request names", async () => {
    const naming = `userId=${hidden.id}&username=${hidden.username}&user=${hidden.id}`;
    const paths = [
      "/api/me",
      "/api/me/stats",
      "/api/me/stats?tz=Asia/Seoul",
      "/api/me/export",
      "/api/me/export?format=csv&dataset=sessions",
      "/api/me/export?format=csv&dataset=daily",
    ];
    for (const path of paths) {
      const credentials: Array<Record<string, string>> = [
        { authorization: `Bearer ${alice.token}` },
        { cookie: alice.cookie },
      ];
      for (const auth of credentials) {
        const res = await app.request(`${path}${path.includes("?") ? "&" : "?"}${naming}`, { headers: auth });
        expect(res.status, path).toBe(200);
        const text = await res.text();
        expect(text, path).not.toContain(hidden.id);
        expect(text, path).not.toContain(hidden.username);
      }
    }
    // Another user's token is the only way to their data, and a forged one is refused.
    const forged = `${hidden.token.slice(0, -4)}AAAA`;
    expect((await app.request("/api/me", { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
  });
});

describe("secrets", () => {
  it("never appear in log lines or audit rows", async () => {
    const cronSecret = test.ctx.config.cronSecret;
    await app.request("/api/cron/calculate-rankings", { headers: { authorization: `Bearer ${cronSecret}x` } });
    await app.request("/api/v1/verify", { headers: { "x-api-key": forgedKey(alice.apiKey) } });
    const audit = await queryRows<{ row: string }>(
      test.ctx.db,
      sql`SELECT concat_ws(' ', event_type, ip_address, user_agent, details::text) AS row FROM security_audit_log`,
    );
    expect(audit.length).toBeGreaterThan(5);
    const haystack = [...logLines, ...audit.map((entry) => entry.row)].join("\n");
    const secrets = [
      alice.apiKey,
      alice.apiKey.slice(20),
      hidden.apiKey,
      PASSWORD,
      alice.token,
      hidden.token,
      cronSecret,
      test.ctx.config.jwtSecret,
    ];
    expect(otpCodes.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(secret && haystack.includes(secret)).toBe(false);
    // Codes are six digits: searched as whole tokens, so that hex ids and timestamps cannot match by chance.
    for (const code of otpCodes)
      expect(new RegExp(`(?<![0-9a-fA-F])${code}(?![0-9a-fA-F])`).test(haystack)).toBe(false);
  });
});
