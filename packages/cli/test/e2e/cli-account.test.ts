import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readLatestCode } from "@modu-arena/server";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt } from "../helpers/build-cli";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";
import { runCli } from "../helpers/run-cli";

const EMAIL = "dana@example.test";
const PASSWORD = "correct-horse-battery-9";

describe("register and login (built binary, real server)", () => {
  let server: RunningApiServer;
  let home: string;
  const cli = (args: string[], stdin?: string) =>
    runCli([...args, "--server", server.url, "--no-backfill"], { home, stdin });
  const savedKey = () =>
    (JSON.parse(readFileSync(join(home, ".modu-arena", "config.json"), "utf8")) as { apiKey: string }).apiKey;
  const verify = (apiKey: string) => fetch(`${server.url}/api/v1/verify`, { headers: { "x-api-key": apiKey } });

  beforeAll(async () => {
    ensureCliBuilt();
    server = await startApiServer();
    home = createTempHome("modu-e2e-account-");
  });
  afterAll(async () => {
    await server?.close();
    if (home) removeTempHome(home);
  });

  it("sends the code, then without a terminal asks for it with a usable hint", async () => {
    const result = await cli(["register", "--email", EMAIL]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--code");
    expect(await readLatestCode(server.ctx, EMAIL)).toMatch(/^\d{6}$/);
  });

  it("refuses a wrong code without creating anything", async () => {
    const result = await cli(
      ["register", "--email", EMAIL, "--code", "000000", "--username", "dana", "--password-stdin"],
      PASSWORD,
    );
    expect(result.code).not.toBe(0);
    expect((await fetch(`${server.url}/api/users/dana`)).status).toBe(404);
  });

  it("registers with the emailed code and installs the issued key", async () => {
    const code = (await readLatestCode(server.ctx, EMAIL))!;
    const result = await cli(
      ["register", "--email", EMAIL, "--code", code, "--username", "dana", "--password-stdin"],
      PASSWORD,
    );
    expect(result.stderr).toContain("Registered dana");
    expect(result.code).toBe(0);
    const key = savedKey();
    expect(key).toMatch(/^modu_arena_/);
    expect(await (await verify(key)).json()).toMatchObject({ valid: true, username: "dana" });
  });

  it("logs in with the password, replacing the key", async () => {
    const before = savedKey();
    const wrong = await cli(["login", "--login", EMAIL, "--password-stdin"], "not-the-password");
    expect(wrong.code).not.toBe(0);
    expect(savedKey()).toBe(before);
    const result = await cli(["login", "--login", "dana", "--password-stdin"], PASSWORD);
    expect(result.code).toBe(0);
    const after = savedKey();
    expect(after).not.toBe(before);
    expect((await verify(after)).status).toBe(200);
    expect((await verify(before)).status).toBe(401);
  });
});
