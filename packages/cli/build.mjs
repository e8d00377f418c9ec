// Bundles the CLI into dist/ so that `npx @modu-arena/cli` needs no build step and no workspace.
// The entry stays tiny: `hook` (the hot path the AI tools call) loads its own small chunk only.
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const outdir = join(root, "dist");

rmSync(outdir, { recursive: true, force: true });
await build({
  // The scan workers are entries of their own: collectors load it by its file name beside their chunk.
  entryPoints: {
    cli: join(root, "src/cli.ts"),
    "claude-scan-worker": join(root, "src/collectors/claude-scan-worker.ts"),
    "codex-scan-worker": join(root, "src/collectors/codex-scan-worker.ts"),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunks/[name]-[hash]",
  // Native or heavy: installed as real dependencies of the package.
  external: ["better-sqlite3", "fzstd"],
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
