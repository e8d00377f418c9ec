import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_PACKAGE, ensureCliBuilt } from "../helpers/build-cli";
import { createTempHome, removeTempHome, snapshotTree } from "../helpers/fixture-home";
import { runCli } from "../helpers/run-cli";
import { writeUserSettings } from "./claude-home";

const NEWER = "9.9.9";

/** A proxy in front of the server that flips one byte of every CLI tarball it passes on. */
async function startTamperingProxy(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    void (async () => {
      const upstream = await fetch(`${target}${request.url}`, {
        headers: { "x-api-key": (request.headers["x-api-key"] as string) ?? "" },
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      if (request.url?.endsWith(".tgz")) body[body.length - 100] = (body[body.length - 100] ?? 0) ^ 0xff;
      const headers: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (key !== "content-encoding" && key !== "transfer-encoding") headers[key] = value;
      });
      response.writeHead(upstream.status, headers);
      response.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A release whose cli.js throws as it loads, packed by npm like a real one (so its integrity is right). */
function writeBrokenRelease(packDir: string, version: string): string {
  const stage = mkdtempSync(join(tmpdir(), "modu-broken-cli-"));
  try {
    execFileSync("tar", ["xzf", join(packDir, `modu-arena-cli-${NEWER}.tgz`), "-C", stage]);
    const packageJson = join(stage, "package", "package.json");
    writeFileSync(
      packageJson,
      readFileSync(packageJson, "utf8").replace(`"version": "${NEWER}"`, `"version": "${version}"`),
    );
    writeFileSync(join(stage, "package", "dist", "cli.js"), 'throw new Error("broken");\nexport {};\n');
    execFileSync("npm", ["pack", join(stage, "package"), "--pack-destination", packDir, "--ignore-scripts"], {
      stdio: "ignore",
    });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  writeFileSync(join(packDir, "latest.json"), JSON.stringify({ version }));
  return join(packDir, `modu-arena-cli-${version}.tgz`);
}

describe("modu-arena update against a server offering a newer CLI", () => {
  let server: RunningApiServer;
  let proxy: { url: string; server: Server };
  let packDir: string;
  let home: string;
  const bin = () => join(home, ".modu-arena", "bin");
  const launcher = () => join(bin(), "modu-arena.mjs");

  beforeAll(async () => {
    ensureCliBuilt();
    packDir = mkdtempSync(join(tmpdir(), "modu-newer-cli-"));
    execFileSync(process.execPath, [join(CLI_PACKAGE, "pack.mjs"), "--out", packDir, "--version", NEWER], {
      stdio: "ignore",
    });
    server = await startApiServer({ env: { CLI_PACKAGE_DIR: packDir } });
    proxy = await startTamperingProxy(server.url);
    const { apiKey } = await server.createUser("uma_update");
    home = createTempHome("modu-update-");
    writeUserSettings(home);
    const installed = await runCli(["install", "--api-key", apiKey, "--server", server.url, "--no-backfill"], {
      home,
    });
    expect(installed.code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => proxy?.server.close(resolve));
    await server?.close();
    if (home) removeTempHome(home);
    if (packDir) rmSync(packDir, { recursive: true, force: true });
  });

  it("status names the newer CLI the server offers", async () => {
    const status = await runCli(["status", "--json"], { home });
    expect(JSON.parse(status.stdout).cli).toEqual({ version: "0.1.0", newerOnServer: NEWER });
    const text = await runCli(["status"], { home });
    expect(text.stdout).toContain(`offers ${NEWER}: run \`modu-arena update\``);
  });

  it("refuses a tarball altered on the way and switches nothing", async () => {
    const before = snapshotTree(bin());
    const result = await runCli(["update"], { home, env: { MODU_ARENA_API_URL: proxy.url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("does not match its integrity; nothing changed");
    expect(snapshotTree(bin())).toEqual(before);
    expect(execFileSync(process.execPath, [launcher(), "--version"], { encoding: "utf8" }).trim()).toBe("0.1.0");
  });

  it("keeps the running version when the new one does not start, and removes the new one", async () => {
    const latest = readFileSync(join(packDir, "latest.json"), "utf8");
    const broken = writeBrokenRelease(packDir, "9.9.8");
    try {
      const before = snapshotTree(bin());
      const result = await runCli(["update"], { home });
      expect(result.stderr).toContain("modu-arena 9.9.8 did not start; staying on 0.1.0");
      expect(result.code).toBe(1);
      expect(snapshotTree(bin())).toEqual(before);
    } finally {
      writeFileSync(join(packDir, "latest.json"), latest);
      rmSync(broken, { force: true });
    }
  });

  it("installs the newer CLI, switches the launcher the hooks run and drops the old version once it ran", async () => {
    const settings = readFileSync(join(home, ".claude", "settings.json"), "utf8");
    const result = await runCli(["update"], { home });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`modu-arena updated from 0.1.0 to ${NEWER}`);
    expect(result.code).toBe(0);
    expect(execFileSync(process.execPath, [launcher(), "--version"], { encoding: "utf8" }).trim()).toBe(NEWER);
    // better-sqlite3, copied at install from this checkout, stays for the new version.
    expect(readdirSync(bin()).sort()).toEqual([NEWER, "modu-arena.mjs", "node_modules", "package.json"]);
    // The hooks already run the launcher: their settings stay as they were.
    expect(readFileSync(join(home, ".claude", "settings.json"), "utf8")).toBe(settings);
    const again = await runCli(["update"], { home });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`modu-arena ${NEWER} is up to date`);
  });

  it("status fails when the version the launcher runs is gone", async () => {
    const versionDir = join(bin(), NEWER);
    renameSync(versionDir, `${versionDir}.aside`);
    try {
      const status = await runCli(["status"], { home });
      expect(status.code).toBe(3);
      expect(status.stdout).toContain(`hooks    run ${launcher()}  missing`);
    } finally {
      renameSync(`${versionDir}.aside`, versionDir);
    }
  });

  it("uninstall removes the installed CLI with everything else", async () => {
    const result = await runCli(["uninstall"], { home });
    expect(result.code).toBe(0);
    expect(existsSync(join(home, ".modu-arena"))).toBe(false);
    expect(existsSync(join(home, ".claude", "commands"))).toBe(false);
  });
});
