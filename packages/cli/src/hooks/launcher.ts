import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../state/atomic-file";
import { getStatePaths } from "../state/paths";

/**
 * `~/.modu-arena/bin/`: the installed CLI, one folder per version, and the launcher every hook and schedule
 * runs. Hooks never point into the npx cache (clearing it would break them); `update` switches versions by
 * rewriting the launcher, which stays where it is.
 */
export interface BinPaths {
  dir: string;
  launcher: string;
  /** `{"type":"module"}`: the bundle's .js files are ES modules wherever the home's own package.json says otherwise. */
  packageJson: string;
}

export function getBinPaths(home: string): BinPaths {
  const dir = join(getStatePaths(home).dir, "bin");
  return { dir, launcher: join(dir, "modu-arena.mjs"), packageJson: join(dir, "package.json") };
}

export function getVersionDir(home: string, version: string): string {
  return join(getBinPaths(home).dir, version);
}

/** The folder of the bundle this process runs from (dist/ with cli.js and chunks/), if it is one. */
export function findRunningBundle(script: string): string | undefined {
  const dir = dirname(script);
  return basename(script) === "cli.js" && existsSync(join(dir, "chunks")) ? dir : undefined;
}

function isSafeVersion(version: string): boolean {
  return /^[0-9A-Za-z.+-]+$/.test(version) && !version.startsWith(".");
}

/**
 * Puts a bundle folder in place as `bin/<version>/`: copied beside it first, then renamed, so a hook starting
 * meanwhile finds the old folder or the new one, never half of one.
 */
export function placeVersion(home: string, version: string, fill: (dir: string) => void): string {
  if (!isSafeVersion(version)) throw new Error(`not a version: ${version}`);
  const paths = getBinPaths(home);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  writeFileAtomic(paths.packageJson, '{ "type": "module" }\n', 0o644);
  const target = getVersionDir(home, version);
  const staging = join(paths.dir, `.${version}.${process.pid}.tmp`);
  rmSync(staging, { recursive: true, force: true });
  try {
    fill(staging);
    if (!existsSync(join(staging, "cli.js"))) throw new Error(`the bundle of ${version} has no cli.js`);
    const replaced = join(paths.dir, `.${version}.${process.pid}.old`);
    if (existsSync(target)) renameSync(target, replaced);
    renameSync(staging, target);
    rmSync(replaced, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** Copies the running bundle (`dist/`) to `bin/<version>/`, unless it already runs from there. */
export function installRunningBundle(home: string, bundleDir: string, version: string): void {
  const target = getVersionDir(home, version);
  if (bundleDir === target) return;
  placeVersion(home, version, (staging) => cpSync(bundleDir, staging, { recursive: true }));
}

function renderImport(version: string): string {
  return `await import(${JSON.stringify(`./${version}/cli.js`)})`;
}

/**
 * The launcher: imports `bin/<version>/cli.js` and runs it. With `fallback`, a version that fails to load
 * falls back to the one before (kept until the new one has run once, see `update`).
 */
export function renderLauncher(version: string, fallback?: string): string {
  const header = [
    "#!/usr/bin/env node",
    "// modu-arena: every hook and schedule runs this file; `modu-arena update` rewrites it to switch versions.",
    `// version ${version}`,
  ];
  const body = fallback
    ? [
        "let cli;",
        "try {",
        `  cli = ${renderImport(version)};`,
        "} catch {",
        `  cli = ${renderImport(fallback)};`,
        "}",
        "await cli.main();",
      ]
    : [`const cli = ${renderImport(version)};`, "await cli.main();"];
  return `${[...header, ...body].join("\n")}\n`;
}

export function writeLauncher(home: string, version: string, fallback?: string): string {
  const { launcher } = getBinPaths(home);
  writeFileAtomic(launcher, renderLauncher(version, fallback), 0o755);
  return launcher;
}

/** The version the launcher runs first, or undefined when there is no launcher. */
export function readLauncherVersion(home: string): string | undefined {
  try {
    return /^\/\/ version (\S+)$/m.exec(readFileSync(getBinPaths(home).launcher, "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/** Removes every version folder (and leftover staging folder) except `keep`; node_modules stays. */
export function removeOtherVersions(home: string, keep: readonly string[]): void {
  const { dir } = getBinPaths(home);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (keep.includes(name) || !/^[.\d]/.test(name) || !statSync(full).isDirectory()) continue;
    rmSync(full, { recursive: true, force: true });
  }
}

/** What better-sqlite3 needs at run time: its JS, its compiled module, and `bindings` to find that. */
const SQLITE_PACKAGES: Record<string, string[]> = {
  "better-sqlite3": ["package.json", "lib", "build/Release/better_sqlite3.node"],
  bindings: ["package.json", "bindings.js"],
  "file-uri-to-path": ["package.json", "index.js"],
};

/**
 * better-sqlite3 (native, so never in the bundle or the tarball) is copied to `bin/node_modules/` when the
 * running bundle can load it (a checkout's build), so that the installed copy still reads OpenCode and Crush.
 * Where it cannot be found (npx from the server), those two tools are skipped, as before any install.
 */
export function copySqliteModule(home: string, bundleDir: string): boolean {
  const requireFromBundle = createRequire(join(bundleDir, "cli.js"));
  const sources: [string, string][] = [];
  try {
    const sqlite = dirname(requireFromBundle.resolve("better-sqlite3/package.json"));
    const requireFromSqlite = createRequire(join(sqlite, "package.json"));
    const bindings = dirname(requireFromSqlite.resolve("bindings/package.json"));
    const fileUri = dirname(createRequire(join(bindings, "package.json")).resolve("file-uri-to-path/package.json"));
    sources.push(["better-sqlite3", sqlite], ["bindings", bindings], ["file-uri-to-path", fileUri]);
  } catch {
    return false;
  }
  const target = join(getBinPaths(home).dir, "node_modules");
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [name, source] of sources) {
      for (const part of SQLITE_PACKAGES[name] ?? []) {
        if (!existsSync(join(source, part))) return false;
        cpSync(join(source, part), join(staging, name, part), { recursive: true, dereference: true });
      }
    }
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return true;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
