import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codexHook, getChainedArgv } from "../../src/hooks/codex";
import { parseStringArray, scanTopLevel } from "../../src/hooks/toml-top-level";
import type { HookContext } from "../../src/hooks/types";
import { createTempHome, removeTempHome, snapshotTree } from "../helpers/fixture-home";

function createContext(home: string, script = "/opt/modu-arena/dist/cli.js"): HookContext {
  return {
    home,
    env: {},
    platform: "linux",
    self: { node: "/usr/bin/node", script },
    runOsCommand: () => ({ code: 0, stdout: "", stderr: "" }),
    manifest: { version: 1, files: {}, createdDirs: [] },
  };
}

function readNotify(path: string): string[] | undefined {
  const text = readFileSync(path, "utf8");
  const scan = scanTopLevel(text);
  if ("error" in scan) throw new Error(scan.error);
  const entry = scan.entries.find((candidate) => candidate.key === "notify");
  return entry ? parseStringArray(text.slice(entry.valueStart, entry.end)) : undefined;
}

const OURS = ["/usr/bin/node", "/opt/modu-arena/dist/cli.js", "hook", "codex"];

const CONFIGS: Record<string, { text: string; chained: string[] }> = {
  "no notify, tables": { text: '# codex\nmodel = "gpt-5"\n\n[tui]\nnotifications = true\n', chained: [] },
  "no notify, no tables, no final newline": { text: 'model = "o3"', chained: [] },
  "single-line notify": {
    text: 'model = "gpt-5"\nnotify = ["notify-send", "Codex"]  # ping me\n[profiles.x]\nmodel = "o3"\n',
    chained: ["notify-send", "Codex"],
  },
  "multi-line notify with literal strings": {
    text: "notify = [\n  'python3',\n  '/home/ana/bin/notify.py', # mine\n]\napproval_policy = \"never\"\n",
    chained: ["python3", "/home/ana/bin/notify.py"],
  },
  "notify after a multi-line string that looks like a table": {
    text: 'instructions = """\n[not a table]\n"""\nnotify = ["say", "done \\"now\\""]\n',
    chained: ["say", 'done "now"'],
  },
};

describe("Codex notify hook", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
    mkdirSync(join(home, ".codex"));
  });
  afterEach(() => removeTempHome(home));

  for (const [name, { text, chained }] of Object.entries(CONFIGS)) {
    it(`sets notify, chains the user's command, and restores the file exactly (${name})`, () => {
      const path = join(home, ".codex", "config.toml");
      writeFileSync(path, text);
      const context = createContext(home);
      expect(codexHook.install(context).changed).toBe(true);
      const argv = readNotify(path);
      expect(argv).toEqual(chained.length > 0 ? [...OURS, "--", ...chained] : OURS);
      expect(getChainedArgv(argv!)).toEqual(chained);
      // Every other top-level key is still top-level (notify went before the first table).
      const scan = scanTopLevel(readFileSync(path, "utf8"));
      expect("error" in scan).toBe(false);
      const installed = readFileSync(path, "utf8");
      expect(codexHook.install(context).changed).toBe(false);
      expect(readFileSync(path, "utf8")).toBe(installed);
      expect(codexHook.uninstall(context).changed).toBe(true);
      expect(readFileSync(path, "utf8")).toBe(text);
    });
  }

  it("a reinstall from another location keeps the chain and still restores the original", () => {
    const path = join(home, ".codex", "config.toml");
    const original = 'notify = ["notify-send", "Codex"]\n';
    writeFileSync(path, original);
    const first = createContext(home);
    codexHook.install(first);
    const moved = { ...createContext(home, "/new/place/cli.js"), manifest: first.manifest };
    expect(codexHook.install(moved).changed).toBe(true);
    expect(readNotify(path)).toEqual([
      "/usr/bin/node",
      "/new/place/cli.js",
      "hook",
      "codex",
      "--",
      "notify-send",
      "Codex",
    ]);
    codexHook.uninstall(moved);
    expect(readFileSync(path, "utf8")).toBe(original);
  });

  it("without its install record, uninstall still puts the user's command back", () => {
    const path = join(home, ".codex", "config.toml");
    writeFileSync(path, 'notify = ["notify-send", "Codex"]\n');
    codexHook.install(createContext(home));
    codexHook.uninstall(createContext(home));
    expect(readNotify(path)).toEqual(["notify-send", "Codex"]);
  });

  it("creates config.toml when missing and removes it again", () => {
    const before = snapshotTree(home);
    const context = createContext(home);
    codexHook.install(context);
    expect(existsSync(join(home, ".codex", "config.toml"))).toBe(true);
    codexHook.uninstall(context);
    expect(snapshotTree(home)).toEqual(before);
  });

  it("honours CODEX_HOME", () => {
    const other = join(home, "codex-home");
    mkdirSync(other);
    codexHook.install({ ...createContext(home), env: { CODEX_HOME: other } });
    expect(readNotify(join(other, "config.toml"))).toEqual(OURS);
  });

  it("refuses a config.toml that does not parse, or a notify that is not a list of strings", () => {
    const path = join(home, ".codex", "config.toml");
    for (const broken of ['model = "gpt-5\n', 'notify = ["a", \n', 'notify = "say done"\n']) {
      writeFileSync(path, broken);
      expect(() => codexHook.install(createContext(home))).toThrow(/left it untouched/);
      expect(readFileSync(path, "utf8")).toBe(broken);
    }
  });
});

describe("TOML top-level scan", () => {
  it("stops at the first table and ignores keys inside tables", () => {
    const scan = scanTopLevel('a = 1\n"quoted key" = [1, [2, 3]]\nb = { x = "]" }\n[t]\nnotify = ["x"]\n');
    if ("error" in scan) throw new Error(scan.error);
    expect(scan.entries.map((entry) => entry.key)).toEqual(["a", "quoted key", "b"]);
  });

  it("reads escapes in basic strings and keeps literal strings raw", () => {
    expect(parseStringArray('["a\\tb", \'c:\\\\d\', "\\u00e9"]')).toEqual(["a\tb", "c:\\\\d", "é"]);
    expect(parseStringArray('["a", 1]')).toBeUndefined();
  });
});
