import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";

/** Result of one operating-system command (schedulers, crontab, launchctl, schtasks). */
export interface OsCommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type RunOsCommand = (command: string, args: string[], input?: string) => OsCommandResult;

/** How the tools' hooks call this CLI back: `node <script> hook <tool>`. */
export interface SelfCommand {
  node: string;
  script: string;
}

/**
 * Everything a command touches outside its own arguments. Tests build one pointing at a fixture home;
 * `createRuntime()` builds the real one from `process` once.
 */
export interface Runtime {
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  now: () => Date;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  fetch: typeof fetch;
  runOsCommand: RunOsCommand;
  self: SelfCommand;
  /** Starts `modu-arena <args>` detached, so that a hook returns at once. */
  spawnDetached: (args: string[]) => void;
}

export function runOsCommand(command: string, args: string[], input?: string): OsCommandResult {
  const result = spawnSync(command, args, { input, encoding: "utf8", timeout: 20_000, windowsHide: true });
  return { code: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
}

/** A scheduler that only records what it would run (`MODU_ARENA_SCHEDULER_LOG`), for tests on a shared machine. */
function createRecordingOsCommand(logPath: string): RunOsCommand {
  return (command, args, input) => {
    appendFileSync(logPath, `${JSON.stringify({ command, args, input: input ?? null })}\n`);
    if (command === "crontab" && args[0] === "-l") return { code: 1, stdout: "", stderr: "no crontab for user" };
    return { code: 0, stdout: "", stderr: "" };
  };
}

/** The real file behind a `.bin/modu-arena` link, so that hooks keep working whatever PATH holds. */
function resolveScript(argv1: string | undefined): string {
  const script = resolve(argv1 ?? "modu-arena");
  try {
    return realpathSync(script);
  } catch {
    return script;
  }
}

export function createRuntime(env: Record<string, string | undefined> = process.env): Runtime {
  const self: SelfCommand = { node: process.execPath, script: resolveScript(process.argv[1]) };
  const schedulerLog = env.MODU_ARENA_SCHEDULER_LOG;
  return {
    home: env.HOME || env.USERPROFILE || homedir(),
    env,
    platform: process.platform,
    now: () => new Date(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    fetch: globalThis.fetch.bind(globalThis),
    runOsCommand: schedulerLog ? createRecordingOsCommand(schedulerLog) : runOsCommand,
    self,
    spawnDetached: (args) => {
      const child = spawn(self.node, [self.script, ...args], {
        detached: true,
        stdio: "ignore",
        windowsHide: true,
      });
      child.unref();
    },
  };
}
