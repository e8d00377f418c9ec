import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ToolType } from "@modu-arena/core/tools";
import type { SelfCommand } from "../runtime";
import { writeFileAtomic } from "../state/atomic-file";
import { getClaudeConfigDir } from "./claude-code";
import { getGeminiDir } from "./gemini";
import { ensureDirectory, quoteArgument } from "./hook-command";
import type { HookChange, HookContext } from "./types";

/**
 * `/modu:submit` inside the tools: a user-level custom command that shows the README's local test `submit`
 * would run, and with `--run` runs it and submits. Gemini CLI reads `commands/modu/submit.toml` as
 * `/modu:submit`; Claude Code reads `commands/modu/submit.md` as `/submit` (listed as "(user:modu)") in
 * its current versions, so the text never names the command.
 */
export interface SlashCommand {
  tool: ToolType;
  label: string;
  configDir(context: Pick<HookContext, "home" | "env">): string;
  file(context: Pick<HookContext, "home" | "env">): string;
  render(command: string): string;
}

const DESCRIPTION = "Evaluate this project on Modu-Arena: shows the local test first; --run runs it and submits";

function renderInstructions(command: string, argumentsPlaceholder: string): string {
  return [
    "Submit the project in the current directory to Modu-Arena for evaluation.",
    "",
    `Arguments: ${argumentsPlaceholder}`,
    "",
    `- Without \`--run\` in the arguments: run \`${command} submit\` in the shell. It changes nothing: it shows the`,
    "  local test command that `submit --run` would run (from the README's `## Local Validation` block). Show",
    "  that command to the user and say that this slash command with `--run` runs it and sends the README",
    "  for scoring.",
    `- With \`--run\`: run \`${command} submit --run\` in the shell and report the local test's result and the`,
    "  evaluation it prints.",
    "",
  ].join("\n");
}

export const claudeSubmitCommand: SlashCommand = {
  tool: "claude-code",
  label: "Claude Code",
  configDir: getClaudeConfigDir,
  file: (context) => join(getClaudeConfigDir(context), "commands", "modu", "submit.md"),
  render: (command) =>
    [
      "---",
      `description: ${DESCRIPTION}`,
      'argument-hint: "[--run]"',
      `allowed-tools: Bash(${command} submit:*)`,
      "---",
      renderInstructions(command, "$ARGUMENTS"),
    ].join("\n"),
};

export const geminiSubmitCommand: SlashCommand = {
  tool: "gemini",
  label: "Gemini CLI",
  configDir: getGeminiDir,
  file: (context) => join(getGeminiDir(context), "commands", "modu", "submit.toml"),
  // A literal multi-line string: nothing in it is escaped (paths may hold backslashes on Windows).
  render: (command) =>
    `description = ${JSON.stringify(DESCRIPTION)}\nprompt = '''\n${renderInstructions(command, "{{args}}")}'''\n`,
};

export const SLASH_COMMANDS: SlashCommand[] = [claudeSubmitCommand, geminiSubmitCommand];

function renderFor(slash: SlashCommand, context: HookContext, self: SelfCommand): string {
  const command = [self.node, self.script].map((part) => quoteArgument(part, context.platform)).join(" ");
  return slash.render(command);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Writes the command file, unless the tool is absent or the user has a file of their own there. */
export function installSlashCommand(slash: SlashCommand, context: HookContext, self: SelfCommand): HookChange {
  if (!existsSync(slash.configDir(context))) return { changed: false, message: `${slash.label}: not found` };
  const path = slash.file(context);
  const content = renderFor(slash, context, self);
  const record = context.manifest.files[path];
  const existing = readIfExists(path);
  if (existing !== undefined && !record) {
    return { changed: false, message: `${slash.label}: ${path} is someone else's; /modu:submit not added` };
  }
  if (existing === content) return { changed: false, message: `${slash.label}: /modu:submit already in ${path}` };
  ensureDirectory(dirname(path), context.manifest);
  writeFileAtomic(path, content, 0o644);
  context.manifest.files[path] = record ?? { created: true, snippets: [] };
  return { changed: true, message: `${slash.label}: /modu:submit added as ${path}` };
}

/** Removes the command file install wrote (only that one); the folders it created go with the others. */
export function uninstallSlashCommand(slash: SlashCommand, context: HookContext): HookChange {
  const path = slash.file(context);
  const record = context.manifest.files[path];
  if (!record?.created) return { changed: false, message: `${slash.label}: no /modu:submit of ours` };
  delete context.manifest.files[path];
  if (!existsSync(path)) return { changed: false, message: `${slash.label}: ${path} already gone` };
  rmSync(path, { force: true });
  return { changed: true, message: `${slash.label}: /modu:submit removed (${path})` };
}
