/**
 * The Codex rollout reader against its baseline in one process: the collector's reader (frequent lines read
 * in place from bytes) and the same scan parsing every line the pre-filter keeps (the reader before
 * `13533f8`). Interleaved rounds on the bench home's rollouts; both must give the same totals.
 * Usage: tsx bench/cli-scan/codex-lines.ts [--home /tmp/modu-bench-home] [--rounds 9]
 * (bundled with esbuild first, so that it runs as the shipped CLI does, not through tsx's loader).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { classifyRolloutLine, RolloutLineKind } from "../../packages/cli/src/collectors/codex-line-filter";
import { readRolloutTask } from "../../packages/cli/src/collectors/codex-read";
import {
  createRolloutContext,
  createRolloutProgress,
  handleRolloutLine,
} from "../../packages/cli/src/collectors/codex-rollout";
import { readNewLines } from "../../packages/cli/src/collectors/file-cursor";
import { sumTokens } from "../../packages/cli/src/collectors/session-totals";

const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1]!;
};
const home = option("--home", path.join(tmpdir(), "modu-bench-home"));
const rounds = Number(option("--rounds", "9"));

if (!process.argv.includes("--bundled")) {
  const outfile = path.join(tmpdir(), "modu-bench-codex-lines.mjs");
  execFileSync("npx", [
    "esbuild",
    fileURLToPath(import.meta.url),
    "--bundle",
    "--platform=node",
    "--format=esm",
    `--outfile=${outfile}`,
  ]);
  execFileSync("node", [outfile, ...process.argv.slice(2), "--bundled"], { stdio: "inherit" });
  process.exit(0);
}

function listRollouts(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? listRollouts(full) : entry.name.endsWith(".jsonl") ? [full] : [];
  });
}

const files = listRollouts(path.join(home, ".codex", "sessions"));
const SALT = "bench";

/** The collector's reader; returns the token total of all rollouts. */
function readInPlace(): number {
  let total = 0;
  for (const file of files) {
    const read = readRolloutTask({
      file: { key: file, path: file, rank: 0 },
      stats: statSync(file),
      known: undefined,
      salt: SALT,
    });
    total += read && "next" in read ? sumTokens(read.next.progress.totals.tokens) : 0;
  }
  return total;
}

/** The baseline: every line the pre-filter keeps is parsed whole. */
function readByParsing(): number {
  let total = 0;
  for (const file of files) {
    const progress = createRolloutProgress();
    const context = createRolloutContext(SALT, 0);
    readNewLines(file, statSync(file), undefined, (chunk, start, end) => {
      if (classifyRolloutLine(chunk, start, end) === RolloutLineKind.skip) return;
      try {
        handleRolloutLine(progress, JSON.parse(chunk.toString("utf8", start, end)), context);
      } catch {
        // malformed: skipped, as the collector does
      }
    });
    total += sumTokens(progress.totals.tokens);
  }
  return total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const times: Record<string, number[]> = { inPlace: [], parsing: [] };
const totals = new Set<number>();
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of [
    ["inPlace", readInPlace],
    ["parsing", readByParsing],
  ] as const) {
    const started = performance.now();
    totals.add(run());
    times[name]!.push(performance.now() - started);
  }
}
const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
console.log(
  JSON.stringify({
    rollouts: files.length,
    megabytes: Math.round(bytes / 1048576),
    rounds,
    inPlaceMs: Math.round(median(times.inPlace!)),
    parsingMs: Math.round(median(times.parsing!)),
    ratio: Number((median(times.inPlace!) / median(times.parsing!)).toFixed(2)),
    firstRoundMs: { inPlace: Math.round(times.inPlace![0]!), parsing: Math.round(times.parsing![0]!) },
    sameTotals: totals.size === 1,
  }),
);
