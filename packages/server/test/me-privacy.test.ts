import { PERIOD_TYPES } from "@modu-arena/core";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { getGlobalStats } from "../src/services/dashboard/get-global-stats";
import { getProfileAnalytics } from "../src/services/dashboard/get-profile-analytics";
import { calculateRankings } from "../src/services/rankings/calculate-rankings";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest, type SignedUp, signUp } from "./auth-helpers";
import { makeSession, signedPost } from "./helpers";

let test: TestContext;
let app: Hono;
let quiet: SignedUp;

beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "1000", RATE_LIMIT_SENSITIVE_PER_MIN: "1000" } });
  app = createApiApp(test.ctx);
  quiet = await signUp(app, test.ctx, "quiet-quokka");
  test.clock.advance(61_000);
  const loud = await signUp(app, test.ctx, "loud-lynx");
  for (const [user, tokens] of [
    [quiet, 40_000],
    [loud, 10_000],
  ] as const) {
    const res = await signedPost(
      app,
      "/api/v1/sessions",
      user.apiKey,
      makeSession({ endedAt: "2026-03-11T11:00:00Z", startedAt: "2026-03-11T10:00:00Z", inputTokens: tokens }),
      Math.floor(test.clock.now().getTime() / 1000),
    );
    expect(res.status).toBe(200);
  }
  const settings = await jsonRequest(
    app,
    "PATCH",
    "/api/me/settings",
    { privacyMode: true, displayName: "Quiet Q" },
    { cookie: quiet.cookie },
  );
  expect(settings.status).toBe(200);
  await calculateRankings(test.ctx);
});
afterAll(async () => test.close());

/** Everything that could identify the private user in a public answer. */
const identifiers = () => ["quiet-quokka", quiet.id, "quiet-quokka@example.com", "Quiet Q", quiet.apiKey.slice(0, 19)];

describe("a privacy-mode user in public answers", () => {
  it("is ranked but never named or identified on any board, page or badge", async () => {
    const answers: string[] = [];
    for (const period of PERIOD_TYPES) {
      const res = await app.request(`/api/leaderboard?period=${period}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      answers.push(text);
      const entries = JSON.parse(text).data as Array<{ rank: number; isPrivate: boolean; userId: string | null }>;
      // Still ranked, but anonymous.
      expect(entries).toHaveLength(2);
      expect(entries.filter((entry) => entry.isPrivate)).toEqual([expect.objectContaining({ userId: null })]);
    }
    const profile = await app.request("/api/users/quiet-quokka");
    expect(profile.status).toBe(404);
    answers.push(await profile.text());
    answers.push(await (await app.request("/api/badge/quiet-quokka.svg")).text());
    answers.push(JSON.stringify(await getGlobalStats(test.ctx)));
    await expect(getProfileAnalytics(test.ctx, "quiet-quokka")).rejects.toMatchObject({ code: "not_found" });
    for (const answer of answers) for (const secret of identifiers()) expect(answer).not.toContain(secret);
  });

  it("still sees everything of their own", async () => {
    const stats = await (await jsonRequest(app, "GET", "/api/me/stats", undefined, { cookie: quiet.cookie })).json();
    expect(stats.account).toMatchObject({ username: "quiet-quokka", privacyMode: true, displayName: "Quiet Q" });
    expect(stats.totals.inputTokens).toBe(40_000);
    expect(stats.rankings.allTime).toMatchObject({ totalParticipants: 2 });
  });
});
