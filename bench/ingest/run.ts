/**
 * Ingest benchmark: the application's signed single and batch ingest against PostgreSQL, beside the
 * same work in plain SQL through pgbench (the database's limit) and a constant-JSON route (the HTTP
 * ceiling), all in one run. Load comes from wrk (Debian package `wrk`), replaying requests signed like
 * a real client's just before each run; application and pgbench alternate in rounds so that both see the
 * same machine. Usage: npm run bench:ingest [-- --seconds 10 --rounds 3]
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { benchEnv } from "./bench-env";
import { runPaced } from "./load";
import {
  checkpoint,
  createScratchDatabase,
  dropScratchDatabase,
  findPgLimitScripts,
  loadPgLimitSchema,
  type PgbenchResult,
  runPgbench,
} from "./pg-limit";
import { type Account, signRequests, signResumed, writeRequestFile } from "./signed-requests";
import { hasWrk, type LoadResult, runWrk } from "./wrk";

const root = path.resolve(import.meta.dirname, "../..");
const argValue = (flag: string) =>
  process.argv.includes(flag) ? Number(process.argv[process.argv.indexOf(flag) + 1]) : 0;
const seconds = argValue("--seconds") || 10;
const rounds = argValue("--rounds") || 3;
const port = 3900 + Math.floor(Math.random() * 90);
const stamp = Date.now().toString(36);
const appDb = `modu_bench_app_${stamp}`;
const limitDb = `modu_bench_pg_${stamp}`;
const scratch = mkdtempSync(path.join(tmpdir(), "modu-bench-"));
const env = benchEnv(appDb, { DATABASE_POOL_SIZE: "16", PORT: String(port) });

function createAccounts(count: number): Account[] {
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", "packages/server/src/admin/cli.ts", "create-users", String(count), "--prefix", `bench${stamp}`],
    { cwd: root, env, encoding: "utf8" },
  );
  return output
    .trim()
    .split("\n")
    .map((line) => {
      const [username, apiKey] = line.split(" ");
      return { username: username!, apiKey: apiKey! };
    });
}

async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${url}/api/v1/status`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("server did not start");
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); 0 once it has gone. */
function cpuSeconds(pid: number, withReapedChildren = false): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const own = Number(fields[11]) + Number(fields[12]);
    return (withReapedChildren ? own + Number(fields[13]) + Number(fields[14]) : own) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of PostgreSQL: every live postgres process, plus what exited backends used (the
 * postmaster reaps them, so their time is in its children's counters).
 */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") total += cpuSeconds(Number(entry), true);
    } catch {}
  }
  return total;
}

type Measured = LoadResult & { serverCpuMsPerRequest: number; postgresCpuMsPerRequest: number };

/** The run's figures plus the CPU the server and PostgreSQL spent per request: where the time goes. */
async function measure(pid: number, run: () => LoadResult | Promise<LoadResult>): Promise<Measured> {
  checkpoint();
  const server = cpuSeconds(pid);
  const database = postgresCpuSeconds();
  const result = await run();
  const perRequest = (seconds: number) => (seconds * 1000) / Math.max(result.total, 1);
  return {
    ...result,
    serverCpuMsPerRequest: perRequest(cpuSeconds(pid) - server),
    postgresCpuMsPerRequest: perRequest(postgresCpuSeconds() - database),
  };
}

function requestFile(name: string, accounts: Account[], urlPath: string, count: number, batchSize = 0): string {
  const file = path.join(scratch, `${name}.tsv`);
  writeRequestFile(file, signRequests(accounts, urlPath, count, batchSize));
  return file;
}

function pgbenchWithCpu(run: () => PgbenchResult) {
  checkpoint();
  const before = postgresCpuSeconds();
  const result = run();
  return { ...result, postgresCpuMsPerTransaction: ((postgresCpuSeconds() - before) * 1000) / (result.tps * seconds) };
}

const fmt = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits });
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

interface Round {
  single: Measured;
  batch: Measured;
  pgSingle: PgbenchMeasured;
  pgBatch: PgbenchMeasured;
}

type PgbenchMeasured = PgbenchResult & { postgresCpuMsPerTransaction: number };

/**
 * One round: the application and pgbench back to back on the same work, so both see the same
 * machine; the ratio of each round is the figure, and the median over rounds is reported.
 */
async function runRound(pid: number, url: string, accounts: Account[], scripts: string): Promise<Round> {
  const singleFile = requestFile("single", accounts, "/api/v1/sessions", seconds * 3000);
  const single = await measure(pid, () => runWrk({ url, connections: 16, seconds, requestFile: singleFile }));
  const pgSingle = pgbenchWithCpu(() => runPgbench(limitDb, scripts, "ingest.sql", 8, seconds));
  const batchFile = requestFile("batch", accounts, "/api/v1/sessions/batch", seconds * 400, 100);
  const batch = await measure(pid, () => runWrk({ url, connections: 8, seconds, requestFile: batchFile }));
  const pgBatch = pgbenchWithCpu(() => runPgbench(limitDb, scripts, "batch.sql", 4, seconds));
  return { single, batch, pgSingle, pgBatch };
}

const row = (name: string, perSecond: number, r: Measured) =>
  `| ${name} | ${fmt(perSecond)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | ${r.non2xx + r.errors} | ${r.reused} | ${fmt(r.serverCpuMsPerRequest, 2)} | ${fmt(r.postgresCpuMsPerRequest, 2)} |`;
const pgRow = (name: string, perSecond: number, r: PgbenchMeasured) =>
  `| ${name} | ${fmt(perSecond)} | ${fmt(r.latencyMs, 1)} avg | | | | | ${fmt(r.postgresCpuMsPerTransaction, 2)} |`;

async function main() {
  if (!hasWrk()) throw new Error("wrk is missing: apt-get install -y wrk");
  const scripts = findPgLimitScripts();
  if (!scripts) throw new Error("../shared/bench/pg-limit is missing: it holds the pgbench baseline");
  createScratchDatabase(appDb);
  createScratchDatabase(limitDb);
  loadPgLimitSchema(limitDb, scripts);
  const server = spawn(process.execPath, ["--import", "tsx", "packages/server/src/serve-api.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const pid = server.pid!;
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(url);
    const accounts = createAccounts(200);
    const loadAtStart = loadavg()[0]!;
    console.log(
      `server up on ${url}, ${accounts.length} accounts; ${rounds} rounds of ${seconds}s runs; load avg ${fmt(loadAtStart, 2)}`,
    );
    runWrk({ url, connections: 8, seconds: 3, requestFile: requestFile("warm", accounts, "/api/v1/sessions", 8000) });
    const ceiling = await measure(pid, () => runWrk({ url: `${url}/api/v1/status`, connections: 32, seconds }));
    const roundResults: Round[] = [];
    for (let round = 0; round < rounds; round++) roundResults.push(await runRound(pid, url, accounts, scripts));
    const pacedRequests = signRequests(accounts, "/api/v1/sessions", seconds * 600);
    const paced = await measure(pid, () =>
      runPaced({ url, requests: pacedRequests, connections: 16, seconds, overallRate: 500 }),
    );
    // The same rate from 64 connections with random gaps: independent clients, not bursts on a timer.
    const arrivalsFile = requestFile("arrivals", accounts, "/api/v1/sessions", seconds * 700);
    const arrivals = await measure(pid, () =>
      runWrk({ url, connections: 64, seconds, requestFile: arrivalsFile, meanGapMs: (64 / 500) * 1000 }),
    );
    // Resends of the paced run's sessions with larger totals: what a hook firing every turn sends.
    const resumedFile = path.join(scratch, "resumed.tsv");
    writeRequestFile(resumedFile, signResumed(pacedRequests.slice(0, paced.total)));
    const resumed = await measure(pid, () =>
      runWrk({ url, connections: 16, seconds: Math.ceil(seconds / 2), requestFile: resumedFile }),
    );
    const singleRatios = roundResults.map((r) => r.single.requestsPerSecond / r.pgSingle.tps);
    const batchRatios = roundResults.map((r) => r.batch.requestsPerSecond / r.pgBatch.tps);
    const results = {
      date: new Date().toISOString(),
      seconds,
      rounds: roundResults,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg()[0],
      httpCeiling: ceiling,
      singleAt500: paced,
      randomArrivalsNear500: arrivals,
      resumed,
      ratios: {
        single: singleRatios,
        batch: batchRatios,
        singleMedian: median(singleRatios),
        batchMedian: median(batchRatios),
      },
    };
    console.log(
      "\n| run | sessions/s | p50 ms | p99 ms | failed | reused | server CPU ms/request | PostgreSQL CPU ms/request |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    console.log(row("HTTP ceiling (GET /api/v1/status, req/s)", ceiling.requestsPerSecond, ceiling));
    roundResults.forEach((r, index) => {
      const n = `round ${index + 1}:`;
      console.log(row(`${n} single signed ingest, 16 connections`, r.single.requestsPerSecond, r.single));
      console.log(pgRow(`${n} pgbench ingest.sql (PostgreSQL limit, single)`, r.pgSingle.tps, r.pgSingle));
      console.log(row(`${n} batch ingest (100/request), 8 connections`, r.batch.requestsPerSecond * 100, r.batch));
      console.log(pgRow(`${n} pgbench batch.sql (PostgreSQL limit, ×100)`, r.pgBatch.tps * 100, r.pgBatch));
    });
    console.log(row("single signed ingest, paced at 500 req/s", paced.requestsPerSecond, paced));
    console.log(
      row("single signed ingest, 64 clients at random gaps (≈500 req/s)", arrivals.requestsPerSecond, arrivals),
    );
    console.log(row("resumed sessions (larger totals), 16 connections", resumed.requestsPerSecond, resumed));
    const list = (values: number[]) => values.map((value) => fmt(value, 2)).join(", ");
    console.log(
      `\nratios (median of rounds): single/pg ${fmt(median(singleRatios), 2)} (${list(singleRatios)}), batch/pg ${fmt(median(batchRatios), 2)} (${list(batchRatios)}); load avg ${fmt(loadAtStart, 2)} → ${fmt(results.loadAverageAtEnd!, 2)}`,
    );
    mkdirSync(path.join(root, "bench/results"), { recursive: true });
    writeFileSync(path.join(root, `bench/results/ingest-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    dropScratchDatabase(appDb);
    dropScratchDatabase(limitDb);
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
