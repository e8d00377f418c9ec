import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Runtime } from "../runtime";
import { getStatePaths } from "../state/paths";

/**
 * What a tool runs after a turn: `modu-arena hook <tool> [-- <user's own notify argv>] [payload]`.
 * It must return within a blink (the tool may wait on it), so it only drains stdin, starts a detached
 * `modu-arena sync`, and exits 0 whatever happens. Kept free of zod and commander imports for speed.
 */
const HOOK_TOOLS = new Set(["claude-code", "claude-desktop", "opencode", "gemini", "codex", "crush"]);
const STDIN_WAIT_MS = 250;

function drainStdin(stdin: Runtime["stdin"]): Promise<void> {
  if (stdin.isTTY) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      stdin.removeListener("end", finish);
      stdin.removeListener("error", finish);
      (stdin as { destroy?: () => void }).destroy?.();
      resolve();
    };
    // Claude Code and Gemini write their JSON and close stdin; a tool that keeps it open is not waited for.
    const timer = setTimeout(finish, STDIN_WAIT_MS);
    stdin.on("data", () => {});
    stdin.once("end", finish);
    stdin.once("error", finish);
    stdin.resume();
  });
}

/** Codex: our notify argv chains to the one the user had; run theirs with the payload Codex appended. */
function runChainedCommand(rest: string[]): void {
  const at = rest.indexOf("--");
  if (at < 0) return;
  const [command, ...args] = rest.slice(at + 1);
  if (!command) return;
  spawn(command, args, { detached: true, stdio: "ignore", windowsHide: true }).unref();
}

export async function runHook(args: string[], runtime: Runtime): Promise<number> {
  const [tool, ...rest] = args;
  try {
    if (!tool || !HOOK_TOOLS.has(tool)) {
      runtime.stderr.write(`modu-arena hook: unknown tool ${tool ?? "(none)"}\n`);
      return 0;
    }
    await drainStdin(runtime.stdin);
    if (tool === "codex") runChainedCommand(rest);
    // Not installed (or uninstalled while the tool still had our hook): stay silent.
    if (existsSync(getStatePaths(runtime.home).config)) {
      runtime.spawnDetached(["sync", "--tool", tool, "--from-hook"]);
    }
  } catch (error) {
    runtime.stderr.write(`modu-arena hook: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  return 0;
}
