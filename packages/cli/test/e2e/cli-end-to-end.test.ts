import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_PACKAGE, ensureCliBuilt } from "../helpers/build-cli";
import { createTempHome, findFilesContaining, removeTempHome, snapshotTree } from "../helpers/fixture-home";
import { getSchedulerLog, runCli, runHookCommand } from "../helpers/run-cli";
import { emptyTruth, getTranscriptPath, type Truth, writeClaudeSession, writeUserSettings } from "./claude-home";
import { waitForTotals } from "./server-totals";

const USERNAME = "ana_e2e";
const isToolData = (path: string) => path.startsWith(".claude/projects");

describe("the built modu-arena binary against the real API", () => {
  let server: RunningApiServer;
  let apiKey: string;
  let home: string;
  let before: Record<string, string>;
  const truth = emptyTruth();

  beforeAll(async () => {
    ensureCliBuilt();
    server = await startApiServer();
    ({ apiKey } = await server.createUser(USERNAME));
    home = createTempHome("modu-e2e-");
    writeUserSettings(home);
    writeClaudeSession(home, "11111111-1111-4111-8111-111111111111", 4, truth);
    writeClaudeSession(home, "22222222-2222-4222-8222-222222222222", 2, truth);
    before = snapshotTree(home, isToolData);
  });

  afterAll(async () => {
    await server?.close();
    if (home) removeTempHome(home);
  });

  const LAUNCHER = () => join(home, ".modu-arena", "bin", "modu-arena.mjs");
  const cli = (args: string[], extra: { stdin?: string; env?: Record<string, string> } = {}) =>
    runCli(args, { home, ...extra });

  it("fails with a reason and a hint when not installed", async () => {
    const result = await cli(["rank"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/error: modu-arena is not installed\nhint: /);
    expect(result.stdout).toBe("");
  });

  it("refuses a key the server does not know, and writes nothing", async () => {
    const result = await cli([
      "install",
      "--api-key",
      `modu_arena_AAAAAAAA_${"B".repeat(32)}`,
      "--server",
      server.url,
      "--no-backfill",
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("hint:");
    expect(snapshotTree(home, isToolData)).toEqual(before);
  });

  it("installs: config 0600 in a 0700 folder, hooks in Claude Code settings and Codex config", async () => {
    const result = await cli(["install", "--api-key", apiKey, "--server", server.url, "--no-backfill"]);
    expect(result.stderr).toContain(`signed in as ${USERNAME}`);
    expect(result.code).toBe(0);
    expect(statSync(join(home, ".modu-arena")).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, ".modu-arena", "config.json")).mode & 0o777).toBe(0o600);
    const settings = JSON.parse(readFileSync(join(home, ".claude", "settings.json"), "utf8"));
    expect(JSON.stringify(settings.hooks.Stop)).toContain("hook claude-code");
    expect(JSON.stringify(settings.hooks.SessionEnd)).toContain("hook claude-code");
    const toml = readFileSync(join(home, ".codex", "config.toml"), "utf8");
    expect(toml).toMatch(
      /notify = \[".*", ".*\/\.modu-arena\/bin\/modu-arena\.mjs", "hook", "codex", "--", "\/bin\/true", "--quiet"\]/,
    );
    // The hooks run the launcher beside the installed copy of the bundle, never the bundle install ran from
    // (an npx cache, here the build folder).
    expect(existsSync(join(home, ".modu-arena", "bin", "modu-arena.mjs"))).toBe(true);
    expect(findFilesContaining(home, CLI_PACKAGE)).toEqual([]);
    // Installed from a checkout, better-sqlite3 comes along: Crush (SQLite) stays tracked.
    expect(existsSync(join(home, ".modu-arena", "bin", "node_modules", "better-sqlite3", "package.json"))).toBe(true);
    expect(result.stderr).not.toContain("not tracking");
    expect(readFileSync(join(home, ".claude", "commands", "modu", "submit.md"), "utf8")).toContain(
      `${LAUNCHER()} submit --run`,
    );
    // The scheduler commands are recorded (MODU_ARENA_SCHEDULER_LOG), not run, on this shared machine.
    const scheduler = readFileSync(getSchedulerLog(home), "utf8");
    expect(scheduler).toContain('"args":["--user","enable","--now","modu-arena-sync.timer"]');
    expect(readFileSync(join(home, ".config/systemd/user/modu-arena-sync.service"), "utf8")).toContain(
      '"sync" "--from-schedule"',
    );
    const installed = snapshotTree(home);
    const again = await cli(["install", "--api-key", apiKey, "--server", server.url, "--no-backfill"]);
    expect(again.code).toBe(0);
    // Idempotent: a second install changes no byte anywhere in the home.
    expect(snapshotTree(home)).toEqual(installed);
  });

  it("a Stop hook returns fast and its detached sync brings the server to the fixture's truth", async () => {
    const stdin = JSON.stringify({
      session_id: "11111111-1111-4111-8111-111111111111",
      transcript_path: getTranscriptPath(home, "11111111-1111-4111-8111-111111111111"),
      cwd: "/home/ana/src/demo",
      hook_event_name: "Stop",
      stop_hook_active: false,
      last_assistant_message: "done",
    });
    // The command exactly as installed in the settings, run the way Claude Code runs it.
    const settings = JSON.parse(readFileSync(join(home, ".claude", "settings.json"), "utf8"));
    const command: string = settings.hooks.Stop.at(-1).hooks[0].command;
    const hook = await runHookCommand(command, { home, stdin });
    expect(hook.code).toBe(0);
    expect(hook.stdout).toBe("");
    expect(hook.stderr).toBe("");
    console.log(`hook returned in ${hook.ms.toFixed(0)} ms (spawn to exit; node runs on in the background)`);
    expect(await waitForTotals(server, USERNAME, truth)).toEqual(truth);
  });

  it("a resend of everything (cursors lost) and a second sync leave the totals unchanged", async () => {
    rmSync(join(home, ".modu-arena", "state"), { recursive: true, force: true });
    const resend = await cli(["sync", "--json"]);
    expect(resend.code).toBe(0);
    const report = JSON.parse(resend.stdout);
    expect(report.upload.acknowledged.duplicate).toBe(2);
    expect(await server.getUserTotals(USERNAME)).toEqual(truth);
    const idle = await cli(["sync", "--json"]);
    expect(JSON.parse(idle.stdout).tools[0].sessions).toBe(0);
    expect(await server.getUserTotals(USERNAME)).toEqual(truth);
  });

  it("a resumed session uploads only its growth", async () => {
    writeClaudeSession(home, "22222222-2222-4222-8222-222222222222", 3, truth, 2);
    const result = await cli(["sync"]);
    expect(result.code).toBe(0);
    expect(await server.getUserTotals(USERNAME)).toEqual(truth);
  });

  it("a Stop hook's sync reads the session it names; the next full sync reads the others' growth", async () => {
    const hooked = "11111111-1111-4111-8111-111111111111";
    const hookedGrowth = emptyTruth();
    const otherGrowth = emptyTruth();
    writeClaudeSession(home, hooked, 2, hookedGrowth, 10);
    writeClaudeSession(home, "22222222-2222-4222-8222-222222222222", 2, otherGrowth, 10);
    const add = (into: Truth, growth: Truth) => {
      for (const key of Object.keys(growth) as (keyof Truth)[]) into[key] += growth[key];
    };
    add(truth, hookedGrowth);
    const settings = JSON.parse(readFileSync(join(home, ".claude", "settings.json"), "utf8"));
    const stdin = JSON.stringify({
      session_id: hooked,
      transcript_path: getTranscriptPath(home, hooked),
      hook_event_name: "Stop",
    });
    const hook = await runHookCommand(settings.hooks.Stop.at(-1).hooks[0].command, { home, stdin });
    expect(hook.code).toBe(0);
    expect(await waitForTotals(server, USERNAME, truth)).toEqual(truth);
    add(truth, otherGrowth);
    expect((await cli(["sync"])).code).toBe(0);
    expect(await server.getUserTotals(USERNAME)).toEqual(truth);
  });

  it("kills in the middle of syncs lose nothing and count nothing twice", async () => {
    let kills = 0;
    let batch = 0;
    for (const delay of [0, 5, 10, 20, 30, 45, 60]) {
      // Fresh work for each round: new sessions, and growth of the previous round's sessions.
      for (let index = 0; index < 60; index += 1) {
        writeClaudeSession(home, `33333333-3333-4333-8333-${String(batch * 100 + index).padStart(12, "0")}`, 2, truth);
        if (batch > 0)
          writeClaudeSession(
            home,
            `33333333-3333-4333-8333-${String((batch - 1) * 100 + index).padStart(12, "0")}`,
            1,
            truth,
            2 + batch,
          );
      }
      batch += 1;
      const run = cli(["sync"]);
      // SIGKILL once the sync holds its lock: no chance to clean up its lock, temp files or half-done upload.
      if (await killSyncAfter(home, delay)) kills += 1;
      await run;
    }
    console.log(
      `${kills} of 7 syncs killed mid-run; server totals before the final sync:`,
      await server.getUserTotals(USERNAME),
    );
    expect(kills).toBeGreaterThanOrEqual(3);
    const final = await cli(["sync"]);
    expect(final.code).toBe(0);
    expect(await server.getUserTotals(USERNAME)).toEqual(truth);
  });

  it("status and rank print JSON on request", async () => {
    const status = await cli(["status", "--json"]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.key).toMatchObject({ valid: true, username: USERNAME });
    expect(parsed.tools.find((tool: { tool: string }) => tool.tool === "claude-code")).toMatchObject({
      hookInstalled: true,
      queued: 0,
    });
    // What the installed hooks run: the launcher of the installed copy.
    expect(parsed.hooksRun).toEqual({ node: process.execPath, script: LAUNCHER(), present: true });
    const rank = await cli(["rank", "--json"]);
    expect(rank.code).toBe(0);
    expect(JSON.parse(rank.stdout).stats.totalSessions).toBe(truth.totalSessions);
  });

  it("status fails with a hint when the CLI the hooks run is gone (an npx cache cleared)", async () => {
    const manifestPath = join(home, ".modu-arena", "installed.json");
    const manifest = readFileSync(manifestPath, "utf8");
    const gone = join(home, "npx-cache-cleared", "cli.js");
    writeFileSync(manifestPath, manifest.replace(JSON.stringify(LAUNCHER()), JSON.stringify(gone)));
    try {
      const status = await cli(["status"]);
      expect(status.code).toBe(3);
      expect(status.stdout).toContain(`hooks    run ${gone}  missing`);
      expect(status.stderr).toMatch(
        /error: the hooks run .*npx-cache-cleared.*no longer there\nhint: run `modu-arena install` again/,
      );
    } finally {
      writeFileSync(manifestPath, manifest);
    }
  });

  it("uninstall leaves the home byte-identical to before install and the key nowhere", async () => {
    const result = await cli(["uninstall"]);
    expect(result.code).toBe(0);
    expect(readFileSync(getSchedulerLog(home), "utf8")).toContain('"disable","--now"');
    expect(snapshotTree(home, isToolData)).toEqual(before);
    expect(findFilesContaining(home, apiKey)).toEqual([]);
  });
});

/** Waits for a sync to take its lock, lets it run `delay` ms more, then SIGKILLs it; false when it ended first. */
async function killSyncAfter(home: string, delay: number): Promise<boolean> {
  const lock = join(home, ".modu-arena", "sync.lock");
  const deadline = Date.now() + 5_000;
  let pid: number | undefined;
  while (pid === undefined && Date.now() < deadline) {
    try {
      pid = (JSON.parse(readFileSync(lock, "utf8")) as { pid: number }).pid;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  if (pid === undefined) return false;
  await new Promise((resolve) => setTimeout(resolve, delay));
  try {
    process.kill(pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}
