/**
 * Scale benchmark: writes N users of realistic activity straight into PostgreSQL (set-based, see
 * generate-dataset.ts), checks a sample against its sessions, then measures on that data the ranking
 * job, the leaderboard API (cache hit and miss, first and last page), /api/v1/rank, a profile, and table
 * sizes, beside the constant-JSON GET /api/v1/status ceiling of the same run.
 * Usage: npm run bench:scale -- --users N [--days 90] [--database-url URL] [--measure-only] [--requests 300]
 * Without --database-url, the database `modu_scale_<N>` on 127.0.0.1:5432 is (re)created.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { createDb, type Db, queryRows } from "@modu-arena/db";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import pg from "pg";
import { buildConfig } from "../../packages/server/src/config/config";
import { parseEnv } from "../../packages/server/src/config/env";
import { createAppContext } from "../../packages/server/src/create-context";
import { createLogger } from "../../packages/server/src/infra/logger";
import { generateApiKey } from "../../packages/server/src/services/api-keys/api-key-crypto";
import { calculateRankings } from "../../packages/server/src/services/rankings/calculate-rankings";
import { benchEnv } from "../ingest/bench-env";
import { checkDatasetConsistency, sampleUserIds } from "./check-dataset";
import { generateScaleDataset } from "./generate-dataset";

const root = path.resolve(import.meta.dirname, "../..");
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1]! : fallback;
};
const users = Number(option("users", "0"));
const days = Number(option("days", "90"));
const requests = Number(option("requests", "300"));
const measureOnly = args.includes("--measure-only");
if (!Number.isInteger(users) || users < 1 || !Number.isInteger(days) || days < 1) {
  console.error("usage: npm run bench:scale -- --users N [--days 90] [--database-url URL] [--measure-only]");
  process.exit(2);
}
const databaseUrl = option("database-url", `postgres://postgres@127.0.0.1:5432/modu_scale_${users}`);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name must be [a-z0-9_]: ${name}`);
  target.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Sequential requests (exact percentiles); `urlAt(i)` lets each request hit its own cache key. */
async function timeSequential(urlAt: (i: number) => string, count: number, headers: Record<string, string> = {}) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(urlAt(i), { headers });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${urlAt(i)}: ${response.status}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { n: count, p50: round(percentile(times, 50), 2), p99: round(percentile(times, 99), 2) };
}

async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      if ((await fetch(`${url}/api/v1/status`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("server did not start");
}

/** Peak resident memory (VmHWM, shared buffers it touched included) of this database's backends, in MB. */
async function backendPeakMb(db: Db): Promise<number> {
  const rows = await queryRows<{ pid: number }>(
    db,
    sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  );
  let peak = 0;
  for (const { pid } of rows) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      peak = Math.max(peak, Number(match?.[1] ?? 0) / 1024);
    } catch {}
  }
  return round(peak);
}

async function measureSizes(db: Db, userCount: number) {
  const rows = await queryRows<{ name: string; rows: number; table_mb: number; index_mb: number }>(
    db,
    sql`SELECT c.relname AS name, c.reltuples::float8 AS rows,
          (pg_table_size(c.oid) / 1048576.0)::float8 AS table_mb, (pg_indexes_size(c.oid) / 1048576.0)::float8 AS index_mb
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_total_relation_size(c.oid) > 1048576
        ORDER BY pg_total_relation_size(c.oid) DESC`,
  );
  const [total] = await queryRows<{ mb: number }>(
    db,
    sql`SELECT (pg_database_size(current_database()) / 1048576.0)::float8 AS mb`,
  );
  return {
    databaseMb: round(total!.mb),
    tables: rows.map((row) => ({
      table: row.name,
      rows: Math.round(row.rows),
      tableMb: round(row.table_mb),
      indexMb: round(row.index_mb),
      kbPerUser: round(((row.table_mb + row.index_mb) * 1024) / userCount, 2),
    })),
  };
}

async function measureRankings() {
  const config = buildConfig(parseEnv(benchEnv("unused", { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: "2" })));
  const running = await createAppContext(config, { log: createLogger("warn") });
  try {
    const runs = [];
    for (let run = 0; run < 2; run++) {
      const loadBefore = load();
      const result = await calculateRankings(running.ctx);
      runs.push({ durationMs: result.durationMs, ranked: result.rankedByPeriod, loadAverage: loadBefore });
    }
    return {
      runs,
      nodeMaxRssMb: round(process.resourceUsage().maxRSS / 1024),
      postgresBackendPeakMb: await backendPeakMb(running.ctx.db),
    };
  } finally {
    await running.close();
  }
}

async function measureApi(db: Db) {
  // A user near the middle of the weekly ranking gets a key for /api/v1/rank.
  const key = generateApiKey();
  const [middle] = await queryRows<{ id: string; username: string }>(
    db,
    sql`SELECT u.id, u.username FROM rankings r JOIN users u ON u.id = r.user_id
        WHERE r.period_type = 'weekly' ORDER BY r.rank_position
        OFFSET (SELECT count(*) / 2 FROM rankings WHERE period_type = 'weekly') LIMIT 1`,
  );
  await db.execute(
    sql`UPDATE users SET api_key_hash = ${key.hash}, api_key_prefix = ${key.prefix}, api_key_created_at = now()
        WHERE id = ${middle!.id}`,
  );
  const heavy = await queryRows<{ username: string }>(
    db,
    sql`SELECT u.username FROM user_stats s JOIN users u ON u.id = s.user_id
        WHERE NOT u.privacy_mode ORDER BY s.total_sessions DESC LIMIT ${requests}`,
  );
  const [ranked] = await queryRows<{ all_time: number; weekly: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE period_type = 'all_time')::int AS all_time,
          count(*) FILTER (WHERE period_type = 'weekly')::int AS weekly FROM rankings`,
  );
  const port = 3900 + Math.floor(Math.random() * 90);
  const server = spawn(process.execPath, ["--import", "tsx", "packages/server/src/serve-api.ts"], {
    cwd: root,
    env: benchEnv("unused", {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      RATE_LIMIT_PUBLIC_PER_MIN: "10000000",
    }),
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(url);
    const board = (period: string, offset: number) =>
      `${url}/api/leaderboard?period=${period}&limit=50&offset=${offset}`;
    const deepAll = Math.max(0, ranked!.all_time - 50);
    const deepWeek = Math.max(0, ranked!.weekly - 50);
    const cases: Record<string, [(i: number) => string, Record<string, string>?]> = {
      "status (ceiling)": [() => `${url}/api/v1/status`],
      "leaderboard all_time first page, hit": [() => board("all_time", 0)],
      "leaderboard all_time last page, hit": [() => board("all_time", deepAll)],
      // A new offset per request is a new cache key: every request reads the database.
      "leaderboard all_time first page, miss": [(i) => board("all_time", 1 + i)],
      "leaderboard all_time last page, miss": [(i) => board("all_time", Math.max(0, deepAll - 1 - i))],
      "leaderboard weekly last page, miss": [(i) => board("weekly", Math.max(0, deepWeek - i))],
      "/api/v1/rank": [() => `${url}/api/v1/rank`, { "x-api-key": key.apiKey }],
      "profile, hit": [() => `${url}/api/users/${heavy[0]!.username}`],
      "profile of a heavy user, miss": [(i) => `${url}/api/users/${heavy[1 + (i % (heavy.length - 1))]!.username}`],
    };
    const sequential: Record<string, unknown> = {};
    for (const [name, [urlAt, headers]] of Object.entries(cases)) {
      // Warm-up (JIT, connections, the cache entry); a miss case has none: each of its keys is new.
      if (!name.includes("miss")) await timeSequential(urlAt, 20, headers);
      sequential[name] = { ...(await timeSequential(urlAt, Math.min(requests, 100), headers)), loadAverage: load() };
    }
    const throughput: Record<string, unknown> = {};
    for (const [name, target] of [
      ["status (ceiling)", `${url}/api/v1/status`],
      ["leaderboard all_time first page, hit", board("all_time", 0)],
    ] as const) {
      const loadBefore = load();
      const result = await autocannon({ url: target, connections: 4, duration: 10 });
      throughput[name] = {
        requestsPerSecond: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        loadAverage: loadBefore,
      };
    }
    return { rankedUsers: ranked, sequential, autocannon: throughput };
  } finally {
    server.kill("SIGTERM");
  }
}

async function main() {
  console.log(`load average at start: ${load()}`);
  if (!measureOnly && !args.includes("--database-url")) await recreateDatabase(databaseUrl);
  const handle = await createDb({ databaseUrl, poolSize: 2 });
  try {
    await handle.migrate();
    const report: Record<string, unknown> = { users, days, databaseUrl: databaseUrl.replace(/:[^:@/]+@/, ":***@") };
    if (!measureOnly) {
      const generated = await generateScaleDataset(handle.db, {
        users,
        days,
        now: new Date(),
        prefix: `scale${Date.now().toString(36)}`,
        batchSize: 1000,
        deferIndexes: true,
        concurrency: 2,
        onBatch: (progress) => {
          if (progress.users % 10_000 === 0 || progress.users === users)
            console.log(
              `${progress.users} users, ${progress.sessions} sessions, ${Math.round(progress.ms / 1000)} s, load ${load()}`,
            );
        },
      });
      report.generation = {
        ...generated,
        sessionsPerSecond: Math.round(generated.sessions / (generated.ms / 1000)),
        loadAverage: load(),
      };
    }
    const sample = await sampleUserIds(handle.db, 200);
    const mismatches = await checkDatasetConsistency(handle.db, sample);
    report.consistency = { sampledUsers: sample.length, mismatches: mismatches.length, first: mismatches.slice(0, 3) };
    report.sizes = await measureSizes(handle.db, users);
    console.log(JSON.stringify(report, null, 2));
    report.rankings = await measureRankings();
    console.log(JSON.stringify({ rankings: report.rankings }, null, 2));
    const api = await measureApi(handle.db);
    console.log(JSON.stringify(api, null, 2));
    if (mismatches.length > 0) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
