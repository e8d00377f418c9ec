import { existsSync } from "node:fs";
import { join } from "node:path";
import { compareCliVersions } from "@modu-arena/core/cli-release";
import { TOOLS, type ToolType } from "@modu-arena/core/tools";
import type { Command } from "commander";
import { loadContracts } from "../api/contracts";
import { CliError, describeError, EXIT } from "../errors";
import { HOOKS } from "../hooks/index";
import { getBinPaths, getVersionDir, readLauncherVersion } from "../hooks/launcher";
import { formatTable } from "../output/output";
import { loadConfig, resolveServerUrl } from "../state/config";
import { type HooksRun, loadManifest } from "../state/manifest";
import { getStatePaths } from "../state/paths";
import { countDeadLetters, countQueue } from "../state/queue";
import { loadSyncStatus } from "../state/sync-status";
import { VERSION } from "../version";
import { type CommandDeps, createClient, getHookContext, isTrueWithoutError } from "./deps";
import { detectTools } from "./install";
import { fetchCliLatest } from "./update";

interface ToolStatus {
  tool: ToolType;
  detected: boolean;
  tracked: boolean;
  hookInstalled: boolean;
  lastSyncAt: string | null;
  queued: number;
  /** Sessions the server refused for good (kept in the dead-letter file). */
  rejected: number;
  lastError: string | null;
}

async function checkServer(
  deps: CommandDeps,
  serverUrl: string,
): Promise<{ reachable: boolean; version?: string; error?: string }> {
  try {
    const response = await deps.runtime.fetch(`${serverUrl}/api/v1/status`, { signal: AbortSignal.timeout(10_000) });
    const { statusResponseSchema } = await loadContracts();
    const parsed = statusResponseSchema.safeParse(await response.json());
    return parsed.success
      ? { reachable: true, version: parsed.data.version }
      : { reachable: true, error: `HTTP ${response.status}` };
  } catch (error) {
    return { reachable: false, error: describeError(error) };
  }
}

/**
 * The hooks' Node and CLI script both exist (an npx cache cleared or a Node version removed breaks them), and
 * for the launcher, the version it runs.
 */
function isPresent(run: HooksRun, home: string): boolean {
  if (!existsSync(run.node) || !existsSync(run.script)) return false;
  if (run.script !== getBinPaths(home).launcher) return true;
  const version = readLauncherVersion(home);
  return version !== undefined && existsSync(join(getVersionDir(home, version), "cli.js"));
}

/** The CLI the server offers, when it is newer than this one (a server that offers none, or fails, says nothing). */
async function checkCliUpdate(deps: CommandDeps, serverUrl: string, reachable: boolean): Promise<string | null> {
  if (!reachable) return null;
  const latest = await fetchCliLatest(deps.runtime, serverUrl).catch(() => undefined);
  return latest && compareCliVersions(latest.version, VERSION) > 0 ? latest.version : null;
}

async function status(deps: CommandDeps, options: { json?: boolean }): Promise<void> {
  const { runtime, output } = deps;
  const config = loadConfig(runtime.home);
  const paths = getStatePaths(runtime.home);
  const serverUrl = resolveServerUrl(runtime.env, config);
  const server = await checkServer(deps, serverUrl);
  let key: { valid: boolean; username?: string; error?: string } = { valid: false, error: "not installed" };
  if (config) {
    key = await createClient(runtime, config)
      .verify()
      .then((verified) => ({ valid: true, username: verified.username }))
      .catch((error: unknown) => ({ valid: false, error: describeError(error) }));
  }
  const newerCli = await checkCliUpdate(deps, serverUrl, server.reachable);
  const syncStatus = loadSyncStatus(paths);
  const queued = countQueue(paths);
  const rejected = countDeadLetters(paths);
  const manifest = loadManifest(paths);
  const context = getHookContext(runtime, manifest);
  const hooksRun = manifest.hooksRun && { ...manifest.hooksRun, present: isPresent(manifest.hooksRun, runtime.home) };
  const detected = new Set(detectTools(deps));
  const tools: ToolStatus[] = TOOLS.map(({ id }) => ({
    tool: id,
    detected: detected.has(id),
    tracked: config?.tools.includes(id) ?? false,
    hookInstalled: HOOKS.some((hook) => hook.tools.includes(id) && isTrueWithoutError(() => hook.isInstalled(context))),
    lastSyncAt: syncStatus.lastSyncAt[id] ?? null,
    queued: queued[id] ?? 0,
    rejected: rejected[id] ?? 0,
    lastError: syncStatus.lastError?.tool === id ? syncStatus.lastError.message : null,
  }));
  const result = {
    installed: !!config,
    serverUrl,
    server,
    key,
    cli: { version: VERSION, newerOnServer: newerCli },
    hooksRun: hooksRun ?? null,
    tools,
    lastUploadAt: syncStatus.lastUploadAt,
    lastError: syncStatus.lastError,
    nextAttemptAt: syncStatus.nextAttemptAt,
  };
  if (options.json) output.printJson(result);
  else {
    output.print(
      `server   ${serverUrl}  ${server.reachable ? output.color.green("reachable") : output.color.red(`unreachable: ${server.error}`)}`,
    );
    output.print(
      `api key  ${key.valid ? output.color.green(`valid (${key.username})`) : output.color.red(key.error ?? "invalid")}`,
    );
    if (newerCli) {
      output.print(
        `cli      ${VERSION}  ${output.color.yellow(`${serverUrl} offers ${newerCli}: run \`modu-arena update\``)}`,
      );
    }
    if (hooksRun) {
      output.print(
        `hooks    run ${hooksRun.script}  ${hooksRun.present ? output.color.green("present") : output.color.red("missing")}`,
      );
    }
    output.print(
      `uploaded ${syncStatus.lastUploadAt ?? "never"}${syncStatus.lastError ? `  last error: ${syncStatus.lastError.message}` : ""}\n`,
    );
    const yesNo = (value: boolean) => (value ? "yes" : "-");
    output.print(
      formatTable(
        ["tool", "detected", "tracked", "hook", "last sync", "queued", "rejected", "last error"],
        tools.map((tool) => [
          tool.tool,
          yesNo(tool.detected),
          yesNo(tool.tracked),
          yesNo(tool.hookInstalled),
          tool.lastSyncAt ?? "never",
          tool.queued,
          tool.rejected,
          tool.lastError ?? "",
        ]),
      ),
    );
    if (tools.some((tool) => tool.rejected > 0))
      output.print(`\nrejected sessions and the server's reasons: ${paths.deadLetter}`);
  }
  if (!config)
    throw new CliError("modu-arena is not installed", {
      exitCode: EXIT.notConfigured,
      hint: "run `modu-arena install --api-key <key>`",
    });
  if (hooksRun && !hooksRun.present) {
    throw new CliError(`the hooks run ${hooksRun.node} ${hooksRun.script}, which is no longer there`, {
      exitCode: EXIT.notConfigured,
      hint: "run `modu-arena install` again: it points every hook at the CLI you run it with",
    });
  }
  if (!server.reachable || !key.valid) {
    throw new CliError(server.reachable ? "the API key was not accepted" : `cannot reach ${serverUrl}`, {
      exitCode: EXIT.network,
      hint: "check the server URL and your key",
    });
  }
}

export function registerStatusCommand(program: Command, deps: CommandDeps): void {
  program
    .command("status")
    .description("server, key, and per tool: detected, hook installed, last sync, queued records, last error")
    .option("--json", "print the result as JSON")
    .action((options: { json?: boolean }) => status(deps, options));
}
