import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { queryRows } from "@modu-arena/db";
import { type RunningApiServer, startApiServer } from "@modu-arena/server/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashProjectPath } from "../src/collectors/project-id";
import { saveConfig } from "../src/state/config";
import { CLI_BINARY, ensureCliBuilt } from "./helpers/build-cli";
import { createTempHome, removeTempHome } from "./helpers/fixture-home";

const SALT = "e2e-salt-0123456789abcdef";

function readmeWithTest(command: string, extra = ""): string {
  return `# e2e project\n\nA small project used by the end-to-end test of submit.\n${extra}\n## Local Validation\n\n\`\`\`bash title="test"\n${command}\n\`\`\`\n`;
}

const GOOD_BODY = `
## Installation

\`\`\`bash
npm install e2e-project
\`\`\`

## Usage

Run it with one command. It prints a greeting. Options are listed below.

\`\`\`bash
npx e2e-project --name you
\`\`\`

- \`--name\`: who to greet

## Examples

\`\`\`bash
npx e2e-project --name world
\`\`\`

## Testing

Run npm test; the suite checks the greeting and the options.
`;

/** Runs the built binary in `cwd` with a clean environment pointed at the fixture home. */
function runBuiltCli(
  args: string[],
  cwd: string,
  home: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BINARY, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: home, USERPROFILE: home, NO_COLOR: "1", TZ: "UTC" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("modu-arena submit (built binary) against the API", () => {
  let server: RunningApiServer;
  let root: string;
  let home: string;
  let userId: string;

  beforeAll(async () => {
    ensureCliBuilt();
    server = await startApiServer();
    const user = await server.createUser("submitter");
    userId = user.id;
    root = createTempHome("modu-e2e-submit-");
    home = join(root, "home");
    saveConfig(home, {
      version: 1,
      apiKey: user.apiKey,
      serverUrl: server.url,
      tools: [],
      projectSalt: SALT,
      installedAt: new Date().toISOString(),
    });
  });

  afterAll(async () => {
    await server?.close();
    if (root) removeTempHome(root);
  });

  function makeProject(name: string, readme: string): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "README.md"), readme);
    return dir;
  }

  async function storedRow(id: string) {
    const [row] = await queryRows<Record<string, unknown>>(
      server.ctx.db,
      sql`SELECT * FROM project_evaluations WHERE id = ${id} AND user_id = ${userId}`,
    );
    return row!;
  }

  it("shows the command without --run, then runs a passing test and records a pass", async () => {
    const dir = makeProject("passing", readmeWithTest('test -f README.md && echo "all good"', GOOD_BODY));
    const plan = await runBuiltCli(["submit"], dir, home);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('    test -f README.md && echo "all good"');
    const before = await queryRows<{ n: number }>(
      server.ctx.db,
      sql`SELECT count(*)::int AS n FROM project_evaluations`,
    );
    expect(before[0]!.n).toBe(0);

    const run = await runBuiltCli(["submit", "--run", "--json"], dir, home);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("all good");
    const { evaluation, localEvaluationSummary } = JSON.parse(run.stdout);
    expect(localEvaluationSummary).toMatchObject({ exitCode: 0, passed: true, timedOut: false });
    expect(evaluation).toMatchObject({ projectName: "passing", localScore: 30, passed: true, llmProvider: "rubric" });
    expect(evaluation.finalScore).toBe(evaluation.localScore + evaluation.backendScore + evaluation.penaltyScore);
    const row = await storedRow(evaluation.id);
    expect(row).toMatchObject({
      project_name: "passing",
      project_path_hash: hashProjectPath(dir, SALT),
      local_score: 30,
      final_score: evaluation.finalScore,
      passed: true,
    });
    expect(JSON.stringify(row)).not.toContain(root);
  });

  it("records a failing local test as localScore 10 and prints the verdict", async () => {
    const dir = makeProject("failing", readmeWithTest("echo broken >&2; exit 1"));
    const run = await runBuiltCli(["submit", "--run"], dir, home);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("local test exited 1");
    expect(run.stdout).toMatch(/^failing: NOT PASSED/);
    expect(run.stdout).toMatch(/local\s+10\/30\s+test exited 1/);
    expect(run.stdout).toMatch(/cumulative\s+\d+/);
    expect(run.stdout).toContain("feedback: README rubric:");
    const [row] = await queryRows<{
      local_score: number;
      passed: boolean;
      details: { localEvaluationSummary: unknown };
    }>(server.ctx.db, sql`SELECT local_score, passed, details FROM project_evaluations WHERE project_name = 'failing'`);
    expect(row).toMatchObject({ local_score: 10, passed: false });
    expect(row!.details.localEvaluationSummary).toMatchObject({ exitCode: 1, passed: false });
  });

  it("stops a test at --timeout and still submits", async () => {
    const dir = makeProject("slow", readmeWithTest("sleep 20"));
    const started = Date.now();
    const run = await runBuiltCli(["submit", "--run", "--json", "--timeout", "1"], dir, home);
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    const { evaluation, localEvaluationSummary } = JSON.parse(run.stdout);
    expect(localEvaluationSummary).toMatchObject({ timedOut: true, exitCode: null, passed: false });
    expect(evaluation.localScore).toBe(10);
  });

  it("exits non-zero when the server refuses", async () => {
    const dir = makeProject("refused", readmeWithTest("true"));
    const otherHome = join(root, "other-home");
    saveConfig(otherHome, {
      version: 1,
      apiKey: `modu_arena_${"A".repeat(8)}_${"b".repeat(32)}`,
      serverUrl: server.url,
      tools: [],
      projectSalt: SALT,
      installedAt: new Date().toISOString(),
    });
    const run = await runBuiltCli(["submit", "--run"], dir, otherHome);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("error: the server refused the API key");
  });
});
