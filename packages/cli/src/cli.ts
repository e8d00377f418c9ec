#!/usr/bin/env node
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { CommandDeps } from "./commands/deps";
import { createRuntime, type Runtime, YOUNG_GENERATION_FLAG } from "./runtime";

/**
 * Entry point. `hook` is the hot path the AI tools call after every turn: it loads only the small hook
 * module, never commander, zod or the collectors (see build.mjs: they are separate chunks).
 */
export async function run(
  argv: string[],
  runtime: Runtime = createRuntime(),
  deps?: Partial<CommandDeps>,
): Promise<number> {
  if (argv[0] === "hook") {
    const { runHook } = await import("./hooks/run-hook");
    return runHook(argv.slice(1), runtime);
  }
  const { runProgram } = await import("./program");
  return runProgram(argv, runtime, deps);
}

export async function createProgram(deps: CommandDeps): Promise<Command> {
  const program = await import("./program");
  return program.createProgram(deps);
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Commands that may scan a whole history (install backfills; register and login end in install). */
const SCANNING_COMMANDS = new Set(["sync", "install", "stats", "register", "login"]);

/**
 * A scan keeps far less garbage with a small young generation (peak RSS −25 MiB on a 1 GB Claude history),
 * and V8 reads that flag only at start: scanning commands started without it run once more with it.
 */
function rerunWithSmallYoungGeneration(argv: string[]): number | undefined {
  const script = process.argv[1];
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ");
  if (!script || !SCANNING_COMMANDS.has(argv[0] ?? "") || flags.includes("--max-semi-space-size")) return undefined;
  const child = spawnSync(process.execPath, [...process.execArgv, YOUNG_GENERATION_FLAG, script, ...argv], {
    stdio: "inherit",
  });
  if (child.error) return undefined;
  return child.status ?? 1;
}

if (isMainModule()) {
  const argv = process.argv.slice(2);
  const rerun = rerunWithSmallYoungGeneration(argv);
  if (rerun !== undefined) process.exitCode = rerun;
  else
    run(argv).then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
