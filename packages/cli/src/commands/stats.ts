import type { Command } from "commander";
import type { UsageRecord } from "../collectors/index";
import { CliError, EXIT } from "../errors";
import { formatTable } from "../output/output";
import { aggregateUsage, GROUPINGS, type Grouping } from "../stats/aggregate-usage";
import { type CommandDeps, findCollectors, getCollectEnvironment, parseTool } from "./deps";
import { detectTools } from "./install";

interface StatsOptions {
  since?: string;
  until?: string;
  by: string;
  timezone?: string;
  tool?: string;
  json?: boolean;
}

/** Accepts `2026-01-31` and `20260131`. */
export function parseDateOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  if (!match) throw new CliError(`--${name} must be a date like 2026-01-31`, { exitCode: EXIT.usage });
  return `${match[1]}-${match[2]}-${match[3]}`;
}

function resolveTimezone(value: string | undefined, env: Record<string, string | undefined>): string {
  const timezone = value ?? env.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return timezone;
  } catch {
    throw new CliError(`unknown time zone: ${timezone}`, {
      exitCode: EXIT.usage,
      hint: "use an IANA name such as Europe/Paris or UTC",
    });
  }
}

async function stats(deps: CommandDeps, options: StatsOptions): Promise<void> {
  if (!(GROUPINGS as readonly string[]).includes(options.by)) {
    throw new CliError(`--by must be one of ${GROUPINGS.join(", ")}`, { exitCode: EXIT.usage });
  }
  const since = parseDateOption(options.since, "since");
  const until = parseDateOption(options.until, "until");
  const timezone = resolveTimezone(options.timezone, deps.runtime.env);
  const tools = options.tool ? [parseTool(options.tool)] : detectTools(deps);
  const environment = getCollectEnvironment(deps.runtime);
  const records: UsageRecord[] = [];
  // A full read that saves no cursor: the report needs every record, and sync's state stays untouched.
  for (const collector of findCollectors(deps, tools)) {
    const result = await collector.collect(environment, undefined);
    records.push(...result.records);
    if (result.malformedLines > 0)
      deps.output.log(`${collector.tool}: skipped ${result.malformedLines} malformed line(s)`);
  }
  const report = aggregateUsage(records, { groupBy: options.by as Grouping, timezone, since, until });
  if (options.json) {
    deps.output.printJson(report);
    return;
  }
  const toCells = (row: Omit<(typeof report.rows)[number], "key">) => [
    row.inputTokens,
    row.outputTokens,
    row.cacheCreationTokens,
    row.cacheReadTokens,
    row.totalTokens,
  ];
  deps.output.print(
    formatTable(
      [options.by, "input", "output", "cache write", "cache read", "total"],
      [...report.rows.map((row) => [row.key, ...toCells(row)]), ["total", ...toCells(report.totals)]],
    ),
  );
}

export function registerStatsCommand(program: Command, deps: CommandDeps): void {
  program
    .command("stats")
    .description("a local usage report from your tools' own logs (no server needed)")
    .option("--since <date>", "from this local date (YYYY-MM-DD)")
    .option("--until <date>", "up to this local date, inclusive")
    .option("--by <grouping>", `group by ${GROUPINGS.join(", ")}`, "day")
    .option("--timezone <tz>", "time zone for days (default: the system's)")
    .option("--tool <tool>", "only this tool")
    .option("--json", "print the report as JSON")
    .action((options: StatsOptions) => stats(deps, options));
}
