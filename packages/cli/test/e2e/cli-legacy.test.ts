import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt } from "../helpers/build-cli";
import {
  createTempHome,
  findFilesContaining,
  removeTempHome,
  snapshotTree,
  writeFixture,
} from "../helpers/fixture-home";
import { runCli } from "../helpers/run-cli";

describe("install over the older modu-arena client (built binary)", () => {
  let server: RunningApiServer;
  let apiKey: string;
  let home: string;

  beforeAll(async () => {
    ensureCliBuilt();
    server = await startApiServer();
    ({ apiKey } = await server.createUser("cleo_e2e"));
    home = createTempHome("modu-e2e-legacy-");
    writeFixture(home, ".modu-arena.json", JSON.stringify({ apiKey, serverUrl: server.url }, null, 2));
    writeFixture(home, ".claude/hooks/_modu-hook.js", `var API_KEY = ${JSON.stringify(apiKey)};\n`);
    writeFixture(home, ".claude/hooks/session-end.sh", '#!/bin/bash\nexec node "$(dirname "$0")/_modu-hook.js"\n');
    const stop = [
      { matcher: "", hooks: [{ type: "command", command: `"${join(home, ".claude/hooks/session-end.sh")}"` }] },
    ];
    writeFixture(home, ".claude/settings.json", `${JSON.stringify({ hooks: { Stop: stop } }, null, 2)}\n`);
  });

  afterAll(async () => {
    await server?.close();
    if (home) removeTempHome(home);
  });

  it("an unparsable settings file is refused and named; the other tools are still set up", async () => {
    const other = createTempHome("modu-e2e-broken-");
    try {
      writeFixture(other, ".gemini/settings.json", '{ "ui": { "theme": "GitHub" }');
      writeFixture(other, ".claude/settings.json", "{}\n");
      const result = await runCli(["install", "--api-key", apiKey, "--server", server.url, "--no-backfill"], {
        home: other,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${join(other, ".gemini/settings.json")} does not parse`);
      expect(result.stderr).toMatch(/error: 1 hook\(s\) could not be installed\nhint: /);
      expect(readFileSync(join(other, ".gemini/settings.json"), "utf8")).toBe('{ "ui": { "theme": "GitHub" }');
      expect(readFileSync(join(other, ".claude/settings.json"), "utf8")).toContain("hook claude-code");
    } finally {
      removeTempHome(other);
    }
  });

  it("takes the key over without --api-key, removes every plain-text copy, and uninstall leaves no key", async () => {
    const install = await runCli(["install", "--no-backfill"], { home });
    expect(install.stderr).toContain("signed in as cleo_e2e");
    expect(install.code).toBe(0);
    expect(existsSync(join(home, ".modu-arena.json"))).toBe(false);
    expect(existsSync(join(home, ".claude/hooks"))).toBe(false);
    // Only the new config holds the key now.
    expect(findFilesContaining(home, apiKey)).toEqual([".modu-arena/config.json"]);
    const settings = JSON.parse(readFileSync(join(home, ".claude/settings.json"), "utf8"));
    expect(JSON.stringify(settings)).not.toContain("session-end.sh");
    expect(JSON.stringify(settings.hooks.Stop)).toContain("hook claude-code");
    const uninstall = await runCli(["uninstall"], { home });
    expect(uninstall.code).toBe(0);
    expect(findFilesContaining(home, apiKey)).toEqual([]);
    expect(Object.keys(snapshotTree(home)).filter((path) => path.includes("modu"))).toEqual([]);
  });
});
