import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { MAX_DESCRIPTION_BYTES } from "@modu-arena/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runProgram } from "../src/program";
import { readProjectReadme, truncateUtf8 } from "../src/submit/read-readme";
import { runLocalTest } from "../src/submit/run-local-test";
import { createTempHome, removeTempHome } from "./helpers/fixture-home";
import { createTestRuntime } from "./helpers/test-runtime";

let root: string;
beforeEach(() => {
  root = createTempHome("modu-submit-");
});
afterEach(() => removeTempHome(root));

function writeProject(readme: string | undefined): string {
  const dir = join(root, "my-project");
  mkdirSync(dir, { recursive: true });
  if (readme !== undefined) writeFileSync(join(dir, "README.md"), readme);
  return dir;
}

const README = '# p\n\n## Local Validation\n\n```bash title="test"\necho checking\nexit 0\n```\n';

async function submit(args: string[]) {
  const runtime = createTestRuntime(join(root, "home"));
  const code = await runProgram(["submit", ...args], runtime);
  return { code, stdout: runtime.stdoutText(), stderr: runtime.stderrText() };
}

describe("reading the README", () => {
  it("refuses a missing or blank README with a hint", async () => {
    const missing = await submit(["--dir", writeProject(undefined)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error: no README.md in .*my-project\nhint: the README is what gets evaluated/);
    const blank = await submit(["--dir", writeProject(" \n\n")]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/README.md is empty/);
  });

  it("truncates at the cap without splitting a character, and says so", async () => {
    const big = `# big\n\n${"é".repeat(MAX_DESCRIPTION_BYTES)}`;
    const readme = readProjectReadme(writeProject(big));
    expect(readme.truncated).toBe(true);
    expect(Buffer.byteLength(readme.text)).toBeLessThanOrEqual(MAX_DESCRIPTION_BYTES);
    expect(Buffer.byteLength(readme.text)).toBeGreaterThan(MAX_DESCRIPTION_BYTES - 2);
    expect(readme.text.endsWith("é")).toBe(true);
    const shown = await submit(["--dir", join(root, "my-project")]);
    expect(shown.stderr).toContain(`only the first ${MAX_DESCRIPTION_BYTES} bytes are sent`);
  });

  it("truncateUtf8 steps back over multi-byte characters", () => {
    expect(truncateUtf8(Buffer.from("a😀b"), 3)).toBe("a");
    expect(truncateUtf8(Buffer.from("a😀b"), 5)).toBe("a😀");
    expect(truncateUtf8(Buffer.from("abc"), 10)).toBe("abc");
  });
});

describe("submit without --run", () => {
  it("shows the exact command and stops, without needing an install", async () => {
    const result = await submit(["--dir", writeProject(README)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Local test command (README.md line 5, `## Local Validation`)");
    expect(result.stdout).toContain("    echo checking\n    exit 0\n");
    expect(result.stdout).toContain("modu-arena submit --run");
    expect(result.stdout).toContain("(timeout 120 s)");
  });

  it("prints the plan as JSON", async () => {
    const result = await submit(["--dir", writeProject(README), "--json", "--timeout", "5"]);
    expect(JSON.parse(result.stdout)).toMatchObject({
      run: false,
      projectName: "my-project",
      testCommand: "echo checking\nexit 0",
      timeoutSeconds: 5,
      readme: { truncated: false },
    });
  });

  it("says when there is no test block", async () => {
    const result = await submit(["--dir", writeProject("# p\n\nNo tests here.\n")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("has no `## Local Validation` section");
  });

  it("refuses a bad --timeout, and --run without an install", async () => {
    expect((await submit(["--dir", writeProject(README), "--timeout", "0"])).code).toBe(2);
    const notInstalled = await submit(["--dir", writeProject(README), "--run"]);
    expect(notInstalled.code).toBe(3);
    expect(notInstalled.stderr).toContain("modu-arena is not installed");
  });
});

describe("runLocalTest", () => {
  const sink = () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    return { stream, text: () => chunks.join("") };
  };

  it("runs in the project folder and captures the exit code and output", async () => {
    const dir = writeProject(README);
    const out = sink();
    const ok = await runLocalTest('pwd; echo "out"; echo "err" >&2', {
      cwd: dir,
      timeoutMs: 10_000,
      env: process.env,
      output: out.stream,
    });
    expect(ok).toMatchObject({ exitCode: 0, passed: true, timedOut: false });
    expect(out.text()).toContain(dir);
    expect(out.text()).toContain("err");
    const failed = await runLocalTest("exit 3", {
      cwd: dir,
      timeoutMs: 10_000,
      env: process.env,
      output: sink().stream,
    });
    expect(failed).toMatchObject({ exitCode: 3, passed: false, timedOut: false });
  });

  it("kills the whole process group at the timeout", async () => {
    const dir = writeProject(README);
    const started = Date.now();
    const run = await runLocalTest(`sleep 30 & sleep 30; echo done > ${join(dir, "finished")}`, {
      cwd: dir,
      timeoutMs: 300,
      env: process.env,
      output: sink().stream,
    });
    expect(run).toMatchObject({ exitCode: null, passed: false, timedOut: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.durationMs).toBeGreaterThanOrEqual(300);
  });
});
