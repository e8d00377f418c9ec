import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { parse as parseJsonc } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPluginFile } from "../../src/hooks/opencode";
import { parseStringArray, scanTopLevel } from "../../src/hooks/toml-top-level";
import { readTextIfExists } from "../../src/state/atomic-file";
import { sessionMeta, tokenCount, turnContext, userMessage } from "../fixtures/codex-records";
import { chatFileName, chatMetadata, geminiMessage, userMessage as geminiUser } from "../fixtures/gemini-records";
import { assistantData, OpenCodeDbFixture, userData } from "../fixtures/opencode-store";
import { ensureCliBuilt } from "../helpers/build-cli";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";
import { runCli, runHookCommand } from "../helpers/run-cli";
import type { Truth } from "./claude-home";
import { waitForTotals } from "./server-totals";

const USERNAME = "dana_e2e";
const CODEX_ID = "019a0000-0000-7000-8000-000000000001";
const GEMINI_ID = "6d3c2b1a-0000-4000-8000-000000000002";

function writeJsonl(path: string, records: unknown[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${records.map((record) => JSON.stringify(record)).join("\n")}\n`);
}

/**
 * Codex (cumulative totals; input includes cached, output includes reasoning) and Gemini (input
 * includes cached, thoughts separate), normalised by hand as in TOOL-LOG-FORMATS.md §0.1.
 */
function layOutHome(home: string): Truth {
  writeJsonl(join(home, ".codex/sessions/2026/11/20", `rollout-2026-11-20T09-00-00-${CODEX_ID}.jsonl`), [
    sessionMeta(CODEX_ID, "2026-11-20T09:00:00.000Z"),
    turnContext("2026-11-20T09:00:01.000Z"),
    userMessage("2026-11-20T09:00:02.000Z"),
    tokenCount("2026-11-20T09:00:10.000Z", [600, 200, 100, 20]),
    // Re-emitted, not advancing: counted once.
    tokenCount("2026-11-20T09:00:11.000Z", [600, 200, 100, 20]),
    userMessage("2026-11-20T09:01:00.000Z"),
    tokenCount("2026-11-20T09:01:10.000Z", [1000, 400, 200, 50], [400, 200, 100, 30]),
  ]);
  writeFileSync(join(home, ".codex/config.toml"), 'model = "gpt-5.2-codex"\n');
  const start = "2026-11-20T10:00:00.000Z";
  writeJsonl(join(home, ".gemini/tmp/demo-app/chats", chatFileName(GEMINI_ID, start)), [
    chatMetadata(GEMINI_ID, start),
    geminiUser("u-1", start),
    geminiMessage("g-1", "2026-11-20T10:00:05.000Z", { input: 5000, output: 300, cached: 1000, thoughts: 50, tool: 0 }),
    geminiUser("u-2", "2026-11-20T10:01:00.000Z"),
    geminiMessage("g-2", "2026-11-20T10:01:05.000Z", { input: 7000, output: 100, cached: 4000, thoughts: 0, tool: 0 }),
  ]);
  return {
    inputTokens: 1000 - 400 + (5000 - 1000) + (7000 - 4000),
    outputTokens: 200 + 300 + 50 + 100,
    cacheCreationTokens: 0,
    cacheReadTokens: 400 + 1000 + 4000,
    // Codex's cumulative reasoning_output_tokens, Gemini's thoughts.
    reasoningTokens: 50 + 50,
    totalSessions: 2,
  };
}

/** OpenCode stores input net of cache; reasoning is separate and billed as output (no `total` here). */
function writeOpenCodeStore(home: string): Truth {
  const store = new OpenCodeDbFixture(join(home, ".local/share/opencode/opencode.db"));
  const t0 = Date.parse("2026-11-20T11:00:00.000Z");
  store.session("ses_e2e", t0);
  store.message("msg_u1", "ses_e2e", userData(t0), t0);
  store.message(
    "msg_a1",
    "ses_e2e",
    assistantData({ input: 120, output: 40, reasoning: 10, read: 500, write: 30 }, t0 + 1000),
    t0 + 6000,
  );
  store.message(
    "msg_a2",
    "ses_e2e",
    assistantData({ input: 200, output: 60, reasoning: 0, read: 900, write: 0 }, t0 + 9000),
    t0 + 14000,
  );
  store.close();
  return {
    inputTokens: 320,
    outputTokens: 110,
    cacheCreationTokens: 30,
    cacheReadTokens: 1400,
    reasoningTokens: 10,
    totalSessions: 1,
  };
}

describe("Codex notify and Gemini AfterAgent hooks, end to end (built binary)", () => {
  let server: RunningApiServer;
  let apiKey: string;
  let home: string;
  let truth: Truth;

  beforeAll(async () => {
    ensureCliBuilt();
    server = await startApiServer();
    ({ apiKey } = await server.createUser(USERNAME));
    home = createTempHome("modu-e2e-multi-");
    truth = layOutHome(home);
  });

  afterAll(async () => {
    await server?.close();
    if (home) removeTempHome(home);
  });

  it("each tool's hook, fired the way the tool fires it, brings the server to the fixtures' truth", async () => {
    const install = await runCli(["install", "--api-key", apiKey, "--server", server.url, "--no-backfill"], { home });
    expect(install.code).toBe(0);
    expect(install.stdout).toMatch(/tracking .*codex/);
    expect(install.stdout).toMatch(/tracking .*gemini/);

    // Codex: spawns the notify argv with the event JSON as last argument; stdin and stdout are null.
    const toml = readTextIfExists(join(home, ".codex/config.toml"))!;
    const scan = scanTopLevel(toml);
    if ("error" in scan) throw new Error(scan.error);
    const entry = scan.entries.find((candidate) => candidate.key === "notify")!;
    const argv = parseStringArray(toml.slice(entry.valueStart, entry.end))!;
    const event = { type: "agent-turn-complete", "thread-id": CODEX_ID, "turn-id": "2", cwd: "/home/ana/src/demo" };
    const codexExit = await new Promise<number | null>((resolve) => {
      const child = spawn(argv[0]!, [...argv.slice(1), JSON.stringify(event)], {
        stdio: "ignore",
        env: { PATH: process.env.PATH ?? "", HOME: home },
      });
      child.on("close", resolve);
    });
    expect(codexExit).toBe(0);

    // Gemini: the installed command hook, through the shell, the AfterAgent JSON on stdin; stdout must stay
    // empty (or JSON).
    const geminiSettings = parseJsonc(readTextIfExists(join(home, ".gemini/settings.json"))!);
    const gemini = await runHookCommand(geminiSettings.hooks.AfterAgent.at(-1).hooks[0].command, {
      home,
      stdin: JSON.stringify({
        session_id: GEMINI_ID,
        transcript_path: join(home, ".gemini/tmp/demo-app/chats", chatFileName(GEMINI_ID, "2026-11-20T10:00:00.000Z")),
        cwd: "/home/ana/src/demo",
        hook_event_name: "AfterAgent",
        timestamp: "2026-11-20T10:01:06.000Z",
        prompt: "list the routes",
        prompt_response: "done",
        stop_hook_active: false,
      }),
    });
    expect([gemini.code, gemini.stdout]).toEqual([0, ""]);

    expect(await waitForTotals(server, USERNAME, truth)).toEqual(truth);
  });

  it("the OpenCode plugin, on session.idle, uploads that session", async () => {
    const opencode = writeOpenCodeStore(home);
    const expected: Truth = {
      inputTokens: truth.inputTokens + opencode.inputTokens,
      outputTokens: truth.outputTokens + opencode.outputTokens,
      cacheCreationTokens: truth.cacheCreationTokens + opencode.cacheCreationTokens,
      cacheReadTokens: truth.cacheReadTokens + opencode.cacheReadTokens,
      reasoningTokens: truth.reasoningTokens + opencode.reasoningTokens,
      totalSessions: truth.totalSessions + 1,
    };
    const install = await runCli(["install", "--api-key", apiKey, "--server", server.url, "--no-backfill"], { home });
    expect(install.stderr).toContain("OpenCode: plugin written");
    // OpenCode loads the plugin and calls its event hook; the spawned hook inherits OpenCode's environment.
    const path = getPluginFile({ home, env: {} });
    const plugin = (await import(path)) as { ModuArena: () => Promise<{ event: (input: unknown) => Promise<void> }> };
    const hooks = await plugin.ModuArena();
    const realHome = process.env.HOME;
    process.env.HOME = home;
    try {
      await hooks.event({ event: { type: "session.idle", properties: { sessionID: "ses_e2e" } } });
    } finally {
      process.env.HOME = realHome;
    }
    expect(await waitForTotals(server, USERNAME, expected)).toEqual(expected);
  });
});
