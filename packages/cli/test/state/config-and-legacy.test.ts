import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Config,
  loadConfig,
  parseServerUrl,
  requireConfig,
  resolveServerUrl,
  saveConfig,
} from "../../src/state/config";
import { migrateLegacyClient } from "../../src/state/legacy";
import { createTempHome, findFilesContaining, removeTempHome, writeFixture } from "../helpers/fixture-home";

const KEY = `modu_arena_Abcdef12_${"x".repeat(32)}`;

function createConfig(overrides: Partial<Config> = {}): Config {
  return {
    version: 1,
    apiKey: KEY,
    serverUrl: "https://arena.example",
    tools: ["claude-code"],
    projectSalt: "0123456789abcdef0123",
    installedAt: "2026-11-20T10:00:00.000Z",
    ...overrides,
  };
}

describe("config", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
  });
  afterEach(() => removeTempHome(home));

  it("is saved 0600 inside a 0700 folder and read back", () => {
    saveConfig(home, createConfig());
    expect(statSync(join(home, ".modu-arena")).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, ".modu-arena", "config.json")).mode & 0o777).toBe(0o600);
    expect(loadConfig(home)).toEqual(createConfig());
  });

  it("tightens a folder that was created too open", () => {
    mkdirSync(join(home, ".modu-arena"), { mode: 0o755 });
    saveConfig(home, createConfig());
    expect(statSync(join(home, ".modu-arena")).mode & 0o777).toBe(0o700);
  });

  it("rejects a config that is not valid, with a hint", () => {
    writeFixture(home, ".modu-arena/config.json", JSON.stringify({ ...createConfig(), apiKey: "nope" }));
    expect(() => loadConfig(home)).toThrow(/invalid: apiKey: not a modu-arena API key/);
    writeFixture(home, ".modu-arena/config.json", "{");
    expect(() => loadConfig(home)).toThrow(/not valid JSON/);
  });

  it("names the field that is wrong, and drops fields it does not know", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ version: 2 }, /version: expected 1/],
      [{ serverUrl: "not a url" }, /serverUrl: not a URL/],
      [{ tools: ["claude-code", "vim"] }, /tools: expected a list of tool names/],
      [{ username: 7 }, /username: expected text/],
      [{ projectSalt: "short" }, /projectSalt: expected at least 16 characters/],
      [{ installedAt: undefined }, /installedAt: expected text/],
    ];
    for (const [override, message] of cases) {
      writeFixture(home, ".modu-arena/config.json", JSON.stringify({ ...createConfig(), ...override }));
      expect(() => loadConfig(home)).toThrow(message);
    }
    writeFixture(home, ".modu-arena/config.json", JSON.stringify([createConfig()]));
    expect(() => loadConfig(home)).toThrow(/config: expected an object/);
    saveConfig(home, { ...createConfig({ username: "ana" }), extra: "dropped" } as Config);
    expect(JSON.parse(readFileSync(join(home, ".modu-arena", "config.json"), "utf8"))).toEqual(
      createConfig({ username: "ana" }),
    );
    expect(() => saveConfig(home, createConfig({ apiKey: "nope" }))).toThrow(/refusing to save.*apiKey/);
  });

  it("says how to install when there is none", () => {
    expect(() => requireConfig(home)).toThrow(
      expect.objectContaining({ exitCode: 3, hint: expect.stringContaining("install") }),
    );
  });

  it("MODU_ARENA_API_URL wins over the saved server, which wins over the default", () => {
    expect(resolveServerUrl({ MODU_ARENA_API_URL: "http://127.0.0.1:4000/" }, createConfig())).toBe(
      "http://127.0.0.1:4000",
    );
    expect(resolveServerUrl({}, createConfig())).toBe("https://arena.example");
    expect(resolveServerUrl({}, undefined)).toBe("http://localhost:3000");
  });

  it("refuses a server that is no http(s) URL with a usage error naming where it came from", () => {
    for (const bad of ["localhost:3000", "arena.example", "ftp://arena.example", "http//x"]) {
      expect(() => parseServerUrl(bad, "--server")).toThrow(
        expect.objectContaining({ exitCode: 2, message: `--server must be an http:// or https:// URL, not "${bad}"` }),
      );
    }
    expect(() => resolveServerUrl({ MODU_ARENA_API_URL: "arena.example" }, createConfig())).toThrow(
      /^MODU_ARENA_API_URL must be/,
    );
    expect(parseServerUrl("https://arena.example/", "--server")).toBe("https://arena.example");
  });
});

describe("migration from the older modu-arena client", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
  });
  afterEach(() => removeTempHome(home));

  function layOutLegacyClient(): void {
    writeFixture(home, ".modu-arena.json", JSON.stringify({ apiKey: KEY, serverUrl: "https://old.example" }, null, 2));
    for (const dir of [".claude/hooks", ".gemini/hooks", ".codex/hooks"]) {
      writeFixture(home, `${dir}/_modu-hook.js`, `var API_KEY = ${JSON.stringify(KEY)};\n`);
      writeFixture(home, `${dir}/session-end.sh`, '#!/bin/bash\nexec node "$(dirname "$0")/_modu-hook.js"\n');
    }
    writeFixture(home, ".claude/hooks/my-own.sh", "echo mine\n");
    const settings = {
      model: "opus",
      hooks: {
        Stop: [
          { matcher: "", hooks: [{ type: "command", command: `"${join(home, ".claude/hooks/session-end.sh")}"` }] },
          { hooks: [{ type: "command", command: "echo user" }] },
        ],
      },
    };
    writeFixture(home, ".claude/settings.json", `${JSON.stringify(settings, null, 2)}\n`);
    writeFixture(
      home,
      ".gemini/settings.json",
      `${JSON.stringify({ hooks: { SessionEnd: [{ matcher: "", hooks: [{ type: "command", command: join(home, ".gemini/hooks/session-end.sh") }] }] } }, null, 2)}\n`,
    );
  }

  it("a dry run finds the key and changes nothing", () => {
    layOutLegacyClient();
    const found = migrateLegacyClient({ home, env: {} }, { dryRun: true });
    expect(found).toMatchObject({ apiKey: KEY, serverUrl: "https://old.example", removed: [] });
    expect(findFilesContaining(home, KEY).length).toBeGreaterThan(0);
  });

  it("removes the plain-text key everywhere and only the old client's hook entries", () => {
    layOutLegacyClient();
    const result = migrateLegacyClient({ home, env: {} }, { dryRun: false });
    expect(result.apiKey).toBe(KEY);
    expect(findFilesContaining(home, KEY)).toEqual([]);
    expect(existsSync(join(home, ".modu-arena.json"))).toBe(false);
    // The user's own script keeps the folder alive; the emptied ones are gone.
    expect(readFileSync(join(home, ".claude/hooks/my-own.sh"), "utf8")).toBe("echo mine\n");
    expect(existsSync(join(home, ".gemini/hooks"))).toBe(false);
    const claude = JSON.parse(readFileSync(join(home, ".claude/settings.json"), "utf8"));
    expect(claude).toEqual({
      model: "opus",
      hooks: { Stop: [{ hooks: [{ type: "command", command: "echo user" }] }] },
    });
    const gemini = JSON.parse(readFileSync(join(home, ".gemini/settings.json"), "utf8"));
    expect(gemini.hooks.SessionEnd).toBeUndefined();
  });

  it("leaves a session-end.sh that is not the old client's", () => {
    writeFixture(home, ".claude/hooks/_modu-hook.js", `var API_KEY = ${JSON.stringify(KEY)};\n`);
    writeFixture(home, ".claude/hooks/session-end.sh", "#!/bin/sh\necho my own end hook\n");
    migrateLegacyClient({ home, env: {} }, { dryRun: false });
    expect(existsSync(join(home, ".claude/hooks/session-end.sh"))).toBe(true);
    expect(existsSync(join(home, ".claude/hooks/_modu-hook.js"))).toBe(false);
  });

  it("a settings file that does not parse is reported, not rewritten", () => {
    writeFixture(home, ".claude/settings.json", "{ nope");
    const result = migrateLegacyClient({ home, env: {} }, { dryRun: false });
    expect(result.warnings[0]).toMatch(/does not parse/);
    expect(readFileSync(join(home, ".claude/settings.json"), "utf8")).toBe("{ nope");
    writeFileSync(join(home, ".claude/settings.json"), "{}");
  });
});
