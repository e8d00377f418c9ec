#!/usr/bin/env node
// `npm run test:reliability`: the property, fuzz and security suites, then the load-and-faults suite on the
// local PostgreSQL and Redis (two API processes), and the table of figures in docs/reliability.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const figuresDir = mkdtempSync(path.join(tmpdir(), "modu-reliability-"));
const env = { ...process.env, RELIABILITY_FIGURES_DIR: figuresDir };
const started = Date.now();

function runVitest(name, args) {
  const output = path.join(figuresDir, `${name}-report.json`);
  const result = spawnSync(
    "npx",
    ["vitest", "run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${output}`],
    {
      stdio: "inherit",
      env,
    },
  );
  const report = existsSync(output) ? JSON.parse(readFileSync(output, "utf8")) : null;
  return { ok: result.status === 0, report };
}

const hostile = runVitest("hostile", [
  "packages/core/test/score-streak.property.test.ts",
  "packages/core/test/signing-contracts.property.test.ts",
  "packages/server/test/fuzz-api.test.ts",
  "packages/server/test/security-ingest.test.ts",
  "packages/server/test/security-accounts.test.ts",
]);
const load = runVitest("load", ["--config", "vitest.reliability.config.ts"]);

const readFigures = (name) => {
  const file = path.join(figuresDir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
};
const fuzz = readFigures("fuzz");
const exact = readFigures("exactness");
const cli = readFigures("cli-queue");
const tests = (report, pattern) =>
  (report?.testResults ?? []).filter((file) => pattern.test(file.name)).flatMap((file) => file.assertionResults ?? []);
const count = (list, status) => list.filter((test) => test.status === status).length;
const security = tests(hostile.report, /security-/);
const properties = tests(hostile.report, /\.property\.test/);
// Known faults are the `it.fails` cases of these suites, each preceded by a FAULT comment.
const knownFaults = [...(hostile.report?.testResults ?? []), ...(load.report?.testResults ?? [])].flatMap((file) =>
  existsSync(file.name) ? [...readFileSync(file.name, "utf8").matchAll(/it\.fails\("([^"]+)"/g)].map((m) => m[1]) : [],
);
const fuzzEndpoints = Object.values(fuzz);
const fuzzTried = fuzzEndpoints.reduce((sum, entry) => sum + entry.tried, 0);
const fuzz5xx = fuzzEndpoints.reduce((sum, entry) => sum + entry.fiveHundreds, 0);
const loadFigures = exact.load ?? {};
const faults = exact.faults ?? {};
const value = (x) => (x === undefined ? "not measured" : String(x));

const rows = [
  ["session submissions (items sent, resends and retries included)", value(loadFigures.submissions)],
  ["distinct sessions / simulated users", `${value(loadFigures.sessions)} / ${value(loadFigures.users)}`],
  [
    "requests (of which batches) / planned resends",
    `${value(loadFigures.requests)} (${value(loadFigures.batches)}) / ${value(loadFigures.resends)}`,
  ],
  ["faults injected: PostgreSQL stopped 4 s", value(faults.postgresStopped)],
  ["faults injected: Redis killed 4 s", value(faults.redisKilled)],
  ["faults injected: API instance SIGKILLed mid-requests", value(faults.instanceKilled)],
  [
    "answers during the run: 503 / dropped connections / 500",
    `${value(loadFigures.byStatus?.["503"] ?? 0)} / ${value(loadFigures.byStatus?.network ?? 0)} / ${value(loadFigures.byStatus?.["500"] ?? 0)}`,
  ],
  ["API instances that crashed (restarted by the supervisor)", value(exact.crashes?.length)],
  ["sessions lost", value(exact.exactness?.lost)],
  ["sessions double-counted", value(exact.exactness?.doubleCounted)],
  ["user_stats / daily_user_stats rows differing from the truth", value(exact.exactness?.mismatches)],
  ["ranking rows differing from the truth", value(exact.rankingMismatches)],
  [
    "ranking job triggered on both instances at once: runs",
    exact.rankingRuns ? `${exact.rankingRuns.ran} of ${exact.rankingRuns.triggered}` : "not measured",
  ],
  [
    "shared rate limit: accepted of sent (limit)",
    exact.rateLimit
      ? `${exact.rateLimit.accepted} of ${exact.rateLimit.sent} (${exact.rateLimit.limit}/min)`
      : "not measured",
  ],
  ["cache invalidation on one instance seen by the other", value(exact.cacheSharing?.readerSawUpdate)],
  [
    "real CLI (built binary): homes / sessions / syncs (SIGKILLed) / failed in PostgreSQL stop",
    cli.homes
      ? `${cli.homes} / ${cli.sessions} / ${cli.syncs} (${cli.syncsKilled}) / ${cli.syncsFailedInOutage}`
      : "not measured",
  ],
  [
    "real CLI: instance SIGKILLed / totals equal to the truth after the final sync",
    cli.homes ? `${cli.instanceKilled} / asserted per home` : "not measured",
  ],
  ["fuzz requests (endpoints)", `${fuzzTried} (${fuzzEndpoints.length})`],
  ["fuzz 5xx answers / stored changes", `${fuzz5xx} / 0 (asserted per endpoint)`],
  ["security cases passed", `${count(security, "passed")} of ${security.length}`],
  ["property tests passed (fast-check)", `${count(properties, "passed")} of ${properties.length}`],
  ["known faults recorded as it.fails", `${knownFaults.length}: ${knownFaults.join("; ")}`],
];

const table = ["| figure | value |", "| --- | --- |", ...rows.map(([name, figure]) => `| ${name} | ${figure} |`)].join(
  "\n",
);
const doc = `# Reliability figures

Regenerated by \`npm run test:reliability\` (${new Date().toISOString().slice(0, 10)}, ${Math.round((Date.now() - started) / 1000)} s,
suites ${hostile.ok && load.ok ? "passed" : "FAILED"}). What is measured and how: \`test/reliability/\` (load, faults, two
instances), \`packages/server/test/fuzz-api.test.ts\`, \`packages/server/test/security-*.test.ts\`,
\`packages/core/test/*.property.test.ts\`.

${table}

Known faults are tests marked \`it.fails\` with a \`FAULT\` comment naming the file and the fix; each turns
red once fixed, as a reminder to drop the marker.
`;
writeFileSync("docs/reliability.md", doc);
console.log(`\n${table}\n\ndocs/reliability.md written`);
process.exit(hostile.ok && load.ok ? 0 : 1);
