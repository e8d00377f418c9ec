/**
 * Scan benchmark: our collectors vs ccusage v20 (native binary) on the same generated home, interleaved,
 * median of N runs each; then an incremental run after one new Claude session. Peak RSS and CPU come from
 * GNU time. Results go to stdout (JSON) and bench/cli-scan/results/cli-scan-<stamp>.json.
 * Usage: tsx bench/cli-scan/run.ts [--home /tmp/modu-bench-home] [--runs 3] [--tools claude-code,codex]
 * (`--tools codex` times the Codex full scan alone: no incremental or hook figures.)
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { measureFirstTouch, measureHook } from "./machine-figures";
import { type Measure, measure, median, work } from "./measure";
import { measureTreeBytes } from "./tree-bytes";

const root = path.resolve(import.meta.dirname, "../..");
const option = (name: string, fallback: string) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1]!;
};
const home = option("--home", path.join(tmpdir(), "modu-bench-home"));
const runs = Number(option("--runs", "3"));
const tools = option("--tools", "claude-code,codex").split(",");

/** Both daily reports name the same days with the same token counts. */
function sameDailyTotals(ours: string, theirs: string): boolean {
  const rows = (JSON.parse(ours) as { rows: Record<string, number | string>[] }).rows;
  const days = (JSON.parse(theirs) as { daily: Record<string, number | string>[] }).daily;
  const fields = ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens"];
  return (
    rows.length === days.length &&
    rows.every(
      (row, index) => row.key === days[index]!.date && fields.every((field) => row[field] === days[index]![field]),
    )
  );
}

const toolFolder = (tool: string) => (tool === "codex" ? ".codex" : ".claude");

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
      "read-floor=bench/cli-scan/read-floor.ts",
      "claude-scan-worker=packages/cli/src/collectors/claude-scan-worker.ts",
      "codex-scan-worker=packages/cli/src/collectors/codex-scan-worker.ts",
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

const loadAverage = () => os.loadavg().map((value) => Number(value.toFixed(2)));

function main(): void {
  ensureHome();
  const probe = bundleProbe();
  execFileSync("node", [path.join(root, "packages", "cli", "build.mjs")], { stdio: "inherit" });
  const ccusage = ensureCcusage();
  const ours = (tool: string, stateDir = "-", env: NodeJS.ProcessEnv = {}) =>
    measure("node", [probe, home, tool, stateDir], env);
  // The command a user runs, start to exit: the whole program loaded, payloads built and printed, nothing saved.
  const cliDryRun = (tool: string) =>
    measure("node", [path.join(root, "packages", "cli", "dist", "cli.js"), "sync", "--dry-run", "--tool", tool], {
      HOME: home,
    });
  const readFloor = (tool: string) =>
    measure("node", [path.join(path.dirname(probe), "read-floor.js"), path.join(home, toolFolder(tool))]);
  // The local report a user runs, against ccusage's own daily report.
  const cliStats = (tool: string) =>
    measure(
      "node",
      [path.join(root, "packages", "cli", "dist", "cli.js"), "stats", "--by", "day", "--tool", tool, "--json"],
      { HOME: home, TZ: "UTC" },
    );
  const theirs = (tool: "claude" | "codex", report: "session" | "daily" = "session") =>
    measure(ccusage, [tool, report, "--json", "--offline"], {
      HOME: home,
      CLAUDE_CONFIG_DIR: path.join(home, ".claude"),
      CODEX_HOME: path.join(home, ".codex"),
      TZ: "UTC",
    });
  const report: Record<string, unknown> = {
    home,
    runs,
    cpus: os.availableParallelism(),
    loadAverageStart: loadAverage(),
    firstTouchUsPerPage: measureFirstTouch(),
  };
  const stateDir = (tool: string) => path.join(work, `${tool}-state`);
  report.tools = tools;
  const toolPairs = [
    ["claude-code", "claude"],
    ["codex", "codex"],
  ] as const;
  for (const [tool, ccTool] of toolPairs.filter(([name]) => tools.includes(name))) {
    // Every variant is a full scan from no state that saves it, as the install backfill does. `auto` is
    // what the CLI chooses; `0` and `1` force the thread count. The tool's bytes are measured here once, so
    // the probe only reports the choice without walking the tree itself.
    const dataBytes = {
      MODU_BENCH_DATA_BYTES: String(measureTreeBytes(path.join(home, toolFolder(tool)))),
    };
    const variants = {
      auto: dataBytes,
      single: { ...dataBytes, MODU_ARENA_SCAN_THREADS: "0" },
      oneWorker: { ...dataBytes, MODU_ARENA_SCAN_THREADS: "1" },
    };
    const mine: Record<string, Measure[]> = { auto: [], single: [], oneWorker: [] };
    const peer: Measure[] = [];
    const dryRuns: Measure[] = [];
    const floors: Measure[] = [];
    const statsRuns: Measure[] = [];
    const peerDaily: Measure[] = [];
    const threadsChosen: number[] = [];
    for (let run = 0; run < runs; run++) {
      for (const [name, env] of Object.entries(variants)) {
        execFileSync("rm", ["-rf", stateDir(tool)]);
        const measured = ours(tool, stateDir(tool), env);
        if (name === "auto") threadsChosen.push((JSON.parse(measured.stdout) as { workers: number }).workers);
        mine[name]!.push(measured);
      }
      dryRuns.push(cliDryRun(tool));
      floors.push(readFloor(tool));
      peer.push(theirs(ccTool));
      statsRuns.push(cliStats(tool));
      peerDaily.push(theirs(ccTool, "daily"));
    }
    const probeOut = JSON.parse(mine.auto!.at(-1)!.stdout) as Record<string, number>;
    const peerTotals = (JSON.parse(peer.at(-1)!.stdout) as { totals: Record<string, number> }).totals;
    const peerWall = median(peer.map((m) => m.wallS));
    const peerCpu = median(peer.map((m) => m.userS + m.sysS));
    const summarize = (measures: Measure[], against = peer) => {
      const againstWall = median(against.map((m) => m.wallS));
      const againstCpu = median(against.map((m) => m.userS + m.sysS));
      const wall = median(measures.map((m) => m.wallS));
      const cpu = median(measures.map((m) => m.userS + m.sysS));
      return {
        wallS: wall,
        cpuS: Number(cpu.toFixed(2)),
        maxRssMiB: Math.max(...measures.map((m) => m.maxRssMiB)),
        wallRatio: Number((wall / againstWall).toFixed(2)),
        cpuRatio: Number((cpu / againstCpu).toFixed(2)),
        wallRatios: measures.map((m, run) => Number((m.wallS / against[run]!.wallS).toFixed(2))),
      };
    };
    report[tool] = {
      ours: { ...summarize(mine.auto!), workersChosen: threadsChosen },
      oursSingleThread: summarize(mine.single!),
      oursOneWorker: summarize(mine.oneWorker!),
      cliSyncDryRun: summarize(dryRuns),
      // Node started, every byte read and every newline found, nothing else: no Node collector beats it.
      readFloor: summarize(floors),
      // `modu-arena stats --by day` against `ccusage <tool> daily`: the same days' totals, checked below.
      cliStatsByDay: { ...summarize(statsRuns, peerDaily), ccusageDailyWallS: median(peerDaily.map((m) => m.wallS)) },
      sameDailyTotals: sameDailyTotals(statsRuns.at(-1)!.stdout, peerDaily.at(-1)!.stdout),
      oursSaveStateMs: probeOut.saveStateMs,
      ccusageWallS: peerWall,
      ccusageCpuS: Number(peerCpu.toFixed(2)),
      ccusageMaxRssMiB: Math.max(...peer.map((m) => m.maxRssMiB)),
      sameTotals: probeOut.inputTokens === peerTotals.inputTokens && probeOut.outputTokens === peerTotals.outputTokens,
      stateBytes: probeOut.stateBytes,
    };
  }
  if (tools.includes("claude-code")) measureIncremental(report, ours, stateDir("claude-code"));
  report.hook = measureHook(21, path.join(root, "packages", "cli", "dist", "cli.js"));
  report.loadAverageEnd = loadAverage();
  execFileSync("rm", ["-rf", path.dirname(probe)]);
  mkdirSync(path.join(root, "bench", "cli-scan", "results"), { recursive: true });
  writeFileSync(
    path.join(root, "bench", "cli-scan", "results", `cli-scan-${Date.now().toString(36)}.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log(JSON.stringify(report, null, 2));
}

/** Incremental: nothing new, then one new session appended to the history, continuing the saved state. */
function measureIncremental(
  report: Record<string, unknown>,
  ours: (tool: string, stateDir: string, env?: NodeJS.ProcessEnv) => Measure,
  claudeState: string,
): void {
  const nothingNew = JSON.parse(ours("claude-code", claudeState).stdout) as Record<string, number>;
  const extra = path.join(work, "one-more");
  execFileSync("rm", ["-rf", extra]);
  execFileSync(
    "npx",
    [
      "tsx",
      "bench/cli-scan/generate.ts",
      extra,
      "--claude-mb",
      "1",
      "--sessions",
      "1",
      "--codex-mb",
      "0",
      "--seed",
      "7",
    ],
    { cwd: root },
  );
  const added: string[] = [];
  const extraProjects = path.join(extra, ".claude", "projects");
  for (const project of readdirSync(extraProjects)) {
    for (const file of readdirSync(path.join(extraProjects, project))) {
      const target = path.join(home, ".claude", "projects", project, file);
      mkdirSync(path.dirname(target), { recursive: true });
      // A session file, or its folder of subagent transcripts.
      cpSync(path.join(extraProjects, project, file), target, { recursive: true });
      added.push(target);
    }
  }
  const baseState = `${claudeState}-base`;
  execFileSync("rm", ["-rf", baseState]);
  execFileSync("cp", ["-r", claudeState, baseState]);
  const oneSession: Record<string, number>[] = [];
  // The same, as the Stop hook's sync runs it: told which transcript grew.
  const hooked: Record<string, number>[] = [];
  const changed = { MODU_BENCH_CHANGED: added.filter((file) => file.endsWith(".jsonl")).join(",") };
  for (let run = 0; run < runs; run++) {
    for (const [into, env] of [
      [oneSession, {}],
      [hooked, changed],
    ] as const) {
      execFileSync("rm", ["-rf", claudeState]);
      execFileSync("cp", ["-r", baseState, claudeState]);
      const incremental = ours("claude-code", claudeState, env);
      into.push({ ...(JSON.parse(incremental.stdout) as Record<string, number>), wallS: incremental.wallS });
    }
  }
  const pick = (key: string, from = oneSession) => median(from.map((run) => run[key]!));
  report.incremental = {
    nothingNew: {
      parseMs: nothingNew.parseMs,
      loadStateMs: nothingNew.loadStateMs,
      saveStateMs: nothingNew.saveStateMs,
    },
    oneNewSession: {
      parseMs: pick("parseMs"),
      parseMsEach: oneSession.map((run) => run.parseMs),
      parseCpuMs: pick("parseCpuMs"),
      parseCpuMsEach: oneSession.map((run) => run.parseCpuMs),
      loadStateMs: pick("loadStateMs"),
      saveStateMs: pick("saveStateMs"),
      processWallS: pick("wallS"),
      maxRssMiB: pick("maxRssMiB"),
      filesRead: oneSession[0]!.filesRead,
      sessions: oneSession[0]!.sessions,
    },
    oneNewSessionHooked: {
      parseMs: pick("parseMs", hooked),
      parseMsEach: hooked.map((run) => run.parseMs),
      parseCpuMs: pick("parseCpuMs", hooked),
      loadStateMs: pick("loadStateMs", hooked),
      saveStateMs: pick("saveStateMs", hooked),
      processWallS: pick("wallS", hooked),
      filesRead: hooked[0]!.filesRead,
      sessions: hooked[0]!.sessions,
    },
  };
  execFileSync("rm", ["-rf", ...added, baseState]);
}

main();
