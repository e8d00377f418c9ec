// Bundles the CLI into dist/ so that it runs with no build step, no workspace and no dependency from a
// registry. The entry stays tiny: `hook` (the hot path the AI tools call) loads its own small chunk only.
// `node build.mjs [--outdir DIR] [--version V]`: another folder or version (pack.mjs, tests of `update`).
import { readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = dirname(fileURLToPath(import.meta.url));

export function readPackageVersion() {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
}

/** Writes the bundle to `outdir` (replacing it), with `version` as the CLI's --version. */
export async function buildCli({ outdir = join(root, "dist"), version = readPackageVersion() } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    // The scan workers are entries of their own: collectors load it by its file name beside their chunk.
    entryPoints: {
      cli: join(root, "src/cli.ts"),
      "claude-scan-worker": join(root, "src/collectors/claude-scan-worker.ts"),
      "codex-scan-worker": join(root, "src/collectors/codex-scan-worker.ts"),
    },
    outdir,
    // Chunk names hash paths relative to this: fixed, so equal sources give equal bytes from any cwd.
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunks/[name]-[hash]",
    // Native, so it cannot be bundled; loaded lazily by the SQLite collectors only (OpenCode, Crush), which
    // are skipped where it cannot be resolved. fzstd (pure JS) is bundled.
    external: ["better-sqlite3"],
    mainFields: ["module", "main"],
    define: { __MODU_ARENA_VERSION__: JSON.stringify(version) },
    // Bundled CommonJS code may call require() for Node built-ins.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    legalComments: "none",
    minify: true,
    logLevel: "warning",
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { outdir: { type: "string" }, version: { type: "string" } } });
  await buildCli({ outdir: values.outdir ? resolve(values.outdir) : undefined, version: values.version });
}
