import { readdirSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { getClaudeConfigDir } from "../hooks/claude-code";
import { getCodexHome } from "../hooks/codex";
import { getGeminiDir } from "../hooks/gemini";
import { parseJsonDocument, removeAtPath } from "../hooks/json-edit";
import { readJsonIfValid, readTextIfExists, writeFileAtomic } from "./atomic-file";

/**
 * The older modu-arena client kept the API key in plain text in `~/.modu-arena.json` and in generated
 * hook scripts. Install takes the key over and removes all of it.
 */
const LEGACY_KEY = /modu_arena_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}/;
const LEGACY_SCRIPTS = ["_modu-hook.js", "session-end.sh", "session-end.cmd"];
const LEGACY_COMMAND = /[\\/]hooks[\\/](session-end\.(sh|cmd)|_modu-hook\.js)/;

export interface LegacyMigration {
  apiKey?: string;
  serverUrl?: string;
  removed: string[];
  warnings: string[];
}

interface LegacyContext {
  home: string;
  env: Record<string, string | undefined>;
}

function getLegacyHookDirs(context: LegacyContext): string[] {
  const configHome = context.env.XDG_CONFIG_HOME || join(context.home, ".config");
  return [
    join(getClaudeConfigDir(context), "hooks"),
    join(configHome, "opencode", "hooks"),
    join(getGeminiDir(context), "hooks"),
    join(getCodexHome(context), "hooks"),
    join(context.home, ".crush", "hooks"),
  ];
}

function removeLegacyScripts(dir: string, result: LegacyMigration, dryRun: boolean): void {
  const script = readTextIfExists(join(dir, "_modu-hook.js"));
  if (script === undefined) return;
  result.apiKey ??= LEGACY_KEY.exec(script)?.[0];
  if (dryRun) return;
  for (const name of LEGACY_SCRIPTS) {
    const path = join(dir, name);
    const text = readTextIfExists(path);
    // A session-end script is only the old client's if it calls _modu-hook.js.
    if (text === undefined || (name !== "_modu-hook.js" && !text.includes("_modu-hook.js"))) continue;
    rmSync(path, { force: true });
    result.removed.push(path);
  }
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // The user keeps other hooks there.
  }
}

function removeLegacyEntries(path: string, event: string, result: LegacyMigration): void {
  const text = readTextIfExists(path);
  if (text === undefined) return;
  let document = parseJsonDocument(text, true);
  if ("error" in document) {
    result.warnings.push(`${path} does not parse; old modu-arena hooks in it were left`);
    return;
  }
  let changed = false;
  for (;;) {
    const groups = (parse(document.text) as { hooks?: Record<string, unknown> })?.hooks?.[event];
    if (!Array.isArray(groups)) break;
    const index = groups.findLastIndex((group: { hooks?: { command?: unknown }[] }) =>
      group?.hooks?.some((hook) => typeof hook?.command === "string" && LEGACY_COMMAND.test(hook.command)),
    );
    if (index < 0) break;
    const target = groups.length === 1 ? ["hooks", event] : ["hooks", event, index];
    const next = parseJsonDocument(removeAtPath(document.text, target, document), true);
    if ("error" in next) break;
    document = next;
    changed = true;
  }
  if (changed) {
    writeFileAtomic(path, document.text, 0o644);
    result.removed.push(`${path} (hooks.${event} entry)`);
  }
}

/** With `dryRun` only reads (to find the key before it is verified); otherwise removes everything. */
export function migrateLegacyClient(context: LegacyContext, options: { dryRun: boolean }): LegacyMigration {
  const result: LegacyMigration = { removed: [], warnings: [] };
  const configPath = join(context.home, ".modu-arena.json");
  const legacy = readJsonIfValid(configPath) as { apiKey?: unknown; serverUrl?: unknown } | undefined;
  if (legacy !== undefined || readTextIfExists(configPath) !== undefined) {
    if (typeof legacy?.apiKey === "string" && LEGACY_KEY.test(legacy.apiKey)) result.apiKey = legacy.apiKey;
    if (typeof legacy?.serverUrl === "string") result.serverUrl = legacy.serverUrl;
    if (!options.dryRun) {
      rmSync(configPath, { force: true });
      result.removed.push(configPath);
    }
  }
  for (const dir of getLegacyHookDirs(context)) removeLegacyScripts(dir, result, options.dryRun);
  if (options.dryRun) return result;
  removeLegacyEntries(join(getClaudeConfigDir(context), "settings.json"), "Stop", result);
  removeLegacyEntries(join(getGeminiDir(context), "settings.json"), "SessionEnd", result);
  return result;
}
