import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli";
import { createOutput } from "../../src/output/output";
import { createProgram } from "../../src/program";
import { getStatePaths } from "../../src/state/paths";
import { createFakeCollector } from "../helpers/fake-collector";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";
import { createTestRuntime } from "../helpers/test-runtime";

describe("the program, run in-process with an injected runtime", () => {
  let server: RunningApiServer;
  let apiKey: string;
  let home: string;

  beforeAll(async () => {
    server = await startApiServer();
    ({ apiKey } = await server.createUser("eve_inproc"));
    home = createTempHome();
    mkdirSync(join(home, ".local", "share", "crush"), { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
    removeTempHome(home);
  });

  it("install uses the injected collectors and scheduler, and backfills through them", async () => {
    const fake = createFakeCollector("crush");
    fake.grow("crush-session-1", 1234);
    const runtime = createTestRuntime(home, {
      answer: (command) =>
        command === "systemctl" ? { code: 1, stdout: "", stderr: "no bus" } : { code: 0, stdout: "", stderr: "" },
    });
    const code = await run(["install", "--api-key", apiKey, "--server", server.url], runtime, {
      collectors: [fake.collector],
    });
    expect(runtime.stderrText()).toContain("signed in as eve_inproc");
    expect(code).toBe(0);
    // No systemd user bus here: the schedule falls back to the crontab, through the injected OS call.
    expect(runtime.osCalls.map((call) => `${call.command} ${call.args.join(" ")}`)).toEqual([
      "systemctl --user show-environment",
      "crontab -l",
      "crontab -",
    ]);
    expect(runtime.osCalls[2]?.input).toContain("sync --from-schedule");
    expect(await server.getUserTotals("eve_inproc")).toMatchObject({ inputTokens: 1234, totalSessions: 1 });
  });

  it("--tools naming a tool that is not installed adds no hook and creates none of its folders", async () => {
    const bare = createTempHome();
    try {
      const runtime = createTestRuntime(bare);
      const code = await run(
        ["install", "--api-key", apiKey, "--server", server.url, "--tools", "gemini,codex", "--no-backfill"],
        runtime,
        { collectors: [] },
      );
      expect(code).toBe(0);
      expect(runtime.stderrText()).toContain("Gemini CLI: not found on this machine; no hook installed");
      expect(readdirSync(bare)).toEqual([".modu-arena"]);
    } finally {
      removeTempHome(bare);
    }
  });

  it("the hook path spawns a detached sync through the runtime and prints nothing", async () => {
    const runtime = createTestRuntime(home);
    expect(await run(["hook", "crush"], runtime)).toBe(0);
    expect(runtime.spawned).toEqual([["sync", "--tool", "crush", "--from-hook"]]);
    expect(runtime.stdoutText()).toBe("");
  });

  it("Claude Code's Stop hook names its transcript to the sync; SessionEnd and odd payloads do not", async () => {
    const transcript = join(home, ".claude", "projects", "-p", "5b0c9d2e-1111-4a2b-9c3d-aa00bb11cc22.jsonl");
    const fire = async (payload: Record<string, unknown> | string, tool = "claude-code") => {
      const stdin = typeof payload === "string" ? payload : JSON.stringify(payload);
      const runtime = createTestRuntime(home, { stdin });
      expect(await run(["hook", tool], runtime)).toBe(0);
      return runtime.spawned;
    };
    const stop = { session_id: "5b0c9d2e", transcript_path: transcript, hook_event_name: "Stop" };
    expect(await fire(stop)).toEqual([["sync", "--tool", "claude-code", "--from-hook", "--transcript", transcript]]);
    // The payload carries the last reply, which can be long.
    expect(await fire({ ...stop, last_assistant_message: "x".repeat(300_000) })).toEqual([
      ["sync", "--tool", "claude-code", "--from-hook", "--transcript", transcript],
    ]);
    const plain = [["sync", "--tool", "claude-code", "--from-hook"]];
    expect(await fire({ ...stop, hook_event_name: "SessionEnd" })).toEqual(plain);
    expect(await fire({ ...stop, transcript_path: "relative/x.jsonl" })).toEqual(plain);
    expect(await fire({ ...stop, transcript_path: 42 })).toEqual(plain);
    expect(await fire("{not json")).toEqual(plain);
    expect(await fire(stop, "gemini")).toEqual([["sync", "--tool", "gemini", "--from-hook"]]);
  });

  it("while a sync runs, the hook leaves it a note instead of starting another process", async () => {
    const paths = getStatePaths(home);
    writeFileSync(paths.lock, JSON.stringify({ pid: process.pid, acquiredAt: new Date().toISOString() }));
    try {
      const runtime = createTestRuntime(home);
      expect(await run(["hook", "gemini"], runtime)).toBe(0);
      expect(await run(["hook", "codex"], runtime)).toBe(0);
      expect(runtime.spawned).toEqual([]);
      expect(JSON.parse(readFileSync(paths.pending, "utf8"))).toEqual(["gemini", "codex"]);
      // A lock left by a dead process is no running sync: start one.
      writeFileSync(paths.lock, JSON.stringify({ pid: 2 ** 22 + 4321, acquiredAt: new Date().toISOString() }));
      expect(await run(["hook", "gemini"], runtime)).toBe(0);
      expect(runtime.spawned).toEqual([["sync", "--tool", "gemini", "--from-hook"]]);
    } finally {
      rmSync(paths.lock, { force: true });
      rmSync(paths.pending, { force: true });
    }
  });

  it("new commands plug in without touching the others", async () => {
    const runtime = createTestRuntime(home);
    const program = createProgram({ runtime, output: createOutput(runtime), collectors: [] }, [
      (root) => {
        root.addCommand(
          new Command("hello").action(() => {
            runtime.stdout.write("hi\n");
          }),
        );
      },
    ]);
    await program.parseAsync(["hello"], { from: "user" });
    expect(runtime.stdoutText()).toBe("hi\n");
  });
});

describe("stats", () => {
  it("refuses a --since after --until with exit 2 and both dates, reading nothing", async () => {
    const runtime = createTestRuntime("/nowhere");
    const fake = createFakeCollector("crush");
    fake.grow("s", 1);
    const code = await run(["stats", "--since", "2026-11-20", "--until", "2026-11-01"], runtime, {
      collectors: [fake.collector],
    });
    expect(code).toBe(2);
    expect(runtime.stderrText()).toContain("error: --since 2026-11-20 is after --until 2026-11-01");
    expect(runtime.stdoutText()).toBe("");
  });
});

describe("output", () => {
  it("colours only a terminal, and never with NO_COLOR", () => {
    const home = "/nowhere";
    const terminal = createTestRuntime(home, { env: { NO_COLOR: undefined } });
    Object.assign(terminal.stdout, { isTTY: true });
    expect(createOutput(terminal).color.red("x")).toBe("\u001b[31mx\u001b[39m");
    const noColor = createTestRuntime(home, { env: { NO_COLOR: "1" } });
    Object.assign(noColor.stdout, { isTTY: true });
    expect(createOutput(noColor).color.red("x")).toBe("x");
    expect(createOutput(createTestRuntime(home, { env: { NO_COLOR: undefined } })).color.red("x")).toBe("x");
  });
});
