/**
 * One collector run in its own process, so that peak RSS is this run's alone. With a state folder it
 * loads and saves the state as the CLI does (the Claude collectors' split layout included).
 * Usage: scan-once.ts <home> <tool> [state-dir|-]
 * Prints {tool, wallMs, loadStateMs, parseMs, saveStateMs, maxRssMiB, sessions, filesRead, stateBytes, …}.
 */
import { join } from "node:path";
import { isToolType } from "@modu-arena/core/tools";
import { CODEX_PARALLEL_MIN_BYTES } from "../../packages/cli/src/collectors/codex";
import { getCollector } from "../../packages/cli/src/collectors/index";
import { chooseThreads } from "../../packages/cli/src/collectors/scan-threads";
import { loadCollectorState, saveCollectorState } from "../../packages/cli/src/state/collector-state";
import { getStatePaths } from "../../packages/cli/src/state/paths";
import { measureTreeBytes } from "./tree-bytes";

const [home, tool, stateDir] = process.argv.slice(2);
if (!home || !isToolType(tool)) throw new Error("usage: scan-once.ts <home> <tool> [state-dir|-]");
const collector = getCollector(tool);
if (!collector) throw new Error(`no collector for ${tool}`);
// getStatePaths(x) puts the collector states under x/.modu-arena/state.
const paths = stateDir && stateDir !== "-" ? getStatePaths(stateDir) : undefined;

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const requestedThreads = process.env.MODU_ARENA_SCAN_THREADS ? Number(process.env.MODU_ARENA_SCAN_THREADS) : undefined;
// The transcript a Stop hook would name (`sync --transcript`), comma-separated.
const changedFiles = process.env.MODU_BENCH_CHANGED?.split(",").filter(Boolean);
const started = performance.now();
const cpuStarted = cpuMs();
const previous = paths ? loadCollectorState(paths, tool, collector.store) : undefined;
const loaded = performance.now();
const cpuLoaded = cpuMs();
const result = await collector.collect(
  {
    home,
    env: { HOME: home },
    platform: process.platform,
    now: new Date(),
    projectSalt: "bench",
    skipRecords: true,
    // As the CLI reads it (commands/deps.ts): unset lets the collector choose.
    ...(requestedThreads === undefined ? {} : { scanThreads: requestedThreads }),
    ...(changedFiles?.length ? { changedFiles } : {}),
  },
  previous,
);
const parsed = performance.now();
const cpuParsed = cpuMs();
const afterParse = process.memoryUsage();
if (paths) saveCollectorState(paths, tool, result.state, new Date(), collector.store);
const finished = performance.now();
// The workers a full scan of this home takes, decided as the collector decides it; the tool's bytes come
// from the runner (measured once there), so that walking the tree again costs this run nothing.
const dataBytes =
  Number(process.env.MODU_BENCH_DATA_BYTES) || measureTreeBytes(join(home, tool === "codex" ? ".codex" : ".claude"));
const minBytes = tool === "codex" ? CODEX_PARALLEL_MIN_BYTES : undefined;
const workers = chooseThreads(dataBytes, requestedThreads, undefined, minBytes);
console.log(
  JSON.stringify({
    tool,
    wallMs: Math.round(finished - started),
    workers,
    loadStateMs: Math.round(loaded - started),
    parseMs: Math.round(parsed - loaded),
    // CPU of every thread of the process: steadier than wall time on a shared machine.
    loadStateCpuMs: Math.round(cpuLoaded - cpuStarted),
    parseCpuMs: Math.round(cpuParsed - cpuLoaded),
    saveStateMs: Math.round(finished - parsed),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    rssAfterParseMiB: Math.round(afterParse.rss / 1048576),
    heapAfterParseMiB: Math.round(afterParse.heapUsed / 1048576),
    sessions: result.sessions.length,
    filesRead: result.filesRead,
    malformedLines: result.malformedLines,
    stateBytes: paths ? measureTreeBytes(paths.collectorStateDir) : 0,
    inputTokens: result.sessions.reduce((sum, session) => sum + session.inputTokens, 0),
    outputTokens: result.sessions.reduce((sum, session) => sum + session.outputTokens, 0),
  }),
);
