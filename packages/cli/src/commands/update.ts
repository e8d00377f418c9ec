import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type CliLatest, compareCliVersions, getCliTarballName, isCliVersion } from "@modu-arena/core/cli-release";
import type { Command } from "commander";
import { CliError, describeError, EXIT } from "../errors";
import {
  getBinPaths,
  getVersionDir,
  placeVersion,
  readLauncherVersion,
  removeOtherVersions,
  writeLauncher,
} from "../hooks/launcher";
import type { Runtime } from "../runtime";
import { requireConfig, resolveServerUrl } from "../state/config";
import type { CommandDeps } from "./deps";
import { readTarball } from "./tarball";

const TIMEOUT_MS = 30_000;

function isCliLatest(value: unknown): value is CliLatest {
  const latest = value as Partial<CliLatest> | null;
  return (
    typeof latest?.version === "string" &&
    isCliVersion(latest.version) &&
    typeof latest.integrity === "string" &&
    latest.integrity.startsWith("sha512-")
  );
}

/** What the server offers (`GET /cli/latest.json`); undefined when it hands out no CLI (404, or an older server). */
export async function fetchCliLatest(runtime: Runtime, serverUrl: string): Promise<CliLatest | undefined> {
  const response = await runtime.fetch(`${serverUrl}/cli/latest.json`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /cli/latest.json answered HTTP ${response.status}`);
  const latest: unknown = await response.json();
  if (!isCliLatest(latest)) throw new Error("GET /cli/latest.json answered something that is no CLI release");
  return latest;
}

export function getSha512Integrity(bytes: Uint8Array): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/** The tarball's `package/dist/*` files written under `dir`. */
function extractBundle(files: Map<string, Buffer>, dir: string): void {
  for (const [path, content] of files) {
    if (!path.startsWith("package/dist/")) continue;
    const target = join(dir, path.slice("package/dist/".length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content, { mode: 0o644 });
  }
}

/** Runs `<launcher> --version` (the new version's first run); true when it answers with `version`. */
function runsAs(runtime: Runtime, launcher: string, version: string): boolean {
  const result = spawnSync(runtime.self.node, [launcher, "--version"], {
    encoding: "utf8",
    timeout: 30_000,
    env: { ...runtime.env, HOME: runtime.home },
    windowsHide: true,
  });
  return result.status === 0 && result.stdout.trim() === version;
}

interface UpdateOptions {
  json?: boolean;
}

/**
 * `update`: fetches the newer CLI the configured server offers, checks its sha512 against latest.json (and
 * the tarball's own header), unpacks it beside the running version and switches the launcher. The previous
 * version stays (and the launcher falls back to it) until the new one has answered once; if it does not,
 * the launcher goes back and the new folder is removed.
 */
async function update(deps: CommandDeps, options: UpdateOptions): Promise<void> {
  const { runtime, output } = deps;
  const config = requireConfig(runtime.home);
  const serverUrl = resolveServerUrl(runtime.env, config);
  const current = readLauncherVersion(runtime.home);
  if (!current) {
    throw new CliError("this CLI is not installed in ~/.modu-arena/bin", {
      exitCode: EXIT.notConfigured,
      hint: "run the install line from your dashboard once; update keeps that installation current",
    });
  }
  const latest = await fetchCliLatest(runtime, serverUrl).catch((error: unknown) => {
    throw new CliError(`cannot ask ${serverUrl} for its CLI: ${describeError(error)}`, { exitCode: EXIT.network });
  });
  if (!latest) {
    throw new CliError(`${serverUrl} hands out no CLI`, {
      exitCode: EXIT.network,
      hint: "its operator packs one with npm start",
    });
  }
  if (!(compareCliVersions(latest.version, current) > 0)) {
    if (options.json) output.printJson({ updated: false, version: current, offered: latest.version });
    else output.print(`modu-arena ${current} is up to date (${serverUrl} offers ${latest.version})`);
    return;
  }
  // Always from the configured server, whatever address latest.json names.
  const url = `${serverUrl}/cli/${getCliTarballName(latest.version)}`;
  const response = await runtime.fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((error: unknown) => {
    throw new CliError(`cannot download ${url}: ${describeError(error)}`, { exitCode: EXIT.network });
  });
  if (!response.ok) throw new CliError(`GET ${url} answered HTTP ${response.status}`, { exitCode: EXIT.network });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const integrity = getSha512Integrity(bytes);
  const announced = response.headers.get("x-integrity");
  if (integrity !== latest.integrity || (announced !== null && announced !== integrity)) {
    throw new CliError(
      `the downloaded ${getCliTarballName(latest.version)} does not match its integrity; nothing changed`,
      {
        hint: `expected ${latest.integrity}, got ${integrity}`,
      },
    );
  }
  let files: Map<string, Buffer>;
  try {
    files = readTarball(bytes);
  } catch (error) {
    throw new CliError(`cannot unpack ${getCliTarballName(latest.version)}: ${describeError(error)}; nothing changed`);
  }
  placeVersion(runtime.home, latest.version, (staging) => extractBundle(files, staging));
  const launcher = writeLauncher(runtime.home, latest.version, current);
  if (!runsAs(runtime, launcher, latest.version)) {
    writeLauncher(runtime.home, current);
    rmSync(getVersionDir(runtime.home, latest.version), { recursive: true, force: true });
    throw new CliError(`modu-arena ${latest.version} did not start; staying on ${current}`);
  }
  writeLauncher(runtime.home, latest.version);
  removeOtherVersions(runtime.home, [latest.version]);
  if (options.json) output.printJson({ updated: true, from: current, version: latest.version });
  else output.print(`modu-arena updated from ${current} to ${latest.version} (${getBinPaths(runtime.home).dir})`);
}

export function registerUpdateCommand(program: Command, deps: CommandDeps): void {
  program
    .command("update")
    .description("install the newer CLI your server offers (integrity-checked); hooks switch to it")
    .option("--json", "print the result as JSON")
    .action((options: UpdateOptions) => update(deps, options));
}
