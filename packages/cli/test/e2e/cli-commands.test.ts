import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStringArray, scanTopLevel } from "../../src/hooks/toml-top-level";
import { getStatePaths } from "../../src/state/paths";
import { enqueueSessions } from "../../src/state/queue";
import { ensureCliBuilt } from "../helpers/build-cli";
import { getClosedPortUrl } from "../helpers/closed-port";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";
import { runCli } from "../helpers/run-cli";
import { emptyTruth, writeClaudeSession } from "./claude-home";

const USERNAME = "ben_e2e";
const COMMANDS = ["install", "sync", "status", "rank", "stats", "uninstall"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe("modu-arena commands (built binary)", () => {
  let server: RunningApiServer;
  let apiKey: string;
  let home: string;
  const truth = emptyTruth();

  beforeAll(async () => {
    ensureCliBuilt();
    server = await startApiServer();
    ({ apiKey } = await server.createUser(USERNAME));
    home = createTempHome("modu-e2e-cmd-");
    writeClaudeSession(home, "44444444-4444-4444-8444-444444444444", 3, truth);
    mkdirSync(join(home, ".gemini"), { recursive: true });
    mkdirSync(join(home, ".codex"), { recursive: true });
    writeFileSync(
      join(home, ".codex", "config.toml"),
      `notify = ["/bin/sh", "-c", "printf '%s' \\"$1\\" > ${join(home, "chained.json")}", "sh"]\n`,
    );
  });

  afterAll(async () => {
    await server?.close();
    if (home) removeTempHome(home);
  });

  const cli = (args: string[], extra: { stdin?: string; env?: Record<string, string> } = {}) =>
    runCli(args, { home, ...extra });

  it("every command has --help and exits 0 with it", async () => {
    for (const command of COMMANDS) {
      const result = await cli([command, "--help"]);
      expect(result.code, command).toBe(0);
      expect(result.stdout).toContain(`Usage: modu-arena ${command}`);
    }
  });

  it("a usage error exits 2; an unknown tool names the valid ones", async () => {
    expect((await cli(["sync", "--bogus"])).code).toBe(2);
    const result = await cli(["stats", "--tool", "vim"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: unknown tool: vim\nhint: choose among claude-code/);
  });

  it("stats works with no server and no install, as JSON and as a table without colour", async () => {
    const json = await cli(["stats", "--by", "model", "--json", "--timezone", "UTC"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.totals).toMatchObject({
      inputTokens: truth.inputTokens,
      outputTokens: truth.outputTokens,
      cacheReadTokens: truth.cacheReadTokens,
    });
    const table = await cli(["stats"]);
    expect(table.stdout).toMatch(/^day\s+input/);
    expect(table.stdout).not.toContain("\u001b[");
  });

  it("sync --dry-run prints the payloads and sends and saves nothing", async () => {
    const result = await cli(["sync", "--dry-run"]);
    expect(result.code).toBe(0);
    const payloads = JSON.parse(result.stdout);
    expect(payloads).toHaveLength(1);
    expect(payloads[0]).toMatchObject({ toolType: "claude-code", inputTokens: truth.inputTokens });
    expect(JSON.stringify(payloads)).not.toContain("/home/ana");
    expect(existsSync(join(home, ".modu-arena"))).toBe(false);
  });

  it("install backfills the history", async () => {
    const result = await cli(["install", "--api-key", apiKey, "--server", server.url, "--json"]);
    expect(result.stderr).toContain(`signed in as ${USERNAME} on ${server.url}`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).tools).toEqual(expect.arrayContaining(["claude-code", "gemini", "codex"]));
    expect(await server.getUserTotals(USERNAME)).toEqual(truth);
    // Run again as a person would: it says what the backfill found (nothing new now).
    const again = await cli(["install", "--api-key", apiKey, "--server", server.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^history: 0 session\(s\) collected, 0 uploaded, 0 still queued$/m);
  });

  it("hooks return fast: Claude Code Stop, Gemini AfterAgent, Codex notify (chaining the user's command)", async () => {
    const claudeStdin = JSON.stringify({
      session_id: "x",
      transcript_path: "/x.jsonl",
      cwd: "/",
      hook_event_name: "Stop",
      stop_hook_active: false,
    });
    const geminiStdin = JSON.stringify({
      session_id: "g",
      transcript_path: "/g.jsonl",
      cwd: "/",
      hook_event_name: "AfterAgent",
      timestamp: new Date().toISOString(),
      prompt: "p",
      prompt_response: "r",
    });
    const times: number[] = [];
    for (let run = 0; run < 7; run += 1) {
      const claude = await cli(["hook", "claude-code"], { stdin: claudeStdin });
      const gemini = await cli(["hook", "gemini"], { stdin: geminiStdin });
      expect([claude.code, gemini.code, claude.stdout, gemini.stdout]).toEqual([0, 0, "", ""]);
      times.push(claude.ms, gemini.ms);
    }
    const baseline: number[] = [];
    for (let run = 0; run < 5; run += 1) baseline.push((await runCli(["--version"], { home })).ms);
    console.log(
      `hook: median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms; \`--version\` (node start-up + entry) median ${median(baseline).toFixed(0)} ms`,
    );
    expect(median(times)).toBeLessThan(1_000);

    // Codex runs the notify argv from config.toml with the event JSON appended, stdin and stdout null.
    const text = readFileSync(join(home, ".codex", "config.toml"), "utf8");
    const scan = scanTopLevel(text);
    if ("error" in scan) throw new Error(scan.error);
    const entry = scan.entries.find((candidate) => candidate.key === "notify")!;
    const argv = parseStringArray(text.slice(entry.valueStart, entry.end))!;
    const event = JSON.stringify({
      type: "agent-turn-complete",
      "thread-id": "t1",
      "turn-id": "1",
      cwd: "/",
      "input-messages": ["hi"],
      "last-assistant-message": "ok",
    });
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(argv[0]!, [...argv.slice(1), event], {
        stdio: "ignore",
        env: { PATH: process.env.PATH ?? "", HOME: home },
      });
      child.on("close", resolve);
    });
    expect(code).toBe(0);
    const deadline = Date.now() + 5_000;
    while (!existsSync(join(home, "chained.json")) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(JSON.parse(readFileSync(join(home, "chained.json"), "utf8"))).toMatchObject({ "thread-id": "t1" });
  });

  it("a session the server rejects as invalid goes to the dead-letter file with its reason, not retried", async () => {
    const paths = getStatePaths(home);
    await enqueueSessions(
      paths,
      [
        {
          toolType: "claude-code",
          sessionId: "from-the-future",
          endedAt: "2099-01-01T00:00:00.000Z",
          inputTokens: 1,
          outputTokens: 1,
        },
      ],
      new Date(),
    );
    // Whichever sync sends it (this one, or one a hook above started), it is dead-lettered once and leaves the queue.
    for (let run = 0; run < 2; run += 1) {
      const result = await cli(["sync"]);
      expect(result.code, result.stderr).toBe(0);
    }
    const lines = readFileSync(paths.deadLetter, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      sessionId: "from-the-future",
      reason: expect.stringContaining("invalid_request"),
    });
    expect(existsSync(paths.queueDir) ? readdirSync(paths.queueDir) : []).toEqual([]);
    expect(await server.getUserTotals(USERNAME)).toEqual(truth);
    const status = await cli(["status", "--json"]);
    const tools = JSON.parse(status.stdout).tools as { tool: string; rejected: number }[];
    expect(tools.find((tool) => tool.tool === "claude-code")?.rejected).toBe(1);
    expect((await cli(["status"])).stdout).toContain(paths.deadLetter);
  });

  it("an unreachable server (MODU_ARENA_API_URL overrides the saved one) keeps the queue, exits 4 with a hint", async () => {
    writeClaudeSession(home, "55555555-5555-4555-8555-555555555555", 1, truth);
    const closed = await getClosedPortUrl();
    const result = await cli(["sync"], { env: { MODU_ARENA_API_URL: closed } });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`error: cannot reach ${closed}`);
    expect(result.stderr).toMatch(/1 session\(s\) kept in the queue\nhint: /);
    const retry = await cli(["sync"]);
    expect(retry.code).toBe(0);
    expect(await server.getUserTotals(USERNAME)).toEqual(truth);
  });

  it("uninstall restores Codex's own notify command", async () => {
    expect((await cli(["uninstall"])).code).toBe(0);
    expect(readFileSync(join(home, ".codex", "config.toml"), "utf8")).toBe(
      `notify = ["/bin/sh", "-c", "printf '%s' \\"$1\\" > ${join(home, "chained.json")}", "sh"]\n`,
    );
    expect(existsSync(join(home, ".gemini", "settings.json"))).toBe(false);
  });
});
