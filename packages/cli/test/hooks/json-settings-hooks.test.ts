import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claudeCodeHook } from "../../src/hooks/claude-code";
import { geminiHook } from "../../src/hooks/gemini";
import type { HookContext } from "../../src/hooks/types";
import type { InstallManifest } from "../../src/state/manifest";
import { createTempHome, removeTempHome, snapshotTree } from "../helpers/fixture-home";

const SELF = { node: "/usr/bin/node", script: "/opt/modu arena/dist/cli.js" };

function createContext(home: string, env: Record<string, string> = {}): HookContext {
  const manifest: InstallManifest = { version: 1, files: {}, createdDirs: [] };
  return {
    home,
    env,
    platform: "linux",
    self: SELF,
    runOsCommand: () => ({ code: 0, stdout: "", stderr: "" }),
    manifest,
  };
}

const CLAUDE_SETTINGS: Record<string, string> = {
  "two spaces with other hooks": `{
  "model": "opus",
  "permissions": { "allow": ["Bash(ls:*)"] },
  "hooks": {
    "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "echo pre" }] }],
    "Stop": [
      { "hooks": [ { "type": "command", "command": "notify-send done" } ] }
    ]
  }
}
`,
  tabs: '{\n\t"model": "sonnet",\n\t"env": {\n\t\t"A": "1"\n\t}\n}\n',
  crlf: '{\r\n    "cleanupPeriodDays": 90\r\n}\r\n',
  compact: '{"model":"opus","hooks":{"Stop":[{"hooks":[{"type":"command","command":"echo hi"}]}],"SessionEnd":[]}}',
  empty: "{}",
  "empty hooks object": '{\n  "hooks": {}\n}\n',
};

describe("Claude Code hook", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
    mkdirSync(join(home, ".claude"));
  });
  afterEach(() => removeTempHome(home));

  for (const [name, original] of Object.entries(CLAUDE_SETTINGS)) {
    it(`install, reinstall, uninstall leaves settings byte-identical (${name})`, () => {
      const path = join(home, ".claude", "settings.json");
      writeFileSync(path, original);
      const context = createContext(home);
      expect(claudeCodeHook.install(context).changed).toBe(true);
      const installed = readFileSync(path, "utf8");
      const settings = JSON.parse(installed);
      for (const event of ["Stop", "SessionEnd"]) {
        const commands = settings.hooks[event].flatMap((group: { hooks: { command: string }[] }) =>
          group.hooks.map((hook) => hook.command),
        );
        expect(commands).toContain("/usr/bin/node '/opt/modu arena/dist/cli.js' hook claude-code");
      }
      expect(settings.hooks.Stop.at(-1).hooks[0].timeout).toBe(30);
      expect(claudeCodeHook.isInstalled(context)).toBe(true);
      // Reinstall: nothing changes, byte for byte.
      expect(claudeCodeHook.install(context).changed).toBe(false);
      expect(readFileSync(path, "utf8")).toBe(installed);
      expect(claudeCodeHook.uninstall(context).changed).toBe(true);
      expect(readFileSync(path, "utf8")).toBe(original);
    });
  }

  it("keeps the user's other keys intact when they edit the file after install", () => {
    const path = join(home, ".claude", "settings.json");
    writeFileSync(path, CLAUDE_SETTINGS["two spaces with other hooks"]!);
    const context = createContext(home);
    claudeCodeHook.install(context);
    // The user reformats the file (e.g. another tool rewrote it), so the exact snippets are gone.
    const edited = JSON.parse(readFileSync(path, "utf8"));
    edited.theme = "dark";
    writeFileSync(path, JSON.stringify(edited, null, 4));
    claudeCodeHook.uninstall(context);
    const after = JSON.parse(readFileSync(path, "utf8"));
    expect(after.theme).toBe("dark");
    expect(after.hooks.Stop).toEqual([{ hooks: [{ type: "command", command: "notify-send done" }] }]);
    expect(after.hooks.SessionEnd).toBeUndefined();
    expect(JSON.stringify(after)).not.toContain("hook claude-code");
  });

  it("creates settings.json when missing and deletes it again on uninstall", () => {
    const before = snapshotTree(home);
    const context = createContext(home);
    claudeCodeHook.install(context);
    expect(existsSync(join(home, ".claude", "settings.json"))).toBe(true);
    claudeCodeHook.uninstall(context);
    expect(snapshotTree(home)).toEqual(before);
  });

  it("refuses to touch a settings file that does not parse, and says so", () => {
    const path = join(home, ".claude", "settings.json");
    const broken = '{\n  "model": "opus",\n  "hooks": {\n}\n';
    writeFileSync(path, broken);
    expect(() => claudeCodeHook.install(createContext(home))).toThrow(/does not parse.*left it untouched/);
    expect(readFileSync(path, "utf8")).toBe(broken);
  });

  it("refuses hooks that are not an object rather than overwriting them", () => {
    const path = join(home, ".claude", "settings.json");
    writeFileSync(path, '{ "hooks": [] }');
    expect(() => claudeCodeHook.install(createContext(home))).toThrow(/not an object/);
    expect(readFileSync(path, "utf8")).toBe('{ "hooks": [] }');
  });

  it("honours CLAUDE_CONFIG_DIR", () => {
    const dir = join(home, "elsewhere");
    mkdirSync(dir);
    const context = createContext(home, { CLAUDE_CONFIG_DIR: dir });
    claudeCodeHook.install(context);
    expect(existsSync(join(dir, "settings.json"))).toBe(true);
    expect(existsSync(join(home, ".claude", "settings.json"))).toBe(false);
  });
});

describe("Gemini CLI hook", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
    mkdirSync(join(home, ".gemini"));
  });
  afterEach(() => removeTempHome(home));

  it("adds AfterAgent and SessionEnd with a timeout in milliseconds, keeps comments, and undoes exactly", () => {
    const path = join(home, ".gemini", "settings.json");
    const original = `{
  // my theme
  "ui": { "theme": "GitHub" },
  "general": { "sessionRetention": { "enabled": true, "maxAge": "30d" } },
}
`;
    writeFileSync(path, original);
    const context = createContext(home);
    geminiHook.install(context);
    const text = readFileSync(path, "utf8");
    expect(text).toContain("// my theme");
    expect(text).toContain('"AfterAgent"');
    expect(text).toContain('"timeout": 10000');
    expect(text).toContain('"name": "modu-arena"');
    expect(geminiHook.install(context).changed).toBe(false);
    geminiHook.uninstall(context);
    expect(readFileSync(path, "utf8")).toBe(original);
  });

  it("honours GEMINI_CLI_HOME", () => {
    const other = join(home, "gh");
    mkdirSync(join(other, ".gemini"), { recursive: true });
    geminiHook.install(createContext(home, { GEMINI_CLI_HOME: other }));
    expect(existsSync(join(other, ".gemini", "settings.json"))).toBe(true);
  });
});
