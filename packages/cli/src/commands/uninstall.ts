import { existsSync, rmSync } from "node:fs";
import type { Command } from "commander";
import { CliError, describeError } from "../errors";
import { removeCreatedDirectories } from "../hooks/hook-command";
import { HOOKS } from "../hooks/index";
import { SLASH_COMMANDS, uninstallSlashCommand } from "../hooks/slash-commands";
import { migrateLegacyClient } from "../state/legacy";
import { loadManifest } from "../state/manifest";
import { getStatePaths } from "../state/paths";
import { listQueue } from "../state/queue";
import { acquireLock } from "../sync/run-sync";
import { type CommandDeps, getHookContext } from "./deps";

/**
 * Removes every hook, plugin, schedule and slash command install added, then `~/.modu-arena` with the key
 * and the installed CLI (`bin/`).
 */
async function uninstall(deps: CommandDeps, options: { json?: boolean }): Promise<void> {
  const { runtime, output } = deps;
  const paths = getStatePaths(runtime.home);
  // Let a running sync finish first, so that nothing writes into ~/.modu-arena after it is gone.
  const lock = existsSync(paths.dir) ? await acquireLock(paths.lock, runtime.now, 60_000) : undefined;
  if (existsSync(paths.dir) && !lock) output.warn("a sync is still running; removing its folder anyway");
  const manifest = loadManifest(paths);
  const context = getHookContext(runtime, manifest);
  const messages: string[] = [];
  const failures: string[] = [];
  for (const hook of HOOKS) {
    try {
      const change = hook.uninstall(context);
      if (change.changed) messages.push(change.message);
    } catch (error) {
      failures.push(describeError(error));
    }
  }
  for (const slash of SLASH_COMMANDS) {
    try {
      const change = uninstallSlashCommand(slash, context);
      if (change.changed) messages.push(change.message);
    } catch (error) {
      failures.push(describeError(error));
    }
  }
  removeCreatedDirectories(manifest);
  const legacy = migrateLegacyClient({ home: runtime.home, env: runtime.env }, { dryRun: false });
  messages.push(...legacy.removed.map((path) => `removed the old client's ${path}`));
  if (existsSync(paths.dir)) {
    const queued = listQueue(paths).length;
    rmSync(paths.dir, { recursive: true, force: true });
    messages.push(
      `removed ${paths.dir} (config, API key, installed CLI, state${queued > 0 ? `, ${queued} session(s) not yet uploaded` : ""})`,
    );
  }
  if (options.json) output.printJson({ removed: messages, failures });
  else for (const message of messages) output.log(message);
  for (const failure of failures) output.warn(failure);
  if (failures.length > 0) {
    throw new CliError(`${failures.length} hook(s) could not be removed`, {
      hint: "fix the file named above and remove the modu-arena entry by hand",
    });
  }
  if (!options.json) output.print("modu-arena is uninstalled.");
}

export function registerUninstallCommand(program: Command, deps: CommandDeps): void {
  program
    .command("uninstall")
    .description("remove every hook and schedule this CLI added, and the config with your API key")
    .option("--json", "print what was removed as JSON")
    .action((options: { json?: boolean }) => uninstall(deps, options));
}
