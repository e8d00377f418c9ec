#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { CommandDeps } from "./commands/deps";
import { createRuntime, type Runtime } from "./runtime";

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

/**
 * Runs the CLI as a process and sets its exit code: for `node cli.js …`, and for the launcher in
 * `~/.modu-arena/bin/` that hooks run (it imports this file and calls this).
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  // The hook runs in the background of the tool's shell: a terminal closed as the tool exits must not stop
  // it before it has started its detached sync (that one has a session of its own).
  if (argv[0] === "hook") process.on("SIGHUP", () => {});
  try {
    process.exitCode = await run(argv);
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (isMainModule()) void main();
