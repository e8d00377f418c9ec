/**
 * Where one request's time goes: signed single-session ingests sent one after another, in-process
 * (Hono's app.request, no HTTP), on a scratch PostgreSQL database. Prints wall time and the Node CPU
 * per request; with `--log-statements` PostgreSQL logs every statement's parse/bind/execute time, and
 * the per-statement averages are printed from its log (needs read access to the server log).
 * Usage: npx tsx bench/ingest/sequential.ts [--requests 3000] [--batch 100] [--log-statements]
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { bootServer } from "../../packages/server/src/boot";
import { benchEnv } from "./bench-env";
import { createScratchDatabase, dropScratchDatabase } from "./pg-limit";
import { signRequests } from "./signed-requests";

const root = path.resolve(import.meta.dirname, "../..");
const argValue = (flag: string) => process.argv[process.argv.indexOf(flag) + 1];
const requests = process.argv.includes("--requests") ? Number(argValue("--requests")) : 3000;
const logStatements = process.argv.includes("--log-statements");
const batchSize = process.argv.includes("--batch") ? Number(argValue("--batch")) : 0;
const POSTGRES_LOG = "/var/log/postgresql/postgresql-15-main.log";
const db = `modu_bench_seq_${Date.now().toString(36)}`;
const env = benchEnv(db);

function psql(sql: string) {
  execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", db, "-qc", sql]);
}

function statementTimes(logOffset: number): string[] {
  const text = readFileSync(POSTGRES_LOG, "utf8").slice(logOffset);
  const totals = new Map<string, { ms: number; count: number }>();
  for (const match of text.matchAll(/duration: ([\d.]+) ms {2}(parse|bind|execute) [^:]*: (.{0,48})/g)) {
    const key = `${match[2]} ${match[3]!.replace(/\s+/g, " ")}`;
    const entry = totals.get(key) ?? { ms: 0, count: 0 };
    entry.ms += Number(match[1]);
    entry.count++;
    totals.set(key, entry);
  }
  return [...totals]
    .filter(([, entry]) => entry.count >= requests / 2)
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([key, entry]) => `${(entry.ms / entry.count).toFixed(3).padStart(7)} ms  ${key}`);
}

createScratchDatabase(db);
if (logStatements) psql(`ALTER DATABASE ${db} SET log_min_duration_statement = 0`);
const booted = await bootServer({ env });
try {
  const created = execFileSync(
    process.execPath,
    ["--import", "tsx", "packages/server/src/admin/cli.ts", "create-users", "50", "--prefix", "seq"],
    { cwd: root, env, encoding: "utf8" },
  );
  const accounts = created
    .trim()
    .split("\n")
    .map((line) => ({ username: line.split(" ")[0]!, apiKey: line.split(" ")[1]! }));
  const signed = batchSize
    ? signRequests(accounts, "/api/v1/sessions/batch", requests, batchSize)
    : signRequests(accounts, "/api/v1/sessions", requests);
  const logOffset = logStatements && existsSync(POSTGRES_LOG) ? statSync(POSTGRES_LOG).size : 0;
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (const request of signed) {
    const sent = performance.now();
    const response = await booted.apiApp.request(request.path, {
      method: "POST",
      body: request.body,
      headers: {
        "content-type": "application/json",
        "x-api-key": request.apiKey,
        "x-timestamp": String(request.timestamp),
        "x-signature": request.signature,
      },
    });
    if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    latencies.push(performance.now() - sent);
  }
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(latencies.length * q)]!.toFixed(3);
  console.log(
    `${requests} sequential ${batchSize ? `batches of ${batchSize}` : "ingests"}: ${(wall / requests).toFixed(3)} ms each (p50 ${at(0.5)}, p99 ${at(0.99)}), ` +
      `Node CPU ${((cpu.user + cpu.system) / 1000 / requests).toFixed(3)} ms each`,
  );
  if (logStatements) console.log(statementTimes(logOffset).join("\n"));
} finally {
  await booted.close();
  dropScratchDatabase(db);
}
