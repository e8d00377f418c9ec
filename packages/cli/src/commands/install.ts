import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isApiKeyFormat } from "@modu-arena/core/api-key";
import type { ToolType } from "@modu-arena/core/tools";
import type { Command } from "commander";
import { toCliError } from "../api/client";
import { CliError, describeError, EXIT } from "../errors";
import { getHooksForTools, HOOKS } from "../hooks/index";
import {
  copySqliteModule,
  findRunningBundle,
  getBinPaths,
  installRunningBundle,
  removeOtherVersions,
  writeLauncher,
} from "../hooks/launcher";
import { detectScheduledTools } from "../hooks/schedule";
import { installSlashCommand, SLASH_COMMANDS } from "../hooks/slash-commands";
import type { HookChange } from "../hooks/types";
import type { Runtime, SelfCommand } from "../runtime";
import {
  type Config,
  DEFAULT_SERVER_URL,
  loadConfig,
  parseServerUrl,
  resolveServerUrl,
  saveConfig,
} from "../state/config";
import { migrateLegacyClient } from "../state/legacy";
import { loadManifest, saveManifest } from "../state/manifest";
import { getStatePaths } from "../state/paths";
import { VERSION } from "../version";
import {
  type CommandDeps,
  createClient,
  getCollectEnvironment,
  getHookContext,
  isTrueWithoutError,
  parseToolList,
} from "./deps";
import { describeReport, runSyncWithProgress } from "./sync";

export interface InstallOptions {
  apiKey?: string;
  server?: string;
  tools?: string;
  backfill: boolean;
  json?: boolean;
}

/** Tools present on this machine: a hook's config folder or a collector's data. */
export function detectTools(deps: CommandDeps): ToolType[] {
  const paths = getStatePaths(deps.runtime.home);
  const context = getHookContext(deps.runtime, loadManifest(paths));
  const environment = getCollectEnvironment(deps.runtime);
  const detected = new Set<ToolType>();
  for (const collector of deps.collectors)
    if (isTrueWithoutError(() => collector.detect(environment))) detected.add(collector.tool);
  for (const hook of HOOKS) {
    if (hook.id !== "schedule" && isTrueWithoutError(() => hook.detect(context)))
      for (const tool of hook.tools) detected.add(tool);
  }
  for (const tool of detectScheduledTools(context)) detected.add(tool);
  return [...detected];
}

/**
 * Copies the running bundle (from the npx cache, say) to `~/.modu-arena/bin/<version>/` and points the
 * launcher at it; hooks then run the launcher, which outlives any cache. Run from the launcher, or from
 * sources (tests), the hooks run what runs now.
 */
function installLauncher(runtime: Runtime): { self: SelfCommand; message?: string; withoutSqlite?: boolean } {
  const { dir, launcher } = getBinPaths(runtime.home);
  if (runtime.self.script === launcher || /[\\/]\.modu-arena[\\/]bin[\\/]modu-arena\.mjs$/.test(runtime.self.script))
    return { self: { node: runtime.self.node, script: launcher } };
  const bundle = findRunningBundle(runtime.self.script);
  if (!bundle) return { self: runtime.self };
  installRunningBundle(runtime.home, bundle, VERSION);
  const withSqlite = copySqliteModule(runtime.home, bundle) || existsSync(join(dir, "node_modules", "better-sqlite3"));
  writeLauncher(runtime.home, VERSION);
  removeOtherVersions(runtime.home, [VERSION]);
  return {
    self: { node: runtime.self.node, script: launcher },
    message: `modu-arena ${VERSION} installed in ${dir}; run it as ${launcher} <command> (status, update, uninstall…)`,
    withoutSqlite: !withSqlite,
  };
}

function installHooks(
  deps: CommandDeps,
  tools: ToolType[],
  self: SelfCommand,
): { changes: HookChange[]; failures: string[] } {
  const paths = getStatePaths(deps.runtime.home);
  const manifest = loadManifest(paths);
  const context = { ...getHookContext(deps.runtime, manifest), self };
  const changes: HookChange[] = [];
  const failures: string[] = [];
  for (const hook of getHooksForTools(tools)) {
    // Never create a tool's config folder: a hook for a tool that is not there would only be litter.
    if (!isTrueWithoutError(() => hook.detect(context))) {
      changes.push({ changed: false, message: `${hook.label}: not found on this machine; no hook installed` });
      continue;
    }
    try {
      changes.push(hook.install(context));
    } catch (error) {
      failures.push(describeError(error));
    } finally {
      saveManifest(paths, manifest);
    }
  }
  for (const slash of SLASH_COMMANDS.filter((command) => tools.includes(command.tool))) {
    try {
      const change = installSlashCommand(slash, context, self);
      if (change.changed) changes.push(change);
    } catch (error) {
      failures.push(describeError(error));
    } finally {
      saveManifest(paths, manifest);
    }
  }
  // What the hooks run from now on (each install above replaced entries that ran another CLI; the
  // schedule compared this with the previous one): status checks that it is still there.
  manifest.hooksRun = { node: self.node, script: self.script };
  saveManifest(paths, manifest);
  return { changes, failures };
}

export async function install(deps: CommandDeps, options: InstallOptions): Promise<void> {
  const { runtime, output } = deps;
  const previous = safeLoadConfig(runtime.home);
  const legacy = migrateLegacyClient({ home: runtime.home, env: runtime.env }, { dryRun: true });
  const apiKey = options.apiKey ?? legacy.apiKey ?? previous?.apiKey;
  if (!apiKey) {
    throw new CliError("no API key given", {
      exitCode: EXIT.usage,
      hint: "copy it from your dashboard: modu-arena install --api-key <key>",
    });
  }
  if (!isApiKeyFormat(apiKey)) {
    throw new CliError("that is not a modu-arena API key", {
      exitCode: EXIT.usage,
      hint: "keys look like modu_arena_xxxxxxxx_<32 characters>",
    });
  }
  const serverUrl = options.server
    ? parseServerUrl(options.server, "--server")
    : (legacy.serverUrl ?? previous?.serverUrl ?? DEFAULT_SERVER_URL).replace(/\/+$/, "");
  const verified = await createClient(runtime, { apiKey, serverUrl })
    .verify()
    .catch((error: unknown) => {
      throw toCliError(error);
    });
  const tools = options.tools ? parseToolList(options.tools) : detectTools(deps);
  const config: Config = {
    version: 1,
    apiKey,
    serverUrl,
    tools,
    username: verified.username,
    projectSalt: previous?.projectSalt ?? randomBytes(16).toString("hex"),
    // Unchanged on a second run with the same key, so that reinstalling changes nothing.
    installedAt: previous?.apiKey === apiKey ? previous.installedAt : runtime.now().toISOString(),
  };
  saveConfig(runtime.home, config);
  const migrated = migrateLegacyClient({ home: runtime.home, env: runtime.env }, { dryRun: false });
  for (const removed of migrated.removed) output.log(`removed the old client's ${removed}`);
  for (const warning of migrated.warnings) output.warn(warning);
  output.log(`signed in as ${verified.username} on ${resolveServerUrl(runtime.env, config)}`);
  const launcher = installLauncher(runtime);
  if (launcher.message) output.log(launcher.message);
  const sqliteTools = tools.filter((tool) => tool === "opencode" || tool === "crush");
  if (launcher.withoutSqlite && sqliteTools.length > 0) {
    output.warn(
      `not tracking ${sqliteTools.join(" and ")}: the data is in SQLite, read with better-sqlite3, a native module the installed CLI does not carry`,
    );
  }
  const { changes, failures } = installHooks(deps, tools, launcher.self);
  for (const change of changes) output.log(change.message);
  for (const failure of failures) output.warn(failure);
  if (tools.length === 0)
    output.warn("no supported tool found on this machine; run install again after installing one");
  const backfill = options.backfill
    ? await runSyncWithProgress(deps, config, tools, { respectBackoff: false, waitForLockMs: 120_000 })
    : undefined;
  if (options.json)
    output.printJson({ username: verified.username, serverUrl, tools, hooks: changes, failures, backfill });
  else {
    if (backfill) output.print(`history: ${describeReport(backfill)}`);
    output.print(`modu-arena is tracking ${tools.length > 0 ? tools.join(", ") : "no tools yet"}.`);
  }
  if (failures.length > 0) {
    throw new CliError(`${failures.length} hook(s) could not be installed`, {
      hint: "see the warnings above; the other tools are set up",
    });
  }
}

function safeLoadConfig(home: string): Config | undefined {
  try {
    return loadConfig(home);
  } catch {
    return undefined;
  }
}

export function registerInstallCommand(program: Command, deps: CommandDeps): void {
  program
    .command("install")
    .description("verify your API key, save it, hook into your AI coding tools and upload their history")
    .option("--api-key <key>", "your API key (from the dashboard); taken over from the old client if omitted")
    .option("--server <url>", `server URL (default ${DEFAULT_SERVER_URL}; MODU_ARENA_API_URL overrides)`)
    .option("--tools <list>", "comma-separated tools to track (default: every tool found)")
    .option("--no-backfill", "do not upload the existing history now")
    .option("--json", "print the result as JSON")
    .action((options: InstallOptions) => install(deps, options));
}
