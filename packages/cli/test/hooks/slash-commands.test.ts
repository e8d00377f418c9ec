import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeCreatedDirectories } from "../../src/hooks/hook-command";
import {
  claudeSubmitCommand,
  geminiSubmitCommand,
  installSlashCommand,
  type SlashCommand,
  uninstallSlashCommand,
} from "../../src/hooks/slash-commands";
import type { HookContext } from "../../src/hooks/types";
import { createTempHome, removeTempHome, snapshotTree } from "../helpers/fixture-home";

const SELF = { node: "/usr/bin/node", script: "/home/u/.modu-arena/bin/modu-arena.mjs" };

function createContext(home: string, env: Record<string, string> = {}): HookContext {
  return {
    home,
    env,
    platform: "linux",
    self: SELF,
    runOsCommand: () => ({ code: 0, stdout: "", stderr: "" }),
    manifest: { version: 1, files: {}, createdDirs: [] },
  };
}

const CASES: [SlashCommand, string, string][] = [
  [claudeSubmitCommand, ".claude", ".claude/commands/modu/submit.md"],
  [geminiSubmitCommand, ".gemini", ".gemini/commands/modu/submit.toml"],
];

describe("/modu:submit", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
  });
  afterEach(() => removeTempHome(home));

  for (const [slash, configDir, file] of CASES) {
    it(`${slash.label}: install writes the command, uninstall leaves the home byte-identical`, () => {
      mkdirSync(join(home, configDir));
      writeFileSync(join(home, configDir, "settings.json"), '{ "theme": "dark" }\n');
      const before = snapshotTree(home);
      const context = createContext(home);
      expect(installSlashCommand(slash, context, SELF).changed).toBe(true);
      const text = readFileSync(join(home, file), "utf8");
      expect(text).toContain("/usr/bin/node /home/u/.modu-arena/bin/modu-arena.mjs submit --run");
      expect(text).toContain(slash === claudeSubmitCommand ? "$ARGUMENTS" : "{{args}}");
      // A second install changes nothing.
      expect(installSlashCommand(slash, context, SELF).changed).toBe(false);
      expect(uninstallSlashCommand(slash, context).changed).toBe(true);
      removeCreatedDirectories(context.manifest);
      expect(snapshotTree(home)).toEqual(before);
    });

    it(`${slash.label}: a file of the user's own at that path is left alone, and kept by uninstall`, () => {
      mkdirSync(join(home, configDir, "commands", "modu"), { recursive: true });
      writeFileSync(join(home, file), "my own submit\n");
      const before = snapshotTree(home);
      const context = createContext(home);
      const change = installSlashCommand(slash, context, SELF);
      expect(change.changed).toBe(false);
      expect(change.message).toContain("someone else's");
      uninstallSlashCommand(slash, context);
      removeCreatedDirectories(context.manifest);
      expect(snapshotTree(home)).toEqual(before);
    });

    it(`${slash.label}: nothing is written when the tool is not there`, () => {
      const context = createContext(home);
      expect(installSlashCommand(slash, context, SELF).changed).toBe(false);
      expect(snapshotTree(home)).toEqual({});
    });
  }

  it("Gemini's command is TOML whose prompt keeps a Windows path as it is", () => {
    mkdirSync(join(home, ".gemini"));
    const context = { ...createContext(home), platform: "win32" as const };
    const self = {
      node: "C:\\Program Files\\nodejs\\node.exe",
      script: "C:\\Users\\u\\.modu-arena\\bin\\modu-arena.mjs",
    };
    installSlashCommand(geminiSubmitCommand, context, self);
    const text = readFileSync(join(home, ".gemini/commands/modu/submit.toml"), "utf8");
    expect(text).toMatch(/^description = ".+"\nprompt = '''\n/);
    expect(text).toContain(
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\u\\.modu-arena\\bin\\modu-arena.mjs" submit --run',
    );
    expect(text.endsWith("'''\n")).toBe(true);
  });

  it("CLAUDE_CONFIG_DIR moves Claude Code's command with its settings", () => {
    const config = join(home, "claude-config");
    mkdirSync(config);
    const context = createContext(home, { CLAUDE_CONFIG_DIR: config });
    installSlashCommand(claudeSubmitCommand, context, SELF);
    expect(readFileSync(join(config, "commands", "modu", "submit.md"), "utf8")).toContain("allowed-tools: Bash(");
  });
});
