/**
 * One collector run in its own process, so that peak RSS is this run's alone.
 * Usage: tsx bench/cli-scan/scan-once.ts <home> <tool> [state-in|-] [state-out|-]
 * Prints {tool, wallMs, parseMs, maxRssMiB, sessions, filesRead, stateBytes}.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isToolType } from "@modu-arena/core";
import { getCollector } from "../../packages/cli/src/collectors/index";

const [home, tool, stateIn, stateOut] = process.argv.slice(2);
if (!home || !isToolType(tool)) throw new Error("usage: scan-once.ts <home> <tool> [state-in] [state-out]");
const collector = getCollector(tool);
if (!collector) throw new Error(`no collector for ${tool}`);
const started = performance.now();
const previous =
  stateIn && stateIn !== "-" && existsSync(stateIn) ? JSON.parse(readFileSync(stateIn, "utf8")) : undefined;
const loaded = performance.now();
const result = await collector.collect(
  {
    home,
    env: { HOME: home },
    platform: process.platform,
    now: new Date(),
    projectSalt: "bench",
    skipRecords: true,
    // As the CLI reads it (commands/deps.ts): unset lets the collector choose.
    ...(process.env.MODU_ARENA_SCAN_THREADS ? { scanThreads: Number(process.env.MODU_ARENA_SCAN_THREADS) } : {}),
  },
  previous,
);
const parsed = performance.now();
const afterParse = process.memoryUsage();
const state = JSON.stringify(result.state);
if (stateOut && stateOut !== "-") writeFileSync(stateOut, state);
const finished = performance.now();
console.log(
  JSON.stringify({
    tool,
    wallMs: Math.round(finished - started),
    loadStateMs: Math.round(loaded - started),
    parseMs: Math.round(parsed - loaded),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    rssAfterParseMiB: Math.round(afterParse.rss / 1048576),
    heapAfterParseMiB: Math.round(afterParse.heapUsed / 1048576),
    heapTotalMiB: Math.round(afterParse.heapTotal / 1048576),
    externalMiB: Math.round(afterParse.external / 1048576),
    sessions: result.sessions.length,
    filesRead: result.filesRead,
    malformedLines: result.malformedLines,
    stateBytes: state.length,
    inputTokens: result.sessions.reduce((sum, session) => sum + session.inputTokens, 0),
    outputTokens: result.sessions.reduce((sum, session) => sum + session.outputTokens, 0),
  }),
);
