import { existsSync, rmSync, statSync } from "node:fs";
import type { ToolType } from "@modu-arena/core";
import { parse } from "jsonc-parser";
import { CliError } from "../errors";
import { readTextIfExists, writeFileAtomic } from "../state/atomic-file";
import type { FileRecord } from "../state/manifest";
import { buildHookCommand, isOurCommand } from "./hook-command";
import {
  findNode,
  insertSnippet,
  type JsonDocument,
  parseJsonDocument,
  planAppend,
  removeAtPath,
  removeSnippet,
} from "./json-edit";
import type { HookChange, HookContext, ToolHook } from "./types";

export interface JsonSettingsHookOptions {
  tool: ToolType;
  label: string;
  configDir(context: HookContext): string;
  settingsFile(context: HookContext): string;
  events: string[];
  /** One `{ hooks: [...] }` group as the tool expects it (timeout units differ per tool). */
  createGroup(command: string, event: string): Record<string, unknown>;
  allowComments: boolean;
}

type HookGroup = { hooks?: { command?: unknown }[] };

export function readSettings(path: string, allowComments: boolean): JsonDocument | undefined {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  const document = parseJsonDocument(text, allowComments);
  if ("error" in document) {
    throw new CliError(`${path} does not parse (${document.error}); left it untouched`, {
      hint: "fix that file, or leave this tool out with --tools",
    });
  }
  return document;
}

/** Indices of the event's groups holding one of our commands (`current`: only those holding exactly it). */
function findOurGroups(document: JsonDocument, event: string, tool: string, current?: string): number[] {
  const value = (parse(document.text, [], { allowTrailingComma: true }) as { hooks?: Record<string, unknown> })
    ?.hooks?.[event];
  if (!Array.isArray(value)) return [];
  const indices: number[] = [];
  value.forEach((group: HookGroup, index) => {
    const ours = (command: unknown) =>
      typeof command === "string" && isOurCommand(command, tool) && (current === undefined || command === current);
    if (group?.hooks?.some((hook) => ours(hook?.command))) indices.push(index);
  });
  return indices;
}

/** Removes our groups from one event (and the event when that leaves it empty); returns the new text. */
function removeOurGroups(text: string, event: string, tool: string): string {
  for (;;) {
    const current = parseJsonDocument(text, true);
    if ("error" in current) return text;
    const index = findOurGroups(current, event, tool).at(-1);
    if (index === undefined) return text;
    text = removeAtPath(text, ["hooks", event, index], current);
    const after = parseJsonDocument(text, true);
    if (!("error" in after) && findNode(after, ["hooks", event])?.children?.length === 0) {
      text = removeAtPath(text, ["hooks", event], after);
    }
  }
}

/**
 * An earlier install's entries that run another command (an older hook form, a moved Node or CLI — an
 * npx cache cleared, say) are all taken out, so that new ones replace them instead of sitting beside them:
 * exactly by their recorded snippets where they are intact (the file's formatting survives), else
 * structurally.
 */
function removeStaleEntries(
  document: JsonDocument,
  options: JsonSettingsHookOptions,
  command: string,
  record: FileRecord,
): JsonDocument {
  const isStale = (event: string) =>
    findOurGroups(document, event, options.tool).length > 0 &&
    findOurGroups(document, event, options.tool, command).length === 0;
  if (!options.events.some(isStale)) return document;
  let text = document.text;
  for (const snippet of [...record.snippets].reverse()) text = removeSnippet(text, snippet) ?? text;
  record.snippets = [];
  for (const event of options.events) text = removeOurGroups(text, event, options.tool);
  const next = parseJsonDocument(text, true);
  if ("error" in next) throw new Error("internal error: removing an old hook broke the settings");
  return next;
}

function assertShape(document: JsonDocument, path: string, events: string[]): void {
  const hooks = findNode(document, ["hooks"]);
  if (hooks && hooks.type !== "object") throw new CliError(`${path}: "hooks" is not an object; left it untouched`);
  for (const event of events) {
    const node = findNode(document, ["hooks", event]);
    if (node && node.type !== "array") throw new CliError(`${path}: "hooks.${event}" is not a list; left it untouched`);
  }
}

function createEmptyDocument(): JsonDocument {
  const document = parseJsonDocument("{}\n", true);
  if ("error" in document) throw new Error("`{}` did not parse");
  return document;
}

function installInto(options: JsonSettingsHookOptions, context: HookContext): HookChange {
  const path = options.settingsFile(context);
  const original = readSettings(path, options.allowComments) ?? createEmptyDocument();
  assertShape(original, path, options.events);
  const command = buildHookCommand(context.self, context.platform, ["hook", options.tool]);
  const existed = existsSync(path);
  const record: FileRecord = context.manifest.files[path] ?? { created: !existed, snippets: [] };
  let document = removeStaleEntries(original, options, command, record);
  const missing = options.events.filter((event) => findOurGroups(document, event, options.tool).length === 0);
  if (missing.length === 0) return { changed: false, message: `${options.label}: hook already in ${path}` };
  for (const event of missing) {
    const group = options.createGroup(command, event);
    const hooksNode = findNode(document, ["hooks"]);
    const eventNode = findNode(document, ["hooks", event]);
    const plan = eventNode
      ? planAppend(document, eventNode, group)
      : hooksNode
        ? planAppend(document, hooksNode, [group], event)
        : planAppend(document, document.root!, { [event]: [group] }, "hooks");
    const next = parseJsonDocument(insertSnippet(document.text, plan.offset, plan.snippet), true);
    if ("error" in next) throw new Error(`internal error: edit of ${path} broke it`);
    document = next;
    record.snippets.push(plan.snippet);
  }
  const mode = existed ? statSync(path).mode & 0o777 : 0o644;
  writeFileAtomic(path, document.text, mode);
  context.manifest.files[path] = record;
  return { changed: true, message: `${options.label}: ${missing.join(" and ")} hook added to ${path}` };
}

function uninstallFrom(options: JsonSettingsHookOptions, context: HookContext): HookChange {
  const path = options.settingsFile(context);
  const document = readSettings(path, options.allowComments);
  const record = context.manifest.files[path];
  if (!document) return { changed: false, message: `${options.label}: no settings file` };
  let text = document.text;
  for (const snippet of [...(record?.snippets ?? [])].reverse()) text = removeSnippet(text, snippet) ?? text;
  // Whatever the exact removal missed (the user reformatted the file) goes structurally.
  for (const event of options.events) text = removeOurGroups(text, event, options.tool);
  delete context.manifest.files[path];
  if (text === document.text) return { changed: false, message: `${options.label}: no hook of ours in ${path}` };
  const isEmpty = JSON.stringify(parse(text)) === "{}";
  if (record?.created && isEmpty) rmSync(path, { force: true });
  else writeFileAtomic(path, text, statSync(path).mode & 0o777);
  return { changed: true, message: `${options.label}: hook removed from ${path}` };
}

export function createJsonSettingsHook(options: JsonSettingsHookOptions): ToolHook {
  return {
    id: options.tool,
    label: options.label,
    tools: [options.tool],
    detect: (context) => existsSync(options.configDir(context)),
    isInstalled: (context) => {
      const document = readSettings(options.settingsFile(context), true);
      return !!document && options.events.every((event) => findOurGroups(document, event, options.tool).length > 0);
    },
    install: (context) => installInto(options, context),
    uninstall: (context) => uninstallFrom(options, context),
  };
}
