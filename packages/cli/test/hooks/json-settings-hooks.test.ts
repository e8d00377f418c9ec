import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claudeCodeHook } from "../../src/hooks/claude-code";
import { geminiHook } from "../../src/hooks/gemini";
import type { HookContext } from "../../src/hooks/types";
import type { InstallManifest } from "../../src/state/manifest";
import { createTempHome, removeTempHome, snapshotTree } from "../helpers/fixture-home";

const SELF = { node: "/usr/bin/node", script: "/opt/modu arena/dist/cli.js" };

const INSTALLED_COMMAND =
  "/bin/sh -c 'exec 3<&0; /usr/bin/node '\\''/opt/modu arena/dist/cli.js'\\'' hook claude-code <&3 3<&- >/dev/null 2>&1 &'";

function createContext(home: string, env: Record<string, string> = {}, self = SELF): HookContext {
  const manifest: InstallManifest = { version: 1, files: {}, createdDirs: [] };
  return {
    home,
    env,
    platform: "linux",
    self,
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
        expect(commands).toContain(INSTALLED_COMMAND);
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

  it("installs a command that returns at once and hands the tool's stdin to the background hook", () => {
    const context = createContext(home, {}, { node: process.execPath, script: join(home, "fake cli.js") });
    // A stand-in for the CLI: records its arguments and the stdin it drained, after a pause.
    writeFileSync(
      context.self.script,
      `let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => setTimeout(() => {
  require("node:fs").writeFileSync(${JSON.stringify(join(home, "ran.json"))}, JSON.stringify({ args: process.argv.slice(2), input }));
}, 300));`,
    );
    claudeCodeHook.install(context);
    const settings = JSON.parse(readFileSync(join(home, ".claude", "settings.json"), "utf8"));
    const command: string = settings.hooks.Stop[0].hooks[0].command;
    const stdin = JSON.stringify({ session_id: "s1", hook_event_name: "Stop" });
    const started = performance.now();
    const run = spawnSync("/bin/sh", ["-c", command], { input: stdin, encoding: "utf8" });
    const returnedMs = performance.now() - started;
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    // The tool gets its shell back before the background process has even finished its pause.
    expect(existsSync(join(home, "ran.json"))).toBe(false);
    expect(returnedMs).toBeLessThan(300);
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(home, "ran.json")) && Date.now() < deadline) spawnSync("sleep", ["0.05"]);
    expect(JSON.parse(readFileSync(join(home, "ran.json"), "utf8"))).toEqual({
      args: ["hook", "claude-code"],
      input: stdin,
    });
  });

  it("replaces the entries of an earlier install that run another command, and still undoes exactly", () => {
    const path = join(home, ".claude", "settings.json");
    const original = CLAUDE_SETTINGS["two spaces with other hooks"]!;
    writeFileSync(path, original);
    const commandsOf = () => {
      const settings = JSON.parse(readFileSync(path, "utf8"));
      return ["Stop", "SessionEnd"].map((event) =>
        settings.hooks[event].flatMap((group: { hooks: { command: string }[] }) => group.hooks.map((h) => h.command)),
      );
    };
    // A foreground command (as installed before hooks were backgrounded, and on Windows still), from a CLI
    // since moved (an npx cache cleared).
    const old = createContext(home, {}, { node: "/usr/bin/node", script: "/old/cache/cli.js" });
    claudeCodeHook.install({ ...old, platform: "win32" });
    expect(commandsOf()[0]).toEqual(["notify-send done", '"/usr/bin/node" "/old/cache/cli.js" "hook" "claude-code"']);
    const context = { ...createContext(home), manifest: old.manifest };
    expect(claudeCodeHook.install(context).changed).toBe(true);
    expect(commandsOf()).toEqual([["notify-send done", INSTALLED_COMMAND], [INSTALLED_COMMAND]]);
    expect(claudeCodeHook.install(context).changed).toBe(false);
    claudeCodeHook.uninstall(context);
    expect(readFileSync(path, "utf8")).toBe(original);
  });

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
