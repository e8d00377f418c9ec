import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  emptyTruth,
  getTranscriptPath,
  writeClaudeSession,
  writeUserSettings,
} from "../../../packages/cli/test/e2e/claude-home";
import { getClosedPortUrl } from "../../../packages/cli/test/helpers/closed-port";
import { snapshotTree } from "../../../packages/cli/test/helpers/fixture-home";
import { type AppServer, startAppServer } from "./e2e/app-server";
import { launchBrowser, screenshot } from "./e2e/browser";

const SESSION = "33333333-3333-4333-8333-333333333333";
const user = {
  email: `install-${Date.now()}@example.com`,
  username: `inst_${Date.now() % 1_000_000}`,
  password: "correct-horse-42",
};

let app: AppServer;
let publicUrl: string;
let browser: Browser;
let page: Page;
let home: string;
let userEnv: Record<string, string>;
const truth = emptyTruth();
// Tool data the user's tools write and the npm cache npx fills: neither is the CLI's to restore.
const isNotOurs = (file: string) => file.startsWith(".claude/projects") || file.startsWith(".npm");

/** A shell line run as the user would paste it: `sh -c`, their HOME, npm pointed at a registry that refuses. */
function runAsUser(line: string, stdin = ""): SpawnSyncReturns<string> {
  return spawnSync("/bin/sh", ["-c", line], {
    env: userEnv as NodeJS.ProcessEnv,
    input: stdin,
    encoding: "utf8",
    timeout: 120_000,
  });
}

async function readRank(apiKey: string): Promise<{ totalSessions: number; totalTokens: number }> {
  const response = await fetch(`${app.url}/api/v1/rank`, { headers: { "X-API-Key": apiKey } });
  return ((await response.json()) as { stats: { totalSessions: number; totalTokens: number } }).stats;
}

async function waitForTokens(apiKey: string, tokens: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  let seen = -1;
  while (Date.now() < deadline) {
    seen = (await readRank(apiKey)).totalTokens;
    if (seen === tokens) return seen;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return seen;
}

// The rank's totalTokens counts input and output.
const truthTokens = () => truth.inputTokens + truth.outputTokens;

function fireStopHook(): SpawnSyncReturns<string> {
  const settings = JSON.parse(readFileSync(path.join(home, ".claude", "settings.json"), "utf8"));
  const command: string = settings.hooks.Stop.at(-1).hooks[0].command;
  const payload = JSON.stringify({
    session_id: SESSION,
    transcript_path: getTranscriptPath(home, SESSION),
    hook_event_name: "Stop",
    stop_hook_active: false,
  });
  return runAsUser(command, payload);
}

beforeAll(async () => {
  [app, browser] = await Promise.all([
    // PUBLIC_URL names the address users reach (here another name of the same loopback server).
    startAppServer({ env: (port) => ({ PUBLIC_URL: `http://localhost:${port}` }) }),
    launchBrowser(),
  ]);
  publicUrl = app.url.replace("127.0.0.1", "localhost");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  page = await context.newPage();
  home = mkdtempSync(path.join(tmpdir(), "modu-install-home-"));
  userEnv = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    TZ: "UTC",
    NO_COLOR: "1",
    // Only the server may supply the CLI: the registry refuses every connection, npm's cache starts empty.
    npm_config_registry: `${await getClosedPortUrl()}/`,
    npm_config_cache: path.join(home, ".npm"),
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    // Schedulers (for Crush) are recorded, never run, on this shared machine.
    MODU_ARENA_SCHEDULER_LOG: `${home}-scheduler.log`,
  };
  writeUserSettings(home);
  writeClaudeSession(home, SESSION, 3, truth);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (home) {
    rmSync(home, { recursive: true, force: true });
    rmSync(`${home}-scheduler.log`, { force: true });
  }
});

describe("installing the tracker from the server one signed up on", () => {
  let line = "";
  let apiKey = "";
  let before: Record<string, string> = {};

  it("signs up and reads the install line, with the new key, from the success page and the dashboard", async () => {
    await page.goto(`${app.url}/en/sign-up`);
    await page.fill("#email", user.email);
    await page.getByRole("button", { name: "Send code" }).click();
    await page.waitForSelector("#code");
    const outbox = (await (
      await fetch(`${app.url}/api/dev/outbox?email=${encodeURIComponent(user.email)}`)
    ).json()) as { latestCode: string };
    await page.fill("#code", outbox.latestCode);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForSelector("#username");
    await page.fill("#username", user.username);
    await page.fill("#new-password", user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    apiKey = (await page.getByTestId("api-key-value").textContent({ timeout: 15_000 })) ?? "";
    expect(apiKey).toMatch(/^modu_arena_/);
    const version = ((await (await fetch(`${app.url}/cli/latest.json`)).json()) as { version: string }).version;
    const expected = `npx -y ${publicUrl}/cli/modu-arena-cli-${version}.tgz install --api-key ${apiKey} --server ${publicUrl}`;
    await expect(page.getByTestId("sign-up-install").getByTestId("install-command").textContent()).resolves.toBe(
      expected,
    );
    await page.getByTestId("go-dashboard").click();
    await page.waitForSelector("[data-testid=dashboard]");
    await page.waitForFunction(
      (key) => document.querySelector("[data-testid=install-command]")?.textContent?.includes(key),
      apiKey,
    );
    line = (await page.getByTestId("install-command").textContent()) ?? "";
    expect(line).toBe(expected);
    await screenshot(page, "install-line");
    // Shown once: the next visit has the placeholder again.
    await page.reload();
    await expect(page.getByTestId("install-command").textContent()).resolves.toContain("--api-key <your-api-key>");
  });

  it("the line, run verbatim with the registry unreachable, installs the server's CLI and uploads the history", () => {
    before = snapshotTree(home, isNotOurs);
    const installed = runAsUser(line);
    expect(installed.stderr).toContain(`signed in as ${user.username}`);
    expect(installed.status).toBe(0);
    // Crush is present; its SQLite reader is a native module the tarball cannot carry, and install says so.
    expect(installed.stderr).toContain("warning: not tracking crush: the data is in SQLite");
    expect(existsSync(path.join(home, ".modu-arena", "bin", "modu-arena.mjs"))).toBe(true);
    expect(readFileSync(path.join(home, ".claude", "commands", "modu", "submit.md"), "utf8")).toContain("submit --run");
  });

  it("the history is on the server", async () => {
    expect(await waitForTokens(apiKey, truthTokens())).toBe(truthTokens());
  });

  it("a grown transcript's Stop hook brings its growth to the server, shown on the dashboard", async () => {
    writeClaudeSession(home, SESSION, 2, truth, 3);
    const hook = fireStopHook();
    expect(hook.status).toBe(0);
    expect(await waitForTokens(apiKey, truthTokens())).toBe(truthTokens());
    await page.goto(`${app.url}/en/dashboard`);
    await expect(page.getByTestId("recent-sessions").textContent()).resolves.toContain("Claude Code");
  });

  it("the hook still works with npx's cache deleted", async () => {
    rmSync(path.join(home, ".npm"), { recursive: true, force: true });
    writeClaudeSession(home, SESSION, 2, truth, 5);
    const hook = fireStopHook();
    expect(hook.status).toBe(0);
    expect(await waitForTokens(apiKey, truthTokens())).toBe(truthTokens());
  });

  it("uninstall leaves the home byte-identical to before the install", () => {
    // The launcher runs by itself too (`#!/usr/bin/env node`): the user's way to the installed CLI.
    const removed = runAsUser(`${path.join(home, ".modu-arena", "bin", "modu-arena.mjs")} uninstall`);
    expect(removed.status).toBe(0);
    expect(snapshotTree(home, isNotOurs)).toEqual(before);
  });
});
