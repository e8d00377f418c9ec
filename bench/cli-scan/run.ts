/**
 * Scan benchmark: our collectors vs ccusage v20 (native binary) on the same generated home, interleaved,
 * median of N runs each; then an incremental run after one new Claude session. Peak RSS and CPU come from
 * GNU time. Results go to stdout (JSON) and bench/cli-scan/results/cli-scan-<stamp>.json.
 * Usage: tsx bench/cli-scan/run.ts [--home /tmp/modu-bench-home] [--runs 3]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const option = (name: string, fallback: string) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1]!;
};
const home = option("--home", path.join(tmpdir(), "modu-bench-home"));
const runs = Number(option("--runs", "3"));
const work = path.join(tmpdir(), "modu-bench-cli-scan");
mkdirSync(work, { recursive: true });

interface Measure {
  wallS: number;
  userS: number;
  sysS: number;
  maxRssMiB: number;
  stdout: string;
}

/** Runs a command under GNU time (`-f` gives wall, CPU and peak RSS of the whole process). */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Measure {
  const timeFile = path.join(work, "time.txt");
  const result = spawnSync("/usr/bin/time", ["-o", timeFile, "-f", "%e %U %S %M", command, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const [wall, user, sys, rss] = execFileSync("tail", ["-n", "1", timeFile], { encoding: "utf8" }).trim().split(" ");
  return {
    wallS: Number(wall),
    userS: Number(user),
    sysS: Number(sys),
    maxRssMiB: Math.round(Number(rss) / 1024),
    stdout: result.stdout,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function ensureHome(): void {
  if (existsSync(path.join(home, ".claude", "projects"))) return;
  execFileSync("npx", ["tsx", "bench/cli-scan/generate.ts", home], { cwd: root, stdio: "inherit" });
}

/** The probe bundled like the shipped CLI (esbuild, splitting, the scan worker as its own entry; no tsx). */
function bundleProbe(): string {
  const outdir = path.join(root, "node_modules", ".cache", "modu-bench-probe");
  execFileSync("rm", ["-rf", outdir]);
  execFileSync(
    "npx",
    [
      "esbuild",
      "scan-once=bench/cli-scan/scan-once.ts",
      "claude-scan-worker=packages/cli/src/collectors/claude-scan-worker.ts",
      "--bundle",
      "--splitting",
      "--platform=node",
      "--format=esm",
      `--outdir=${outdir}`,
      "--chunk-names=chunks/[name]-[hash]",
      "--out-extension:.js=.js",
      "--external:better-sqlite3",
      "--external:fzstd",
      "--log-level=warning",
      '--banner:js=import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    ],
    { cwd: root, stdio: "inherit" },
  );
  return path.join(outdir, "scan-once.js");
}

/** ccusage v20 ships a native binary per platform as an optional dependency; install it once, outside the repo. */
function ensureCcusage(): string {
  const prefix = path.join(tmpdir(), "modu-bench-ccusage");
  const findBinary = () => {
    const scope = path.join(prefix, "node_modules", "@ccusage");
    if (!existsSync(scope)) return null;
    for (const name of readdirSync(scope)) {
      const binary = path.join(scope, name, "bin", "ccusage");
      if (existsSync(binary)) return binary;
    }
    return null;
  };
  if (!findBinary())
    execFileSync("npm", ["install", "--no-save", "--prefix", prefix, "ccusage@20.0.24"], { stdio: "inherit" });
  const binary = findBinary();
  if (!binary) throw new Error("ccusage native binary not installed");
  chmodSync(binary, 0o755);
  return binary;
}

function main(): void {
  ensureHome();
  const probe = bundleProbe();
  const ccusage = ensureCcusage();
  // A small young generation keeps the scan's garbage from inflating RSS; the CLI's bin should pass it too.
  const ours = (tool: string, stateIn = "-", stateOut = "-") =>
    measure("node", ["--max-semi-space-size=2", probe, home, tool, stateIn, stateOut]);
  const theirs = (tool: "claude" | "codex") =>
    measure(ccusage, [tool, "session", "--json", "--offline"], {
      HOME: home,
      CLAUDE_CONFIG_DIR: path.join(home, ".claude"),
      CODEX_HOME: path.join(home, ".codex"),
    });
  const report: Record<string, unknown> = {
    home,
    runs,
    cpus: (process.env.NPROC ?? execFileSync("nproc", { encoding: "utf8" })).trim(),
  };
  for (const [tool, ccTool] of [
    ["claude-code", "claude"],
    ["codex", "codex"],
  ] as const) {
    const mine: Measure[] = [];
    const peer: Measure[] = [];
    for (let run = 0; run < runs; run++) {
      mine.push(ours(tool, "-", path.join(work, `${tool}-state.json`)));
      peer.push(theirs(ccTool));
    }
    const probeOut = JSON.parse(mine.at(-1)!.stdout) as Record<string, number>;
    const peerTotals = (JSON.parse(peer.at(-1)!.stdout) as { totals: Record<string, number> }).totals;
    report[tool] = {
      oursWallS: median(mine.map((m) => m.wallS)),
      oursCpuS: median(mine.map((m) => m.userS + m.sysS)),
      oursMaxRssMiB: Math.max(...mine.map((m) => m.maxRssMiB)),
      ccusageWallS: median(peer.map((m) => m.wallS)),
      ccusageCpuS: median(peer.map((m) => m.userS + m.sysS)),
      ccusageMaxRssMiB: Math.max(...peer.map((m) => m.maxRssMiB)),
      wallRatio: Number((median(mine.map((m) => m.wallS)) / median(peer.map((m) => m.wallS))).toFixed(2)),
      sameTotals: probeOut.inputTokens === peerTotals.inputTokens && probeOut.outputTokens === peerTotals.outputTokens,
      stateBytes: probeOut.stateBytes,
    };
  }
  // Incremental: one new session appended to the history, continuing the saved state.
  const extra = path.join(work, "one-more");
  execFileSync("rm", ["-rf", extra]);
  execFileSync(
    "npx",
    ["tsx", "bench/cli-scan/generate.ts", extra, "--claude-mb", "1", "--codex-mb", "0", "--seed", "7"],
    { cwd: root },
  );
  const added: string[] = [];
  const extraProjects = path.join(extra, ".claude", "projects");
  for (const project of readdirSync(extraProjects)) {
    for (const file of readdirSync(path.join(extraProjects, project))) {
      const target = path.join(home, ".claude", "projects", project, file);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(extraProjects, project, file), target);
      added.push(target);
    }
  }
  const incremental = ours("claude-code", path.join(work, "claude-code-state.json"));
  const out = JSON.parse(incremental.stdout) as Record<string, number>;
  report.incremental = {
    parseMs: out.parseMs,
    loadStateMs: out.loadStateMs,
    wallS: incremental.wallS,
    filesRead: out.filesRead,
    sessions: out.sessions,
  };
  execFileSync("rm", ["-rf", ...added, path.dirname(probe)]);
  mkdirSync(path.join(root, "bench", "cli-scan", "results"), { recursive: true });
  writeFileSync(
    path.join(root, "bench", "cli-scan", "results", `cli-scan-${Date.now().toString(36)}.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log(JSON.stringify(report, null, 2));
}

main();
