import { PassThrough } from "node:stream";
import type { OsCommandResult, Runtime } from "../../src/runtime";

export interface TestRuntime extends Runtime {
  stdoutText(): string;
  stderrText(): string;
  osCalls: { command: string; args: string[]; input?: string }[];
  spawned: string[][];
}

/** A runtime on a fixture home whose OS calls are answered by `answer` and recorded. */
export function createTestRuntime(
  home: string,
  options: {
    env?: Record<string, string | undefined>;
    platform?: NodeJS.Platform;
    answer?: (command: string, args: string[], input?: string) => OsCommandResult;
    now?: () => Date;
    /** What the tool writes on the hook's stdin (nothing by default). */
    stdin?: string;
  } = {},
): TestRuntime {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on("data", (chunk: Buffer) => err.push(chunk.toString()));
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? "");
  const osCalls: TestRuntime["osCalls"] = [];
  const spawned: string[][] = [];
  return {
    home,
    env: { HOME: home, NO_COLOR: "1", ...options.env },
    platform: options.platform ?? "linux",
    now: options.now ?? (() => new Date()),
    stdout,
    stderr,
    stdin,
    fetch: globalThis.fetch.bind(globalThis),
    runOsCommand: (command, args, input) => {
      osCalls.push({ command, args, input });
      return options.answer?.(command, args, input) ?? { code: 0, stdout: "", stderr: "" };
    },
    self: { node: "/usr/bin/node", script: "/opt/modu-arena/dist/cli.js" },
    spawnDetached: (args) => {
      spawned.push(args);
    },
    stdoutText: () => out.join(""),
    stderrText: () => err.join(""),
    osCalls,
    spawned,
  };
}
