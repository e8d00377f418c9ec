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

/** Accepts `2026-01-31` and `20260131`, of a day that exists (not `2026-13-01` nor `2026-02-30`). */
export function parseDateOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  const date = match ? `${match[1]}-${match[2]}-${match[3]}` : "";
  // 2026-13-01 is no date at all, and 2026-02-30 rolls over to March: a real day reads back the same.
  const parsed = new Date(`${date}T00:00:00Z`);
  const exists = match && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
  if (!exists) throw new CliError(`--${name} must be a date like 2026-01-31`, { exitCode: EXIT.usage });
  return date;
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
  if (since && until && since > until)
    throw new CliError(`--since ${since} is after --until ${until}`, { exitCode: EXIT.usage });
  const timezone = resolveTimezone(options.timezone, deps.runtime.env);
  const tools = options.tool ? [parseTool(options.tool)] : detectTools(deps);
  const environment = getCollectEnvironment(deps.runtime);
  const records: UsageRecord[] = [];
  let undatedRecords = 0;
  // A full read that saves no cursor: the report needs every record, and sync's state stays untouched.
  for (const collector of findCollectors(deps, tools)) {
    const result = await collector.collect(environment, undefined);
    records.push(...result.records);
    undatedRecords += result.undatedRecords ?? 0;
    if (result.malformedLines > 0)
      deps.output.log(`${collector.tool}: skipped ${result.malformedLines} malformed line(s)`);
    if (result.undatedRecords)
      deps.output.log(
        `${collector.tool}: ${result.undatedRecords} call(s) had no time of their own: dated by the record before them, else by their file`,
      );
  }
  const report = aggregateUsage(records, { groupBy: options.by as Grouping, timezone, since, until });
  if (options.json) {
    deps.output.printJson({ ...report, undatedRecords });
    return;
  }
  const toCells = (row: Omit<(typeof report.rows)[number], "key">) => [
    row.inputTokens,
    row.outputTokens,
    row.reasoningTokens,
    row.cacheCreationTokens,
    row.cacheReadTokens,
    row.totalTokens,
  ];
  deps.output.print(
    formatTable(
      [options.by, "input", "output", "reasoning", "cache write", "cache read", "total"],
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
