import type { Command } from "commander";
import type { CommandDeps } from "./deps";

export interface SubmitOptions {
  run?: boolean;
  json?: boolean;
  timeout?: string;
  dir?: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;

export function registerSubmitCommand(program: Command, deps: CommandDeps): void {
  program
    .command("submit")
    .description("evaluate this project: run the README's local test, then send the README for scoring")
    .option("--run", "run the local test and submit (without it, only show the command)")
    .option("--json", "print the result as JSON")
    .option("--timeout <seconds>", `local test timeout in seconds (default ${DEFAULT_TIMEOUT_SECONDS})`)
    .option("--dir <path>", "project folder (default: the current directory)")
    // The submit code (core's evaluation contracts, zod) is loaded only when the command runs.
    .action(async (options: SubmitOptions) => {
      const { submit } = await import("../submit/run-submit");
      await submit(deps, options);
    });
}
