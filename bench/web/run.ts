/**
 * Leaderboard page server response time on the demo data (220 users, 90 days): the real built app,
 * `apps/web/server.ts`, on a fresh DATA_DIR. Sequential requests give exact p50/p95/p99; autocannon
 * with several connections gives throughput. Usage: `npx tsx bench/web/run.ts [--requests 500] [--url URL]`.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { root, startAppServer } from "../../apps/web/test/e2e/app-server";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1]! : fallback;
};
const requests = Number(option("requests", "500"));
const connections = Number(option("connections", "4"));
const seconds = Number(option("seconds", "15"));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeSequential(url: string, count: number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    n: count,
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
  };
}

async function main() {
  const external = option("url", "");
  if (!external) {
    const build = spawnSync(process.execPath, [path.join(root, "scripts/start.mjs"), "--build-only"], {
      stdio: "inherit",
    });
    if (build.status !== 0) throw new Error("build failed");
  }
  const app = external ? { url: external, stop: async () => undefined } : await startAppServer();
  try {
    const pages = {
      "leaderboard (weekly, page 1)": `${app.url}/en`,
      "leaderboard (all-time, page 3, ko)": `${app.url}/ko?period=all-time&page=3`,
      "leaderboard (monthly, sorted by tokens)": `${app.url}/en?period=monthly&sort=tokens`,
    };
    const results: Record<string, unknown> = {};
    for (const [name, url] of Object.entries(pages)) {
      await timeSequential(url, 30); // warm-up: JIT, caches, Next's route modules
      results[name] = await timeSequential(url, requests);
    }
    const loadBefore = loadavg()[0]!.toFixed(2);
    const loaded = await autocannon({ url: `${app.url}/en`, connections, duration: seconds });
    const load = {
      connections,
      seconds,
      requestsPerSecond: Math.round(loaded.requests.average),
      p50: loaded.latency.p50,
      p90: loaded.latency.p90,
      p97_5: loaded.latency.p97_5,
      p99: loaded.latency.p99,
      non2xx: loaded.non2xx,
      errors: loaded.errors,
    };
    // Other work on the machine skews the figures; the 1-minute load average says how much.
    console.log(JSON.stringify({ loadAverage1m: loadBefore, sequential: results, autocannon: load }, null, 2));
  } finally {
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
