import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export interface LocalTestRun {
  /** Null when the process ended by a signal (e.g. killed at the timeout). */
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  passed: boolean;
}

export interface RunLocalTestOptions {
  cwd: string;
  timeoutMs: number;
  env: Record<string, string | undefined>;
  /** Where the test's own output goes (stderr, so that --json keeps stdout clean). */
  output: NodeJS.WritableStream;
}

/** How long a test gets to exit after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2_000;

/**
 * Runs the README's test block as one bash script (sh when bash is missing) in the project folder.
 * The script runs in its own process group so that a timeout stops everything it started.
 */
export function runLocalTest(command: string, options: RunLocalTestOptions): Promise<LocalTestRun> {
  const shell = process.platform === "win32" ? "bash" : existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ["-c", command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: process.platform !== "win32",
      windowsHide: true,
    });
    child.stdout.pipe(options.output, { end: false });
    child.stderr.pipe(options.output, { end: false });
    let timedOut = false;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid && process.platform !== "win32") process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup("SIGTERM");
      killTimer = setTimeout(() => signalGroup("SIGKILL"), KILL_GRACE_MS);
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    let settled = false;
    let exitedAt: number | undefined;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      child.stdout.unpipe(options.output);
      child.stderr.unpipe(options.output);
      const exitCode = timedOut ? null : code;
      resolve({
        exitCode,
        durationMs: Math.round((exitedAt ?? performance.now()) - started),
        timedOut,
        passed: !timedOut && exitCode === 0,
      });
    };
    child.on("close", (code) => finish(code));
    // A process that escaped the group may keep the pipes open: do not wait for it past a second.
    child.on("exit", (code) => {
      exitedAt = performance.now();
      setTimeout(() => finish(code), 1_000).unref();
    });
  });
}
