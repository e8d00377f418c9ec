import { getTool, type ToolType } from "@modu-arena/core/tools";
import { type Command, Option } from "commander";
import { toCliError } from "../api/client";
import { CliError, EXIT } from "../errors";
import { type Config, loadConfig, requireConfig } from "../state/config";
import { getStatePaths } from "../state/paths";
import { previewSync } from "../sync/preview-sync";
import { runSync, type SyncReport } from "../sync/run-sync";
import { type CommandDeps, createClient, findCollectors, getCollectEnvironment, parseTool } from "./deps";
import { detectTools } from "./install";

interface SyncOptions {
  tool?: string;
  dryRun?: boolean;
  json?: boolean;
  fromHook?: boolean;
  fromSchedule?: boolean;
  transcript?: string;
}

/** A progress bar on stderr when it is a terminal, nothing otherwise. */
function createProgressBar(deps: CommandDeps): ((done: number, total: number) => void) | undefined {
  if (deps.runtime.stderr.isTTY !== true) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    deps.runtime.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} sessions`);
    if (done >= total) deps.runtime.stderr.write("\n");
  };
}

export async function runSyncWithProgress(
  deps: CommandDeps,
  config: Config,
  tools: readonly ToolType[],
  options: { respectBackoff: boolean; waitForLockMs: number; changedFiles?: string[] },
): Promise<SyncReport> {
  const collectors = findCollectors(deps, tools);
  return runSync({
    paths: getStatePaths(deps.runtime.home),
    environment: getCollectEnvironment(deps.runtime, {
      projectSalt: config.projectSalt,
      skipRecords: true,
      ...(options.changedFiles ? { changedFiles: options.changedFiles } : {}),
    }),
    collectors,
    availableCollectors: findCollectors(deps, [...new Set([...config.tools, ...tools])]),
    client: createClient(deps.runtime, config),
    now: deps.runtime.now,
    respectBackoff: options.respectBackoff,
    waitForLockMs: options.waitForLockMs,
    onProgress: createProgressBar(deps),
    onCollect:
      deps.runtime.stderr.isTTY === true
        ? (tool) => deps.output.log(`reading ${getTool(tool).displayName} history…`)
        : undefined,
  });
}

export function describeReport(report: SyncReport): string {
  const collected = report.tools.reduce((sum, tool) => sum + tool.sessions, 0);
  const acknowledged = report.upload
    ? report.upload.acknowledged.created + report.upload.acknowledged.updated + report.upload.acknowledged.duplicate
    : 0;
  const parts = [`${collected} session(s) collected`, `${acknowledged} uploaded`, `${report.queued} still queued`];
  if (report.upload?.deadLettered)
    parts.push(`${report.upload.deadLettered} rejected (see ~/.modu-arena/dead-letter.jsonl)`);
  if (report.uploadSkipped) parts.push(report.uploadSkipped);
  return parts.join(", ");
}

async function sync(deps: CommandDeps, options: SyncOptions): Promise<void> {
  const { runtime, output } = deps;
  const automatic = options.fromHook === true || options.fromSchedule === true;
  const config = options.dryRun ? loadConfig(runtime.home) : requireConfig(runtime.home);
  const tools = options.tool ? [parseTool(options.tool)] : (config?.tools ?? detectTools(deps));
  if (options.tool && findCollectors(deps, tools).length === 0) {
    throw new CliError(`no collector for ${options.tool} yet`, {
      exitCode: EXIT.usage,
      hint: "run `modu-arena status` to see what is supported",
    });
  }
  if (options.dryRun) {
    const preview = await previewSync({
      paths: getStatePaths(runtime.home),
      environment: getCollectEnvironment(runtime, { projectSalt: config?.projectSalt, skipRecords: true }),
      collectors: findCollectors(deps, tools),
    });
    output.printJson(options.json ? preview : preview.payloads);
    output.log(`dry run: ${preview.payloads.length} session(s) would be sent; nothing was sent or saved`);
    return;
  }
  const report = await runSyncWithProgress(deps, config!, tools, {
    respectBackoff: automatic,
    waitForLockMs: automatic ? 0 : 120_000,
    ...(options.transcript ? { changedFiles: [options.transcript] } : {}),
  });
  if (report.busy) {
    output.log("another sync is running; it will pick up this one's work before it ends");
    if (options.json) output.printJson(report);
    return;
  }
  if (options.json)
    output.printJson({ ...report, upload: report.upload && { ...report.upload, error: report.upload.error?.message } });
  else output.print(describeReport(report));
  for (const tool of report.tools) if (tool.error) output.warn(`${tool.tool}: ${tool.error}`);
  if (report.upload?.error && !automatic) {
    const error = toCliError(report.upload.error);
    throw new CliError(`${error.message}; ${report.queued} session(s) kept in the queue`, {
      exitCode: error.exitCode,
      hint: error.hint ?? "run `modu-arena sync` again later",
    });
  }
}

export function registerSyncCommand(program: Command, deps: CommandDeps): void {
  program
    .command("sync")
    .description("collect what is new since the last run, queue it and upload it")
    .option("--tool <tool>", "only this tool")
    .option("--dry-run", "print the payloads that would be sent; send and save nothing")
    .option("--json", "print the result as JSON")
    // Set by hooks and the schedule: respect the upload backoff, stay quiet about network failures.
    .addOption(new Option("--from-hook").hideHelp())
    .addOption(new Option("--from-schedule").hideHelp())
    // Set by the Claude Code hook: the transcript that just grew (read alone while everything was listed lately).
    .addOption(new Option("--transcript <path>").hideHelp())
    .action((options: SyncOptions) => sync(deps, options));
}
