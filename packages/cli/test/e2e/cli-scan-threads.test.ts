import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  functionCall,
  rolloutPath,
  sessionMeta,
  tokenCount,
  turnContext,
  userMessage,
} from "../fixtures/codex-records";
import { ensureCliBuilt } from "../helpers/build-cli";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";
import { runCli } from "../helpers/run-cli";
import { writeMixedClaudeHome } from "./claude-home";

/** Rollouts of `count` Codex threads, each with growing cumulative totals and a tool call. */
function writeCodexHome(home: string, count: number): void {
  for (let index = 0; index < count; index++) {
    const id = `0197f3a2-0000-7000-8000-${String(index).padStart(12, "0")}`;
    const at = (second: number) => new Date(Date.UTC(2026, 10, 20, index, 0, second)).toISOString();
    const lines: unknown[] = [sessionMeta(id, at(0)), turnContext(at(1)), userMessage(at(2))];
    for (let turn = 1; turn <= 5; turn++) {
      lines.push(functionCall(at(2 + turn * 2), "exec_command", { cmd: "ls" }));
      lines.push(tokenCount(at(3 + turn * 2), [1000 * turn + index, 400 * turn, 50 * turn, 10 * turn]));
    }
    const path = rolloutPath(`${home}/.codex`, "sessions", "2026-11-20", id);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
  }
}

/**
 * Full scans read files on worker threads from the built binary (dist/*-scan-worker.js). Whatever the thread
 * count, the payloads must be exactly the single-threaded ones (the Claude merge is ordered).
 */
describe("full scans on worker threads (built binary)", () => {
  let home: string;

  beforeAll(() => {
    ensureCliBuilt();
    home = createTempHome("modu-e2e-threads-");
    writeMixedClaudeHome(home, 24);
    writeCodexHome(home, 12);
  });
  afterAll(() => removeTempHome(home));

  const dryRun = async (threads: string, tool = "claude-code") => {
    const run = await runCli(["sync", "--dry-run", "--tool", tool], {
      home,
      env: { MODU_ARENA_SCAN_THREADS: threads },
    });
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { sessionId: string }[];
  };

  it("sends the same sessions with 0, 1 and 3 worker threads", async () => {
    const inline = await dryRun("0");
    expect(inline).toHaveLength(24);
    expect(await dryRun("1")).toEqual(inline);
    expect(await dryRun("3")).toEqual(inline);
  });

  it("reads Codex rollouts the same with 0, 1 and 3 worker threads", async () => {
    const inline = await dryRun("0", "codex");
    expect(inline).toHaveLength(12);
    expect(await dryRun("1", "codex")).toEqual(inline);
    expect(await dryRun("3", "codex")).toEqual(inline);
  });
});
