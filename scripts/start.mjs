#!/usr/bin/env node
// `npm start`: build the web app when its build is missing or older than the sources, pack the CLI the
// server hands out (packages/cli/pack, unless CLI_PACKAGE_DIR names another) when it is missing or older than
// its sources, then run the one server (apps/web/server.ts) with tsx. `npm run dev` (--dev) skips the build and runs Next in dev mode;
// --build forces a build, --build-only builds when stale and exits (the browser tests' setup).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { newestMtime } from "./newest-mtime.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "apps/web");
const dev = process.argv.includes("--dev");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

const SOURCES = [
  "apps/web/src",
  "apps/web/messages",
  "apps/web/public",
  "apps/web/next.config.ts",
  "apps/web/postcss.config.mjs",
  "apps/web/tsconfig.json",
  "apps/web/package.json",
  "packages/core/src",
  "packages/db/src",
  "packages/server/src",
  "package-lock.json",
];

function needsBuild() {
  const buildId = path.join(web, ".next/BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(root, source)) > built);
}

if (!dev && (process.argv.includes("--build") || needsBuild())) {
  console.log("[start] building the web app (next build)…");
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: web, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("[start] next build failed");
    process.exit(result.status ?? 1);
  }
}

const CLI_SOURCES = [
  "packages/cli/src",
  "packages/cli/build.mjs",
  "packages/cli/pack.mjs",
  "packages/cli/package.json",
  "packages/cli/README.md",
  "packages/core/src",
];

function needsCliPack() {
  const latest = path.join(root, "packages/cli/pack/latest.json");
  if (!existsSync(latest)) return true;
  const packed = statSync(latest).mtimeMs;
  return CLI_SOURCES.some((source) => newestMtime(path.join(root, source)) > packed);
}

if (!process.env.CLI_PACKAGE_DIR && needsCliPack()) {
  console.log("[start] packing the CLI this server hands out…");
  const result = spawnSync(process.execPath, [path.join(root, "packages/cli/pack.mjs")], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    console.error("[start] packing the CLI failed");
    process.exit(result.status ?? 1);
  }
}

if (process.argv.includes("--build-only")) process.exit(0);

const args = ["--import", "tsx", path.join(web, "server.ts"), ...(dev ? ["--dev"] : [])];
const child = spawn(process.execPath, args, { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
