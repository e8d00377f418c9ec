import { Command, CommanderError } from "commander";
import { COLLECTORS } from "./collectors/index";
import { registerLoginCommand, registerRegisterCommand } from "./commands/account";
import type { CommandDeps } from "./commands/deps";
import { registerInstallCommand } from "./commands/install";
import { registerRankCommand } from "./commands/rank";
import { registerStatsCommand } from "./commands/stats";
import { registerStatusCommand } from "./commands/status";
import { registerSubmitCommand } from "./commands/submit";
import { registerSyncCommand } from "./commands/sync";
import { registerUninstallCommand } from "./commands/uninstall";
import { registerUpdateCommand } from "./commands/update";
import { CliError, describeError, EXIT } from "./errors";
import { createOutput } from "./output/output";
import { createRuntime, type Runtime } from "./runtime";
import { VERSION } from "./version";

/** A command module adds itself to the program; `register`, `login` and `submit` plug in the same way. */
export type RegisterCommand = (program: Command, deps: CommandDeps) => void;

export const COMMANDS: RegisterCommand[] = [
  registerInstallCommand,
  registerSyncCommand,
  registerStatusCommand,
  registerRankCommand,
  registerStatsCommand,
  registerSubmitCommand,
  registerUninstallCommand,
  registerUpdateCommand,
  registerRegisterCommand,
  registerLoginCommand,
];

export function createProgram(deps: CommandDeps, commands: RegisterCommand[] = COMMANDS): Command {
  const program = new Command("modu-arena")
    .description("Track the token usage of your AI coding tools on the Modu-Arena leaderboard")
    .version(VERSION, "-v, --version")
    .showHelpAfterError("(add --help for usage)")
    .configureOutput({
      writeOut: (text) => deps.runtime.stdout.write(text),
      writeErr: (text) => deps.runtime.stderr.write(text),
    })
    .exitOverride();
  program.configureHelp({ showGlobalOptions: true });
  for (const register of commands) register(program, deps);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code; never calls `process.exit`, so tests can call it. */
export async function runProgram(
  argv: string[],
  runtime: Runtime = createRuntime(),
  deps?: Partial<CommandDeps>,
): Promise<number> {
  const output = deps?.output ?? createOutput(runtime);
  const program = createProgram({ runtime, output, collectors: deps?.collectors ?? COLLECTORS });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.usage;
    if (error instanceof CliError) {
      output.log(`${output.color.red("error:")} ${error.message}`);
      if (error.hint) output.log(`hint: ${error.hint}`);
      return error.exitCode;
    }
    output.log(`error: ${describeError(error)}`);
    output.log("hint: this looks like a bug; please report it with the command you ran");
    return EXIT.failure;
  }
}
