import { queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import type { UserExport } from "../src/services/takeout/export-user-data";
import { exportToCsv } from "../src/services/takeout/to-csv";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, type SignedUp, signUp } from "./auth-helpers";
import { makeSession, signedPost } from "./helpers";

let test: TestContext;
let app: Hono;
let frank: SignedUp;
let grace: SignedUp;
const nowSeconds = () => Math.floor(test.clock.now().getTime() / 1000);

async function countRows(table: string, userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    test.ctx.db,
    sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE user_id = ${userId}`,
  );
  return row!.n;
}

beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "1000", RATE_LIMIT_SENSITIVE_PER_MIN: "1000" } });
  app = createApiApp(test.ctx);
  frank = await signUp(app, test.ctx, "frank");
  test.clock.advance(61_000);
  grace = await signUp(app, test.ctx, "grace");
  // Sessions through the real signed API.
  for (const [user, id, tokens] of [
    [frank, "f1", 5000],
    [frank, "f2", 7000],
    [grace, "g1", 90_000],
  ] as const) {
    const res = await signedPost(
      app,
      "/api/v1/sessions",
      user.apiKey,
      makeSession({
        sessionId: id,
        endedAt: "2026-03-11T11:00:00Z",
        startedAt: "2026-03-11T10:00:00Z",
        inputTokens: tokens,
        outputTokens: tokens / 2,
        toolUsage: { Read: 3 },
      }),
      nowSeconds(),
    );
    expect(res.status).toBe(200);
  }
  await calculateRankings(test.ctx);
});
afterAll(async () => test.close());

describe("GET /api/me and /api/me/stats", () => {
  it("answers with the session's own user only", async () => {
    const me = await (await jsonRequest(app, "GET", "/api/me", undefined, { cookie: frank.cookie })).json();
    expect(me).toMatchObject({ username: "frank", email: "frank@example.com", privacyMode: false, timezone: "UTC" });
    expect(me.apiKey.prefix).toBe(frank.apiKey.slice(0, 19));
    expect(JSON.stringify(me)).not.toContain(frank.apiKey);
    expect(JSON.stringify(me)).not.toMatch(/scrypt|password_hash|passwordHash/);
    const stats = await (await jsonRequest(app, "GET", "/api/me/stats", undefined, { cookie: frank.cookie })).json();
    expect(stats.totals).toMatchObject({ inputTokens: 12_000, outputTokens: 6_000, sessions: 2 });
    expect(stats.recentSessions).toHaveLength(2);
  });

  it("cannot be pointed at another user's data", async () => {
    for (const path of [
      `/api/me/stats?userId=${grace.id}`,
      `/api/me?id=${grace.id}`,
      `/api/me/export?format=json&userId=${grace.id}`,
    ]) {
      const res = await jsonRequest(app, "GET", path, undefined, { cookie: frank.cookie });
      expect([200, 400]).toContain(res.status);
      const text = await res.text();
      expect(text).not.toContain("grace");
      expect(text).not.toContain("90000");
    }
    expect((await jsonRequest(app, "GET", `/api/me/${grace.id}`, undefined, { cookie: frank.cookie })).status).toBe(
      404,
    );
  });

  it("pages the session table", async () => {
    const get = (query: string) =>
      jsonRequest(app, "GET", `/api/me/sessions${query}`, undefined, { cookie: frank.cookie });
    const first = await (await get("?limit=1")).json();
    expect(first.sessions).toHaveLength(1);
    const second = await (await get(`?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.sessions).toHaveLength(1);
    expect(second.sessions[0].id).not.toBe(first.sessions[0].id);
    expect((await get("?limit=0")).status).toBe(400);
  });

  it("takes the time zone from ?tz=", async () => {
    const res = await jsonRequest(app, "GET", "/api/me/stats?tz=Asia/Tokyo", undefined, { cookie: frank.cookie });
    expect((await res.json()).timezone).toBe("Asia/Tokyo");
  });
});

describe("PATCH /api/me/settings", () => {
  it("validates fields", async () => {
    const res = await jsonRequest(
      app,
      "PATCH",
      "/api/me/settings",
      { timezone: "Nowhere/Land", locale: "fr" },
      {
        cookie: frank.cookie,
      },
    );
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.fields).sort()).toEqual(["locale", "timezone"]);
  });

  it("saves display name, time zone and locale", async () => {
    const res = await jsonRequest(
      app,
      "PATCH",
      "/api/me/settings",
      { displayName: "  Frank F.  ", timezone: "Europe/Berlin", locale: "ko" },
      { cookie: frank.cookie },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ displayName: "Frank F.", timezone: "Europe/Berlin", locale: "ko" });
  });

  it("privacy mode hides the user from the leaderboard, the profile and the badge, and is audited", async () => {
    const before = await (await app.request("/api/leaderboard?period=all_time")).json();
    expect(before.data.map((entry: { username: string }) => entry.username)).toContain("frank");
    expect((await app.request("/api/users/frank")).status).toBe(200);

    const res = await jsonRequest(app, "PATCH", "/api/me/settings", { privacyMode: true }, { cookie: frank.cookie });
    expect((await res.json()).privacyMode).toBe(true);
    const [audit] = await queryRows<{ details: { from: boolean; to: boolean } }>(
      test.ctx.db,
      sql`SELECT details FROM security_audit_log WHERE event_type = 'privacy_mode_changed' AND user_id = ${frank.id}`,
    );
    expect(audit!.details).toEqual({ from: false, to: true });

    await calculateRankings(test.ctx);
    const board = await app.request("/api/leaderboard?period=all_time");
    const text = await board.text();
    expect(text).not.toContain("frank");
    expect(text).not.toContain(frank.id);
    const entries = JSON.parse(text).data as Array<{ username: string; isPrivate: boolean; userId: string | null }>;
    expect(entries).toHaveLength(2);
    expect(entries.find((entry) => entry.isPrivate)).toMatchObject({ userId: null });
    expect((await app.request("/api/users/frank")).status).toBe(404);
    const badge = await (await app.request("/api/badge/frank.svg")).text();
    expect(badge).toContain("unranked");
    expect(badge).not.toContain("tokens");
    // The owner still sees everything.
    const stats = await jsonRequest(app, "GET", "/api/me/stats", undefined, { cookie: frank.cookie });
    expect((await stats.json()).totals.sessions).toBe(2);

    await jsonRequest(app, "PATCH", "/api/me/settings", { privacyMode: false }, { cookie: frank.cookie });
    expect((await app.request("/api/users/frank")).status).toBe(200);
  });
});

describe("API key", () => {
  it("rotates (old key stops working, new one shown once) and revokes, audited", async () => {
    const res = await jsonRequest(app, "POST", "/api/me/api-key", undefined, { cookie: frank.cookie });
    expect(res.status).toBe(201);
    const { apiKey } = await res.json();
    expect(apiKey).toMatch(/^modu_arena_/);
    expect((await app.request("/api/v1/verify", { headers: { "x-api-key": frank.apiKey } })).status).toBe(401);
    expect((await app.request("/api/v1/verify", { headers: { "x-api-key": apiKey } })).status).toBe(200);
    const me = await (await jsonRequest(app, "GET", "/api/me", undefined, { cookie: frank.cookie })).json();
    expect(me.apiKey.prefix).toBe(apiKey.slice(0, 19));
    expect((await jsonRequest(app, "DELETE", "/api/me/api-key", undefined, { cookie: frank.cookie })).status).toBe(200);
    expect((await app.request("/api/v1/verify", { headers: { "x-api-key": apiKey } })).status).toBe(401);
    const after = await (await jsonRequest(app, "GET", "/api/me", undefined, { cookie: frank.cookie })).json();
    expect(after.apiKey).toBeNull();
    const events = await queryRows<{ event_type: string }>(
      test.ctx.db,
      sql`SELECT event_type FROM security_audit_log WHERE user_id = ${frank.id} AND event_type LIKE 'api_key_%'
          ORDER BY created_at, event_type`,
    );
    expect(events.map((event) => event.event_type)).toEqual(
      expect.arrayContaining(["api_key_generated", "api_key_regenerated", "api_key_revoked"]),
    );
  });
});

describe("GET /api/me/export", () => {
  it("exports own sessions and daily stats as JSON, numbers only", async () => {
    const res = await jsonRequest(app, "GET", "/api/me/export?format=json", undefined, { cookie: grace.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="modu-arena-takeout-/);
    const body = await res.json();
    expect(body.username).toBe("grace");
    expect(body.sessions).toEqual([
      expect.objectContaining({
        toolType: "claude-code",
        inputTokens: 90_000,
        outputTokens: 45_000,
        toolUsage: { Read: 3 },
      }),
    ]);
    expect(body.dailyStats).toEqual([
      expect.objectContaining({ date: "2026-03-11", totalTokens: 135_000, sessions: 1 }),
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain("g1");
    expect(text).not.toContain("proj_abc123");
  });

  it("exports CSV per dataset", async () => {
    const sessions = await jsonRequest(app, "GET", "/api/me/export?format=csv", undefined, { cookie: grace.cookie });
    expect(sessions.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await sessions.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^tool_type,model_name,started_at,ended_at,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(",90000,45000,");
    const daily = await jsonRequest(app, "GET", "/api/me/export?format=csv&dataset=daily", undefined, {
      cookie: grace.cookie,
    });
    expect((await daily.text()).split("\r\n")[1]).toMatch(/^2026-03-11,90000,45000,2000,5000,135000,1,/);
  });
});

describe("exportToCsv", () => {
  it("quotes commas and quotes, and defuses spreadsheet formulas", () => {
    const data: UserExport = {
      format: "modu-arena-takeout",
      version: 1,
      exportedAt: "2026-03-11T12:00:00.000Z",
      username: "x",
      sessions: [],
      dailyStats: [
        {
          date: "2026-03-11",
          inputTokens: 1,
          outputTokens: 2,
          cacheCreationTokens: 0,
          cacheReadTokens: 0,
          reasoningTokens: 0,
          totalTokens: 3,
          sessions: 1,
          byTool: {},
          byModel: { '=HYPERLINK("x")': 3, "a,b": 1 },
        },
      ],
    };
    const line = exportToCsv(data, "daily").split("\r\n")[1]!;
    expect(line).toBe('2026-03-11,1,2,0,0,3,1,{},"{""=HYPERLINK(\\""x\\"")"":3,""a,b"":1}",0');
    data.dailyStats[0]!.date = "=1+1";
    expect(exportToCsv(data, "daily").split("\r\n")[1]!.startsWith("'=1+1,")).toBe(true);
  });

  it("guards text that starts like a negative number, and leaves real negative numbers alone", () => {
    const data: UserExport = {
      format: "modu-arena-takeout",
      version: 1,
      exportedAt: "2026-03-11T12:00:00.000Z",
      username: "x",
      sessions: [],
      dailyStats: [
        {
          date: "-1+1+cmd|' /C calc'!A0",
          inputTokens: -5,
          outputTokens: 2,
          cacheCreationTokens: 0,
          cacheReadTokens: 0,
          reasoningTokens: 0,
          totalTokens: 3,
          sessions: 1,
          byTool: {},
          byModel: {},
        },
      ],
    };
    const line = exportToCsv(data, "daily").split("\r\n")[1]!;
    expect(line.startsWith("'-1+1+cmd|' /C calc'!A0,-5,")).toBe(true);
    data.dailyStats[0]!.date = "\t=1";
    expect(exportToCsv(data, "daily").split("\r\n")[1]!.startsWith("'\t=1,")).toBe(true);
  });
});

describe("DELETE /api/me", () => {
  it("needs the password, then removes the account and all its data", async () => {
    const wrong = await jsonRequest(app, "DELETE", "/api/me", { password: "not it at all" }, { cookie: grace.cookie });
    expect(wrong.status).toBe(403);
    const res = await jsonRequest(
      app,
      "DELETE",
      "/api/me",
      { password: "correct horse battery" },
      {
        cookie: grace.cookie,
      },
    );
    expect(res.status).toBe(200);
    for (const table of ["sessions", "token_usage", "daily_user_stats", "rankings", "user_stats"]) {
      expect(await countRows(table, grace.id)).toBe(0);
    }
    const [users] = await queryRows<{ n: number }>(
      test.ctx.db,
      sql`SELECT count(*)::int AS n FROM users WHERE id = ${grace.id}`,
    );
    expect(users!.n).toBe(0);
    const [emails] = await queryRows<{ n: number }>(
      test.ctx.db,
      sql`SELECT count(*)::int AS n FROM email_verifications WHERE email = 'grace@example.com'`,
    );
    expect(emails!.n).toBe(0);
    expect((await jsonRequest(app, "GET", "/api/me", undefined, { cookie: grace.cookie })).status).toBe(401);
    const [audit] = await queryRows<{ n: number }>(
      test.ctx.db,
      sql`SELECT count(*)::int AS n FROM security_audit_log WHERE event_type = 'account_deleted'`,
    );
    expect(audit!.n).toBe(1);
  });
});
