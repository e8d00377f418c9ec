import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, root, startAppServer } from "./e2e/app-server";
import { launchBrowser, screenshot, waitForCharts } from "./e2e/browser";
import { getDailyRank, ingestSessions, runRankings } from "./e2e/ingest";

const PAGE_SIZE = 50;
const messages = (locale: string) =>
  JSON.parse(readFileSync(path.join(root, "apps/web/messages", `${locale}.json`), "utf8")) as Record<
    string,
    Record<string, string>
  >;

let app: AppServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const user = {
  email: `e2e-${Date.now()}@example.com`,
  username: `e2e_${Date.now() % 1_000_000}`,
  password: "correct-horse-42",
};
let apiKey = "";

beforeAll(async () => {
  [app, browser] = await Promise.all([startAppServer(), launchBrowser()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("web app in chromium", () => {
  it("shows the leaderboard with demo data", async () => {
    await page.goto(`${app.url}/`);
    expect(new URL(page.url()).pathname).toBe("/en");
    await expect(page.locator("[data-testid=leaderboard-row]").count()).resolves.toBe(PAGE_SIZE);
    await page.getByTestId("period-all-time").click();
    await page.waitForURL(/period=all-time/);
    await expect(page.locator("[data-testid=global-stats]").isVisible()).resolves.toBe(true);
    await screenshot(page, "leaderboard");
  });

  it("sorts by a column header, keeping sort across period tabs and pages", async () => {
    const shownNames = () =>
      page
        .getByTestId("leaderboard")
        .locator("tbody tr")
        .evaluateAll((rows) =>
          rows.map((row) => row.querySelector("td:nth-child(2) a, [data-testid=anon-name]")?.textContent),
        );
    const apiNames = async (query: string) =>
      (
        (await (await fetch(`${app.url}/api/leaderboard?${query}`)).json()) as { data: { username: string }[] }
      ).data.map((entry) => entry.username);
    await page.goto(`${app.url}/en?period=all-time`);
    const byScore = await shownNames();
    expect(byScore).toEqual(await apiNames("period=all_time&limit=50"));
    await expect(page.locator("th[aria-sort]").getAttribute("aria-sort")).resolves.toBe("descending");
    await expect(page.locator("th[aria-sort]").textContent()).resolves.toContain("Score");

    await page.getByTestId("sort-tokens").click();
    await page.waitForURL(/sort=tokens/);
    expect(new URL(page.url()).searchParams.get("period")).toBe("all-time");
    const byTokens = await shownNames();
    expect(byTokens).toEqual(await apiNames("period=all_time&sort=tokens&limit=50"));
    expect(byTokens).not.toEqual(byScore);
    await expect(page.locator("th[aria-sort]").textContent()).resolves.toContain("Tokens");

    // Keyboard: focus the Sessions header and press Enter.
    await page.getByTestId("sort-sessions").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/sort=sessions/);
    expect(await shownNames()).toEqual(await apiNames("period=all_time&sort=sessions&limit=50"));

    await page.getByTestId("period-weekly").click();
    await page.waitForURL(/period=weekly/);
    expect(new URL(page.url()).searchParams.get("sort")).toBe("sessions");
    await page.getByTestId("page-next").click();
    await page.waitForURL(/page=2/);
    const params = new URL(page.url()).searchParams;
    expect([params.get("period"), params.get("sort")]).toEqual(["weekly", "sessions"]);
    expect(await shownNames()).toEqual(await apiNames("period=weekly&sort=sessions&limit=50&offset=50"));
    await screenshot(page, "leaderboard-sorted");
  });

  it("signs up through the emailed code and shows the API key once", async () => {
    await page.goto(`${app.url}/en/sign-up`);
    await page.fill("#email", user.email);
    await page.getByRole("button", { name: "Send code" }).click();
    await page.waitForSelector("#code");
    const outbox = (await (
      await fetch(`${app.url}/api/dev/outbox?email=${encodeURIComponent(user.email)}`)
    ).json()) as {
      latestCode: string;
    };
    expect(outbox.latestCode).toMatch(/^\d{6}$/);
    const wrong = outbox.latestCode === "000000" ? "111111" : "000000";
    await page.fill("#code", wrong);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForSelector("[role=alert]");
    await page.fill("#code", outbox.latestCode);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForSelector("#username");
    await page.fill("#username", user.username);
    await page.fill("#new-password", user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    apiKey = (await page.getByTestId("api-key-value").textContent({ timeout: 15_000 })) ?? "";
    expect(apiKey).toMatch(/^modu_arena_/);
    await screenshot(page, "sign-up-done");
    // A profile with no sessions yet says so, rather than judging a coding style from nothing.
    await page.goto(`${app.url}/en/users/${user.username}`);
    await expect(page.getByTestId("style-card").textContent()).resolves.toContain(messages("en").profile!.noData);
    await expect(page.getByTestId("coding-style").count()).resolves.toBe(0);
  });

  it("signs out and signs in again", async () => {
    await ingestSessions(app.url, apiKey, 12);
    await runRankings(app.url, app.cronSecret);
    await page.goto(`${app.url}/en`);
    await page.getByTestId("user-menu").click();
    await page.getByTestId("sign-out").click();
    await page.waitForSelector("text=Sign in");
    await page.goto(`${app.url}/en/dashboard`);
    await page.waitForURL(/\/en\/sign-in/);
    await page.fill("#login", user.username);
    await page.fill("#password", "wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await page.waitForSelector("[role=alert]");
    await page.fill("#password", user.password);
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await page.waitForURL(/\/en\/dashboard/);
    await screenshot(page, "sign-in");
  });

  it("shows the dashboard with charts and the install command", async () => {
    await page.waitForSelector("[data-testid=dashboard]");
    expect(await waitForCharts(page, 6)).toBeGreaterThanOrEqual(6);
    await expect(page.getByTestId("install-command").textContent()).resolves.toContain(`--server ${app.url}`);
    await expect(page.locator("[data-testid=heatmap] rect[data-level='4']").count()).resolves.toBeGreaterThan(0);
    await screenshot(page, "dashboard");
  });

  it("generates a key in settings", async () => {
    await page.goto(`${app.url}/en/settings`);
    await page.getByTestId("generate-key").click();
    const rotated = await page.getByTestId("api-key-value").textContent({ timeout: 15_000 });
    expect(rotated).toMatch(/^modu_arena_/);
    expect(rotated).not.toBe(apiKey);
    apiKey = rotated ?? "";
    await screenshot(page, "settings");
  });

  it("anonymises the user on the public board after privacy mode is switched on", async () => {
    const rank = await getDailyRank(app.url, apiKey);
    expect(rank).not.toBeNull();
    const boardUrl = `${app.url}/en?period=daily&page=${Math.ceil(rank! / PAGE_SIZE)}`;
    await page.goto(`${app.url}/en?period=daily`);
    await page.getByTestId("viewer-rank").getByRole("link").click();
    await page.waitForURL(/page=/);
    await expect(page.getByTestId("viewer-row").textContent()).resolves.toContain(user.username);
    await page.goto(`${app.url}/en/settings`);
    await page.getByTestId("privacy-switch").click();
    await page.waitForSelector("[data-testid=privacy-switch][data-state=checked]");
    await page.waitForTimeout(500);
    await page.goto(boardUrl);
    await expect(page.getByTestId("leaderboard").textContent()).resolves.not.toContain(user.username);
    await expect(page.locator("[data-testid=anon-name]").count()).resolves.toBeGreaterThan(0);
    await screenshot(page, "leaderboard-private");
    const profile = await page.goto(`${app.url}/en/users/${user.username}`);
    expect(profile?.status()).toBe(404);
  });

  it("never shows the private user in any public page or API answer", async () => {
    const bodies: string[] = [];
    for (const period of ["daily", "weekly", "monthly", "all_time"]) {
      for (let offset = 0; ; offset += 100) {
        const res = await fetch(`${app.url}/api/leaderboard?period=${period}&limit=100&offset=${offset}`);
        const body = await res.text();
        bodies.push(body);
        if (!(JSON.parse(body) as { pagination: { hasMore: boolean } }).pagination.hasMore) break;
      }
      const pageParam = period === "all_time" ? "all-time" : period;
      for (let pageNumber = 1; pageNumber <= 5; pageNumber++) {
        bodies.push(await (await fetch(`${app.url}/en?period=${pageParam}&page=${pageNumber}`)).text());
      }
    }
    bodies.push(await (await fetch(`${app.url}/api/badge/${user.username}.svg`)).text());
    const profile = await fetch(`${app.url}/api/users/${user.username}`);
    expect(profile.status).toBe(404);
    for (const body of bodies) expect(body).not.toContain(user.username);
  });

  it("sends the security headers with every page", async () => {
    for (const path of ["/en", "/ko/sign-in", `/en/users/${encodeURIComponent("nobody-here")}`]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBeTruthy();
    }
  });

  it("renders a public profile with its charts", async () => {
    const board = (await (await fetch(`${app.url}/api/leaderboard?period=all_time&limit=5`)).json()) as {
      data: Array<{ username: string; isPrivate: boolean }>;
    };
    const visible = board.data.find((entry) => !entry.isPrivate)!;
    await page.goto(`${app.url}/en/users/${visible.username}`);
    expect(await waitForCharts(page, 5)).toBeGreaterThanOrEqual(5);
    await expect(page.getByTestId("rank-cards").isVisible()).resolves.toBe(true);
    await screenshot(page, "profile");
  });

  it("switches to every language", async () => {
    await page.goto(`${app.url}/en`);
    for (const locale of ["ko", "ja", "zh"] as const) {
      await page.getByTestId("locale-switcher").selectOption(locale);
      await page.waitForURL(new RegExp(`/${locale}(\\?|$)`));
      await expect(page.locator("html").getAttribute("lang")).resolves.toBe(locale);
      await expect(page.locator("h1").first().textContent()).resolves.toBe(messages(locale).leaderboard!.title);
      await screenshot(page, `leaderboard-${locale}`);
    }
    await page.goto(`${app.url}/ja/dashboard`);
    await page.waitForSelector("[data-testid=dashboard]");
    await waitForCharts(page, 6);
    await screenshot(page, "dashboard-ja");
  });

  it("fits a 360 px phone in dark mode", async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: "dark" });
    const small = await phone.newPage();
    await small.goto(`${app.url}/en`);
    await screenshot(small, "leaderboard-phone-dark");
    const background = () => small.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe("rgb(13, 14, 18)"); // the dark --bg, from the OS preference
    await small.evaluate(() => document.documentElement.classList.add("light"));
    expect(await background()).toBe("rgb(247, 247, 251)"); // the theme toggle's class overrides it
    await small.evaluate(() => document.documentElement.classList.remove("light"));
    const overflow = () => small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    const board = (await (await fetch(`${app.url}/api/leaderboard?period=all_time&limit=5`)).json()) as {
      data: Array<{ username: string; isPrivate: boolean }>;
    };
    await small.goto(`${app.url}/en/users/${board.data.find((entry) => !entry.isPrivate)!.username}`);
    await waitForCharts(small, 5);
    await screenshot(small, "profile-phone-dark");
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.close();
  });
});
