import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readTextIfExists, writeFileAtomic } from "../state/atomic-file";
import { ensureDirectory, removeCreatedDirectories } from "./hook-command";
import type { HookChange, HookContext, ToolHook } from "./types";

const MARKER = "// modu-arena: installed by `modu-arena install`, removed by `modu-arena uninstall`.";

function getConfigDir(context: Pick<HookContext, "home" | "env">): string {
  return join(context.env.XDG_CONFIG_HOME || join(context.home, ".config"), "opencode");
}

function getDataDir(context: Pick<HookContext, "home" | "env">): string {
  return join(context.env.XDG_DATA_HOME || join(context.home, ".local", "share"), "opencode");
}

export function getPluginFile(context: Pick<HookContext, "home" | "env">): string {
  return join(getConfigDir(context), "plugins", "modu-arena.js");
}

/** OpenCode loads global plugins at startup; `session.idle` is its end of turn. Runs on Bun or Node. */
export function renderPlugin(context: HookContext): string {
  const argv = JSON.stringify([context.self.script, "hook", "opencode"]);
  return `${MARKER}
import { spawn } from "node:child_process";

const NODE = ${JSON.stringify(context.self.node)};
const ARGS = ${argv};

export const ModuArena = async () => ({
  event: async ({ event }) => {
    if (event?.type !== "session.idle") return;
    try {
      // Detached so that OpenCode never waits for the upload.
      spawn(NODE, ARGS, { detached: true, stdio: "ignore", windowsHide: true }).unref();
    } catch {}
  },
});
`;
}

function install(context: HookContext): HookChange {
  const path = getPluginFile(context);
  const content = renderPlugin(context);
  const current = readTextIfExists(path);
  if (current === content) return { changed: false, message: `OpenCode: plugin already at ${path}` };
  if (current !== undefined && !current.startsWith(MARKER)) {
    return { changed: false, message: `OpenCode: ${path} exists and is not ours; left it untouched` };
  }
  ensureDirectory(join(path, ".."), context.manifest);
  writeFileAtomic(path, content, 0o644);
  context.manifest.files[path] = { created: true, snippets: [] };
  return { changed: true, message: `OpenCode: plugin written to ${path}` };
}

function uninstall(context: HookContext): HookChange {
  const path = getPluginFile(context);
  const current = readTextIfExists(path);
  delete context.manifest.files[path];
  if (current === undefined || !current.startsWith(MARKER)) {
    removeCreatedDirectories(context.manifest);
    return { changed: false, message: "OpenCode: no plugin of ours" };
  }
  rmSync(path, { force: true });
  removeCreatedDirectories(context.manifest);
  return { changed: true, message: `OpenCode: plugin removed from ${path}` };
}

export const opencodeHook: ToolHook = {
  id: "opencode",
  label: "OpenCode",
  tools: ["opencode"],
  detect: (context) =>
    existsSync(getConfigDir(context)) || existsSync(getDataDir(context)) || !!context.env.OPENCODE_DB,
  isInstalled: (context) => readTextIfExists(getPluginFile(context))?.startsWith(MARKER) ?? false,
  install,
  uninstall,
};
