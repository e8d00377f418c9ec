import { spawn } from "node:child_process";
import { basename, dirname, join } from "node:path";
import { CLI_BINARY } from "./build-cli";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Where a fixture home's scheduler calls are recorded instead of run (never the machine's real crontab). */
export function getSchedulerLog(home: string): string {
  return join(dirname(home), `${basename(home)}-scheduler.log`);
}

export interface RunOptions {
  home: string;
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
}

/** Runs the BUILT binary with a clean environment pointed at a fixture home. */
export function runCli(args: string[], options: RunOptions): Promise<CliRun> {
  return runProcess(process.execPath, [CLI_BINARY, ...args], options);
}

/** Runs a hook command as the tools do: through `/bin/sh -c`, the event's JSON on stdin. */
export function runHookCommand(command: string, options: RunOptions): Promise<CliRun> {
  return runProcess("/bin/sh", ["-c", command], options);
}

function runProcess(file: string, args: string[], options: RunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: options.home,
        USERPROFILE: options.home,
        NO_COLOR: "1",
        TZ: "UTC",
        MODU_ARENA_SCHEDULER_LOG: getSchedulerLog(options.home),
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    child.stdin.end(options.stdin ?? "");
  });
}
