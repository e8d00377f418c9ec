import { users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { formatCompact, renderBadge } from "../src/services/badge/render-badge";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import { invalidateRankingCaches } from "../src/services/rankings/invalidate-ranking-caches";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

let test: TestContext;
let app: Hono;
let hanaId: string;

beforeAll(async () => {
  test = await createTestContext();
  app = createApiApp(test.ctx);
  const hana = await createUser(test.ctx, { username: "hana" });
  const ivan = await createUser(test.ctx, { username: "ivan" });
  hanaId = hana.id;
  await ingestSessions(
    test.ctx,
    hana.id,
    [makeSession({ inputTokens: 1_200_000, outputTokens: 300_000 })],
    {},
    "single",
  );
  await ingestSessions(test.ctx, ivan.id, [makeSession({ inputTokens: 10, outputTokens: 5 })], {}, "single");
  await calculateRankings(test.ctx);
});
afterAll(async () => test.close());

describe("formatCompact", () => {
  it("shortens large numbers without rounding up", () => {
    expect([0, 999, 1000, 1234, 1_500_000, 2_999_999_999].map(formatCompact)).toEqual([
      "0",
      "999",
      "1K",
      "1.2K",
      "1.5M",
      "2.9B",
    ]);
  });
});

describe("GET /api/badge/:username.svg", () => {
  it("renders rank, tier and tokens as a cacheable SVG", async () => {
    const res = await app.request("/api/badge/hana.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300, s-maxage=300");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // 1.5M tokens (input + output), first of two.
    expect(svg).toContain("#1 · ");
    expect(svg).toContain("1.5M tokens");
    expect(svg).toMatch(/aria-label="modu arena: #1 · (Bronze|Silver|Gold|Platinum|Diamond) · 1.5M tokens"/);
  });

  it("looks the same for a privacy-mode user and an unknown user", async () => {
    await test.ctx.db.update(users).set({ privacyMode: true }).where(eq(users.id, hanaId));
    const privateBadge = await (await app.request("/api/badge/hana.svg")).text();
    const unknownBadge = await (await app.request("/api/badge/nobody-here.svg")).text();
    expect(privateBadge).toBe(unknownBadge);
    expect(privateBadge).toBe(renderBadge(null));
    expect(privateBadge).not.toContain("hana");
    await test.ctx.db.update(users).set({ privacyMode: false }).where(eq(users.id, hanaId));
    await invalidateRankingCaches(test.ctx);
  });

  it("escapes nothing it should not and 404s paths without .svg", async () => {
    expect((await app.request("/api/badge/hana")).status).toBe(404);
    const odd = await (await app.request("/api/badge/%3Cscript%3E.svg")).text();
    expect(odd).not.toContain("<script>");
    const nul = await app.request("/api/badge/%00hana.svg");
    expect(nul.status).toBe(200);
    expect(await nul.text()).toBe(renderBadge(null));
  });
});
