import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "../errors";
import { readTextIfExists, writeFileAtomic } from "../state/atomic-file";
import type { FileRecord } from "../state/manifest";
import { isOurCommand } from "./hook-command";
import { removeSnippet } from "./json-edit";
import { formatStringArray, parseStringArray, scanTopLevel, type TopLevelEntry } from "./toml-top-level";
import type { HookChange, HookContext, ToolHook } from "./types";

/** Separates our argv from the user's own notify command, which the hook runs too (chaining). */
export const CHAIN_SEPARATOR = "--";

export function getCodexHome(context: Pick<HookContext, "home" | "env">): string {
  return context.env.CODEX_HOME || join(context.home, ".codex");
}

function getConfigFile(context: HookContext): string {
  return join(getCodexHome(context), "config.toml");
}

interface NotifyState {
  text: string;
  entry: TopLevelEntry | undefined;
  argv: string[] | undefined;
  firstTableAt: number;
}

function readNotify(path: string): NotifyState {
  const text = readTextIfExists(path) ?? "";
  const scan = scanTopLevel(text);
  if ("error" in scan)
    throw new CliError(`${path} does not parse (${scan.error}); left it untouched`, {
      hint: "fix that file, or leave codex out with --tools",
    });
  const entry = scan.entries.find((candidate) => candidate.key === "notify");
  const argv = entry ? parseStringArray(text.slice(entry.valueStart, entry.end)) : undefined;
  if (entry && !argv) throw new CliError(`${path}: notify is not a list of strings; left it untouched`);
  return { text, entry, argv, firstTableAt: scan.firstTableAt };
}

function isOurArgv(argv: string[] | undefined): boolean {
  return !!argv && isOurCommand(argv.slice(0, 4).join(" "), "codex");
}

/** The user's own notify argv that ours chains to, if any. */
export function getChainedArgv(argv: string[]): string[] {
  const at = argv.indexOf(CHAIN_SEPARATOR);
  return at < 0 ? [] : argv.slice(at + 1);
}

function install(context: HookContext): HookChange {
  const path = getConfigFile(context);
  const state = readNotify(path);
  const ours = [context.self.node, context.self.script, "hook", "codex"];
  const existed = existsSync(path);
  const record: FileRecord = context.manifest.files[path] ?? { created: !existed, snippets: [] };
  let text: string;
  if (state.entry && state.argv) {
    const chain = isOurArgv(state.argv) ? getChainedArgv(state.argv) : state.argv;
    const argv = chain.length > 0 ? [...ours, CHAIN_SEPARATOR, ...chain] : ours;
    const line = `notify = ${formatStringArray(argv)}`;
    const current = state.text.slice(state.entry.start, state.entry.end);
    if (current === line) return { changed: false, message: `Codex CLI: notify already set in ${path}` };
    if (!isOurArgv(state.argv)) record.replaced = current;
    record.written = line;
    text = state.text.slice(0, state.entry.start) + line + state.text.slice(state.entry.end);
  } else {
    // Top-level keys must come before the first [table].
    const atEnd = state.firstTableAt >= state.text.length;
    const prefix = atEnd && state.text.length > 0 && !state.text.endsWith("\n") ? "\n" : "";
    const snippet = `${prefix}notify = ${formatStringArray(ours)}\n`;
    record.snippets.push(snippet);
    text = state.text.slice(0, state.firstTableAt) + snippet + state.text.slice(state.firstTableAt);
  }
  writeFileAtomic(path, text, existed ? statSync(path).mode & 0o777 : 0o644);
  context.manifest.files[path] = record;
  const chained = record.replaced ? " (your own notify command still runs after it)" : "";
  return { changed: true, message: `Codex CLI: notify set in ${path}${chained}` };
}

function uninstall(context: HookContext): HookChange {
  const path = getConfigFile(context);
  if (!existsSync(path)) return { changed: false, message: "Codex CLI: no config.toml" };
  const state = readNotify(path);
  const record = context.manifest.files[path];
  let text = state.text;
  if (record?.written && state.entry && text.slice(state.entry.start, state.entry.end) === record.written) {
    const restored = record.replaced ?? "";
    const end = restored === "" && text[state.entry.end] === "\n" ? state.entry.end + 1 : state.entry.end;
    text = text.slice(0, state.entry.start) + restored + text.slice(end);
  }
  for (const snippet of record?.snippets ?? []) text = removeSnippet(text, snippet) ?? text;
  const after = readNotifyFromText(text);
  if (after.entry && isOurArgv(after.argv)) {
    // No record (or the user edited the line): put back the chained command, or drop the key.
    const chain = getChainedArgv(after.argv ?? []);
    const replacement = chain.length > 0 ? `notify = ${formatStringArray(chain)}` : "";
    const end = replacement === "" && text[after.entry.end] === "\n" ? after.entry.end + 1 : after.entry.end;
    text = text.slice(0, after.entry.start) + replacement + text.slice(end);
  }
  delete context.manifest.files[path];
  if (text === state.text) return { changed: false, message: `Codex CLI: no notify of ours in ${path}` };
  if (record?.created && text.trim() === "") rmSync(path, { force: true });
  else writeFileAtomic(path, text, statSync(path).mode & 0o777);
  return { changed: true, message: `Codex CLI: notify restored in ${path}` };
}

function readNotifyFromText(text: string): Pick<NotifyState, "entry" | "argv"> {
  const scan = scanTopLevel(text);
  if ("error" in scan) return { entry: undefined, argv: undefined };
  const entry = scan.entries.find((candidate) => candidate.key === "notify");
  return { entry, argv: entry ? parseStringArray(text.slice(entry.valueStart, entry.end)) : undefined };
}

export const codexHook: ToolHook = {
  id: "codex",
  label: "Codex CLI",
  tools: ["codex"],
  detect: (context) => existsSync(getCodexHome(context)),
  isInstalled: (context) => {
    try {
      return isOurArgv(readNotify(getConfigFile(context)).argv);
    } catch {
      return false;
    }
  },
  install,
  uninstall,
};
