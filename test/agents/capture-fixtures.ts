import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { AGENTS, type AgentHome, type AgentSpec, createAgentHome, ensureAgentInstalled } from "./agents";
import { writeOtelFixture } from "./otel-fixture";
import { runCopilot } from "./run-copilot";
import { runDroid } from "./run-droid";
import { runKilo } from "./run-kilo";
import { runQwen } from "./run-qwen";
import type { AgentScript } from "./standalone";
import { startStubModel } from "./stub-model/server";

/**
 * `npx tsx test/agents/capture-fixtures.ts [agent…]`: runs the agents our collectors do not read yet against
 * the stub and keeps what they wrote under `fixtures/<agent>/` (home-relative paths, the throwaway home's path
 * replaced by /home/user; SQLite databases as `<name>.db.tables/<table>.jsonl`), with `ledger.json`: every
 * call the stub served, for a collector's test.
 */
const CAPTURES: { spec: AgentSpec; script: AgentScript; keep: RegExp }[] = [
  { spec: AGENTS.qwen, script: runQwen, keep: /^\.qwen\/projects\/.*\.jsonl?$/ },
  { spec: AGENTS.kilo, script: runKilo, keep: /^\.local\/share\/kilo\/kilo\.db$/ },
  { spec: AGENTS.droid, script: runDroid, keep: /^\.factory\/sessions\/.*\.(jsonl|settings\.json)$/ },
  {
    spec: AGENTS.copilot,
    script: runCopilot,
    keep: /^\.copilot\/(session-state\/[^/]+\/(events\.jsonl|workspace\.yaml)|session-store\.db)$/,
  },
];

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const PLACEHOLDER_HOME = "/home/user";

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === "node_modules") return [];
    return statSync(full).isDirectory() ? listFiles(root, full) : [relative(root, full)];
  });
}

/** Paths of the throwaway home, as written and as Claude-style folder names (`/` and `.` as `-`). */
function makeHomeReplacer(home: AgentHome): (text: string) => string {
  const dashed = (path: string) => path.replace(/[/.]/g, "-");
  const pairs: [string, string][] = [
    [join(home.root, "tmp"), "/tmp"],
    [home.home, PLACEHOLDER_HOME],
    [dashed(home.home), dashed(PLACEHOLDER_HOME)],
  ];
  return (text) => pairs.reduce((result, [from, to]) => result.split(from).join(to), text);
}

/**
 * A SQLite database (WAL mode: the live file alone may miss recent pages) as one JSONL file per table, so
 * that the fixture is text, small, and free of the throwaway home's path. Full-text indexes are left out.
 */
function exportDatabase(source: string, target: string, replace: (text: string) => string): void {
  const scratch = mkdtempSync(join(tmpdir(), "modu-agent-db-"));
  try {
    for (const suffix of ["", "-wal", "-shm"]) {
      if (existsSync(source + suffix)) copyFileSync(source + suffix, join(scratch, `db${suffix}`));
    }
    const db = new Database(join(scratch, "db"));
    const tables = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string; sql: string | null }[];
    // A full-text index is a virtual table plus shadow tables named after it (`search_index_data`, …).
    const indexes = tables.filter((table) => /^CREATE VIRTUAL TABLE/i.test(table.sql ?? "")).map((table) => table.name);
    mkdirSync(target, { recursive: true });
    for (const { name } of tables) {
      if (indexes.some((index) => name === index || name.startsWith(`${index}_`))) continue;
      const rows = db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all();
      if (rows.length === 0) continue;
      writeFileSync(join(target, `${name}.jsonl`), replace(rows.map((row) => `${JSON.stringify(row)}\n`).join("")));
    }
    db.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function capture({ spec, script, keep }: (typeof CAPTURES)[number]): Promise<void> {
  const agent = ensureAgentInstalled(spec);
  const stub = await startStubModel();
  const home = createAgentHome(spec.name);
  try {
    await script(agent, stub, home);
    const replace = makeHomeReplacer(home);
    const target = join(FIXTURES, spec.name);
    rmSync(target, { recursive: true, force: true });
    for (const path of listFiles(home.home).filter((file) => keep.test(file))) {
      const destination = join(target, replace(path));
      mkdirSync(dirname(destination), { recursive: true });
      if (path.endsWith(".db")) exportDatabase(join(home.home, path), `${destination}.tables`, replace);
      else writeFileSync(destination, replace(readFileSync(join(home.home, path), "utf8")));
    }
    const ledger = { agent: `${spec.pkg}@${spec.version}`, calls: stub.ledger.calls, unknown: stub.ledger.unknown };
    writeFileSync(join(target, "ledger.json"), `${JSON.stringify(ledger, null, 2)}\n`);
    writeOtelFixture(spec.name, stub.otlp);
    console.log(`${spec.name}: ${stub.ledger.calls.length} calls, fixtures in ${relative(process.cwd(), target)}`);
  } finally {
    await stub.close();
    home.remove();
  }
}

const wanted = process.argv.slice(2);
for (const item of CAPTURES) {
  if (wanted.length > 0 && !wanted.includes(item.spec.name)) continue;
  try {
    await capture(item);
  } catch (error) {
    console.log(`${item.spec.name}: not captured: ${String(error).slice(0, 2000)}`);
    process.exitCode = 1;
  }
}
