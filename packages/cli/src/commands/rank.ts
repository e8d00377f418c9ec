import type { Command } from "commander";
import { toCliError } from "../api/client";
import { formatNumber, formatTable } from "../output/output";
import { requireConfig } from "../state/config";
import { type CommandDeps, createClient } from "./deps";

async function rank(deps: CommandDeps, options: { json?: boolean }): Promise<void> {
  const config = requireConfig(deps.runtime.home);
  const result = await createClient(deps.runtime, config)
    .getRank()
    .catch((error: unknown) => {
      throw toCliError(error);
    });
  if (options.json) {
    deps.output.printJson(result);
    return;
  }
  const periods = [
    ["daily", result.rankings.daily],
    ["weekly", result.rankings.weekly],
    ["monthly", result.rankings.monthly],
    ["all time", result.rankings.allTime],
  ] as const;
  deps.output.print(`${deps.output.color.bold(result.username)}\n`);
  deps.output.print(
    formatTable(
      ["period", "position", "of", "score"],
      periods.map(([name, entry]) =>
        entry
          ? [name, entry.position, entry.totalParticipants, Math.round(entry.compositeScore)]
          : [name, "-", "-", "-"],
      ),
    ),
  );
  const { stats } = result;
  deps.output.print(
    `\n${formatNumber(stats.totalTokens)} tokens (${formatNumber(stats.inputTokens)} in, ${formatNumber(stats.outputTokens)} out) in ${formatNumber(stats.totalSessions)} sessions`,
  );
}

export function registerRankCommand(program: Command, deps: CommandDeps): void {
  program
    .command("rank")
    .description("your positions and totals on the leaderboard")
    .option("--json", "print the result as JSON")
    .action((options: { json?: boolean }) => rank(deps, options));
}
