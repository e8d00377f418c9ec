import { spawn } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import type { Runtime } from "../runtime";
import { getStatePaths } from "../state/paths";

/**
 * What a tool runs after a turn: `modu-arena hook <tool> [-- <user's own notify argv>] [payload]`.
 * It must return within a blink (the tool may wait on it), so it only drains stdin, starts a detached
 * `modu-arena sync`, and exits 0 whatever happens. Kept free of zod and commander imports for speed.
 */
const HOOK_TOOLS = new Set(["claude-code", "claude-desktop", "opencode", "gemini", "codex", "crush"]);
const STDIN_WAIT_MS = 250;
/** A hook payload is small (Claude Code's carries the last reply, though); anything past this is drained, not kept. */
const STDIN_KEEP_BYTES = 1024 * 1024;

/** Reads the tool's stdin to its end (or for a moment at most); what it wrote, when it is short. */
function drainStdin(stdin: Runtime["stdin"]): Promise<string> {
  if (stdin.isTTY) return Promise.resolve("");
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const finish = () => {
      clearTimeout(timer);
      stdin.removeListener("end", finish);
      stdin.removeListener("error", finish);
      (stdin as { destroy?: () => void }).destroy?.();
      resolve(kept <= STDIN_KEEP_BYTES ? Buffer.concat(chunks).toString("utf8") : "");
    };
    // Claude Code and Gemini write their JSON and close stdin; a tool that keeps it open is not waited for.
    const timer = setTimeout(finish, STDIN_WAIT_MS);
    stdin.on("data", (chunk: Buffer | string) => {
      kept += chunk.length;
      if (kept <= STDIN_KEEP_BYTES) chunks.push(Buffer.from(chunk));
    });
    stdin.once("end", finish);
    stdin.once("error", finish);
    stdin.resume();
  });
}

/**
 * Claude Code's `Stop` payload names the transcript that just grew: the sync reads that session only
 * (while everything was listed lately). `SessionEnd`, or anything unexpected, syncs everything.
 */
function readChangedTranscript(tool: string, payload: string): string | null {
  if (tool !== "claude-code" || payload === "") return null;
  try {
    const event = JSON.parse(payload) as { hook_event_name?: unknown; transcript_path?: unknown };
    const path = event.transcript_path;
    if (event.hook_event_name !== "Stop" || typeof path !== "string" || !path.endsWith(".jsonl")) return null;
    return isAbsolute(path) ? path : null;
  } catch {
    return null;
  }
}

/** Codex: our notify argv chains to the one the user had; run theirs with the payload Codex appended. */
function runChainedCommand(rest: string[]): void {
  const at = rest.indexOf("--");
  if (at < 0) return;
  const [command, ...args] = rest.slice(at + 1);
  if (!command) return;
  spawn(command, args, { detached: true, stdio: "ignore", windowsHide: true }).unref();
}

/**
 * A sync is already running (common: one per turn): leave it a note to go once more instead of
 * starting a second process. A lock whose holder is dead does not count.
 */
function leaveNoteForRunningSync(paths: ReturnType<typeof getStatePaths>, tool: string): boolean {
  try {
    const holder = JSON.parse(readFileSync(paths.lock, "utf8")) as { pid?: unknown };
    if (typeof holder.pid !== "number") return false;
    process.kill(holder.pid, 0);
    let tools: unknown = [];
    try {
      tools = JSON.parse(readFileSync(paths.pending, "utf8"));
    } catch {
      // No note yet.
    }
    const merged = [...new Set([...(Array.isArray(tools) ? tools : []), tool])];
    const temp = `${paths.pending}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(merged), { mode: 0o600 });
    renameSync(temp, paths.pending);
    // The holder reads notes after it lets go of the lock: if the lock is gone already, it may have missed ours.
    return existsSync(paths.lock);
  } catch {
    return false;
  }
}

export async function runHook(args: string[], runtime: Runtime): Promise<number> {
  const [tool, ...rest] = args;
  try {
    if (!tool || !HOOK_TOOLS.has(tool)) {
      runtime.stderr.write(`modu-arena hook: unknown tool ${tool ?? "(none)"}\n`);
      return 0;
    }
    const payload = await drainStdin(runtime.stdin);
    if (tool === "codex") runChainedCommand(rest);
    // Not installed (or uninstalled while the tool still had our hook): stay silent.
    const paths = getStatePaths(runtime.home);
    if (existsSync(paths.config) && !leaveNoteForRunningSync(paths, tool)) {
      const transcript = readChangedTranscript(tool, payload);
      runtime.spawnDetached([
        "sync",
        "--tool",
        tool,
        "--from-hook",
        ...(transcript ? ["--transcript", transcript] : []),
      ]);
    }
  } catch (error) {
    runtime.stderr.write(`modu-arena hook: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  return 0;
}
