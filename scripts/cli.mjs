#!/usr/bin/env node
// `npm run cli -- <command>`: the `modu-arena` CLI of this checkout, built first when its bundle is missing or
// older than its sources. (`npx modu-arena` would not find it here: npm links no bin to a file not built
// yet, and npx would then fetch whatever the registry calls `modu-arena`.)
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { newestMtime } from "./newest-mtime.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "packages/cli");
const bundle = path.join(cli, "dist/cli.js");
const SOURCES = [path.join(cli, "src"), path.join(cli, "build.mjs"), path.join(root, "packages/core/src")];

const builtAt = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (SOURCES.some((source) => newestMtime(source) > builtAt)) {
  const built = spawnSync(process.execPath, [path.join(cli, "build.mjs")], { cwd: cli, stdio: "inherit" });
  if (built.status !== 0) {
    console.error("error: building the CLI failed");
    process.exit(built.status ?? 1);
  }
}
const run = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(run.status ?? 1);
