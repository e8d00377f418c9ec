// Packs the bundled CLI into the npm tarball the server hands out (`GET /cli/modu-arena-cli-<v>.tgz`):
// dist/ and a package.json with no dependencies and no scripts, so `npx <url>` installs it with the
// registry unreachable. `node pack.mjs [--out DIR] [--version V]` (default: pack/, package.json's version).
// Writes <out>/modu-arena-cli-<v>.tgz and <out>/latest.json ({version, file, integrity}), and removes
// older tarballs from <out>.
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildCli, readPackageVersion } from "./build.mjs";

const root = dirname(fileURLToPath(import.meta.url));

export function tarballName(version) {
  return `modu-arena-cli-${version}.tgz`;
}

function tarballPackageJson(version) {
  const source = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return {
    name: source.name,
    version,
    description: source.description,
    license: source.license,
    type: "module",
    bin: { "modu-arena": "./dist/cli.js" },
    files: ["dist"],
    engines: source.engines,
  };
}

/** npm itself: the one running this script when there is one (`npm start`), else `npm` from PATH. */
function runNpm(args) {
  const options = {
    encoding: "utf8",
    env: { ...process.env, npm_config_loglevel: "error", npm_config_update_notifier: "false" },
  };
  const npmCli = process.env.npm_execpath;
  if (npmCli?.endsWith(".js")) return execFileSync(process.execPath, [npmCli, ...args], options);
  return execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", args, {
    ...options,
    shell: process.platform === "win32",
  });
}

/** Builds (into a staging folder, never touching dist/) and packs; returns what latest.json holds. */
export async function packCli({ out = join(root, "pack"), version = readPackageVersion() } = {}) {
  const stage = mkdtempSync(join(tmpdir(), "modu-arena-cli-pack-"));
  try {
    await buildCli({ outdir: join(stage, "dist"), version });
    writeFileSync(join(stage, "package.json"), `${JSON.stringify(tarballPackageJson(version), null, 2)}\n`);
    copyFileSync(join(root, "README.md"), join(stage, "README.md"));
    const packed = mkdtempSync(join(tmpdir(), "modu-arena-cli-packed-"));
    try {
      // npm pack reads nothing from the registry; its fixed file dates make equal sources pack to equal bytes.
      const [result] = JSON.parse(runNpm(["pack", stage, "--pack-destination", packed, "--json", "--ignore-scripts"]));
      const file = tarballName(version);
      mkdirSync(out, { recursive: true });
      for (const name of readdirSync(out))
        if (/^modu-arena-cli-.*\.tgz$/.test(name) && name !== file) rmSync(join(out, name), { force: true });
      renameSync(join(packed, result.filename), join(out, file));
      const latest = { version, file, integrity: result.integrity };
      writeFileSync(join(out, "latest.json.tmp"), `${JSON.stringify(latest, null, 2)}\n`);
      renameSync(join(out, "latest.json.tmp"), join(out, "latest.json"));
      return latest;
    } finally {
      rmSync(packed, { recursive: true, force: true });
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { out: { type: "string" }, version: { type: "string" } } });
  const latest = await packCli({ out: values.out ? resolve(values.out) : undefined, version: values.version });
  console.log(`packed ${latest.file} (${latest.integrity})`);
}
