/**
 * Ingest benchmark: the application's signed single and batch ingest against PostgreSQL, beside the
 * same work in plain SQL through pgbench (the database's limit) and a constant-JSON route (the HTTP
 * ceiling), all in one run. Usage: npm run bench:ingest [-- --seconds 15]
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Account, runLoad } from "./load";
import {
  createScratchDatabase,
  dropScratchDatabase,
  findPgLimitScripts,
  loadPgLimitSchema,
  runPgbench,
} from "./pg-limit";

const root = path.resolve(import.meta.dirname, "../..");
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 15;
const port = 3900 + Math.floor(Math.random() * 90);
const stamp = Date.now().toString(36);
const appDb = `modu_bench_app_${stamp}`;
const limitDb = `modu_bench_pg_${stamp}`;
const env = {
  ...process.env,
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${appDb}`,
  DATABASE_POOL_SIZE: "16",
  JWT_SECRET: "bench-jwt-secret-bench-jwt-secret-bench-jwt",
  CRON_SECRET: "bench-cron-secret-bench-cron-secret-bench-cr",
  PORT: String(port),
  RANKING_INTERVAL_SECONDS: "0",
  CLEANUP_INTERVAL_SECONDS: "0",
  RATE_LIMIT_API_PER_MIN: "10000000",
  LOG_LEVEL: "warn",
  NODE_ENV: "production",
};

function createAccounts(count: number): Account[] {
  const output = execFileSync(
    "npx",
    ["tsx", "packages/server/src/admin/cli.ts", "create-users", String(count), "--prefix", `bench${stamp}`],
    {
      cwd: root,
      env,
      encoding: "utf8",
    },
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

const fmt = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits });

async function main() {
  const scripts = findPgLimitScripts();
  createScratchDatabase(appDb);
  const server = spawn("npx", ["tsx", "packages/server/src/serve-api.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(url);
    const accounts = createAccounts(200);
    console.log(`server up on ${url}, ${accounts.length} accounts; ${seconds}s per run`);
    await runLoad({ url, path: "/api/v1/sessions", accounts, connections: 8, seconds: 3 }); // warm-up
    const ceiling = await runLoad({ url, path: "/api/v1/status", connections: 32, seconds });
    const single = await runLoad({ url, path: "/api/v1/sessions", accounts, connections: 16, seconds });
    const paced = await runLoad({
      url,
      path: "/api/v1/sessions",
      accounts,
      connections: 16,
      seconds,
      overallRate: 500,
    });
    const batch = await runLoad({
      url,
      path: "/api/v1/sessions/batch",
      accounts,
      batchSize: 100,
      connections: 8,
      seconds,
    });
    server.kill("SIGTERM");
    let pgSingle = { tps: Number.NaN, latencyMs: Number.NaN };
    let pgBatch = { tps: Number.NaN, latencyMs: Number.NaN };
    if (scripts) {
      createScratchDatabase(limitDb);
      loadPgLimitSchema(limitDb, scripts);
      pgSingle = runPgbench(limitDb, scripts, "ingest.sql", 8, seconds);
      pgBatch = runPgbench(limitDb, scripts, "batch.sql", 4, seconds);
      dropScratchDatabase(limitDb);
    }
    const results = {
      date: new Date().toISOString(),
      seconds,
      httpCeiling: ceiling,
      single,
      singleAt500: paced,
      batch: { ...batch, sessionsPerSecond: batch.requestsPerSecond * 100 },
      pgLimit: { single: pgSingle, batchSessionsPerSecond: pgBatch.tps * 100 },
      ratios: {
        singleVsPg: single.requestsPerSecond / pgSingle.tps,
        batchVsPg: (batch.requestsPerSecond * 100) / (pgBatch.tps * 100),
        singleVsHttpCeiling: single.requestsPerSecond / ceiling.requestsPerSecond,
      },
    };
    console.log("\n| run | sessions/s | p50 ms | p99 ms | non-2xx |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    console.log(
      `| HTTP ceiling (GET /api/v1/status, req/s) | ${fmt(ceiling.requestsPerSecond)} | ${ceiling.p50Ms} | ${ceiling.p99Ms} | ${ceiling.non2xx} |`,
    );
    console.log(
      `| single signed ingest, 16 connections | ${fmt(single.requestsPerSecond)} | ${single.p50Ms} | ${single.p99Ms} | ${single.non2xx} |`,
    );
    console.log(
      `| single signed ingest, paced at 500 req/s | ${fmt(paced.requestsPerSecond)} | ${paced.p50Ms} | ${paced.p99Ms} | ${paced.non2xx} |`,
    );
    console.log(
      `| batch ingest (100/request), 8 connections | ${fmt(batch.requestsPerSecond * 100)} | ${batch.p50Ms} | ${batch.p99Ms} | ${batch.non2xx} |`,
    );
    console.log(
      `| pgbench ingest.sql (PostgreSQL limit, single) | ${fmt(pgSingle.tps)} | ${fmt(pgSingle.latencyMs, 1)} avg | | |`,
    );
    console.log(
      `| pgbench batch.sql (PostgreSQL limit, ×100) | ${fmt(pgBatch.tps * 100)} | ${fmt(pgBatch.latencyMs, 1)} avg | | |`,
    );
    console.log(
      `\nratios: single/pg ${fmt(results.ratios.singleVsPg, 2)}, batch/pg ${fmt(results.ratios.batchVsPg, 2)}, single/http-ceiling ${fmt(results.ratios.singleVsHttpCeiling, 2)}`,
    );
    mkdirSync(path.join(root, "bench/results"), { recursive: true });
    writeFileSync(path.join(root, `bench/results/ingest-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    dropScratchDatabase(appDb);
  }
}

await main();
