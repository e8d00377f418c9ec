import { basename, resolve } from "node:path";
import {
  computeLocalScore,
  type EvaluationRequest,
  findLocalValidationBlock,
  type LocalEvaluationSummary,
  MAX_DESCRIPTION_BYTES,
  MAX_TEST_COMMAND_LENGTH,
} from "@modu-arena/core";
import { hashProjectPath } from "../collectors/project-id";
import type { CommandDeps } from "../commands/deps";
import { DEFAULT_TIMEOUT_SECONDS, type SubmitOptions } from "../commands/submit";
import { CliError, EXIT } from "../errors";
import { requireConfig, resolveServerUrl } from "../state/config";
import { printEvaluation } from "./print-evaluation";
import { type ProjectReadme, readProjectReadme } from "./read-readme";
import { runLocalTest } from "./run-local-test";
import { sendEvaluation } from "./send-evaluation";

const MAX_TIMEOUT_SECONDS = 3_600;

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new CliError(`--timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`, {
      exitCode: EXIT.usage,
    });
  }
  return seconds;
}

function projectNameOf(dir: string): string {
  return (basename(dir) || "project").replace(/\p{Cc}/gu, "").slice(0, 128) || "project";
}

/**
 * `submit`: without --run, shows the README's local test command and stops; with --run, runs it, then
 * sends the README (never code, never the path) for evaluation and prints the verdict.
 */
/** `modu-arena submit`: run the README's local test (with --run), then send the README for evaluation. */
export async function submit(deps: CommandDeps, options: SubmitOptions): Promise<void> {
  const { output, runtime } = deps;
  const dir = resolve(options.dir ?? process.cwd());
  const timeoutSeconds = parseTimeout(options.timeout);
  const readme = readProjectReadme(dir);
  if (readme.truncated) {
    output.warn(`README.md is ${readme.bytes} bytes; only the first ${MAX_DESCRIPTION_BYTES} bytes are sent`);
  }
  const block = findLocalValidationBlock(readme.text);
  const command = block && block.command.trim() !== "" ? block.command : undefined;
  if (!options.run) {
    showPlan(deps, { dir, readme, command, line: block?.line, timeoutSeconds, json: options.json });
    return;
  }
  // Checked before running the test, so a missing install does not cost a test run.
  const config = requireConfig(runtime.home);
  let summary: LocalEvaluationSummary = {};
  if (command) {
    output.log(`running the local test in ${dir} (timeout ${timeoutSeconds} s):\n${command}\n`);
    const run = await runLocalTest(command, {
      cwd: dir,
      timeoutMs: timeoutSeconds * 1000,
      env: runtime.env,
      output: runtime.stderr,
    });
    summary = { testCommand: command.slice(0, MAX_TEST_COMMAND_LENGTH), ...run };
    output.log(
      run.timedOut
        ? `local test timed out after ${timeoutSeconds} s`
        : `local test exited ${run.exitCode ?? "by a signal"} in ${(run.durationMs / 1000).toFixed(1)} s`,
    );
  } else {
    output.warn('no `## Local Validation` block marked ```bash title="test"```: localScore is 0');
  }
  const payload: EvaluationRequest = {
    projectName: projectNameOf(dir),
    projectPathHash: hashProjectPath(dir, config.projectSalt),
    description: readme.text,
    descriptionTruncated: readme.truncated,
    localScore: computeLocalScore(summary),
    localEvaluationSummary: summary,
  };
  output.log("submitting the README for evaluation...");
  const { evaluation } = await sendEvaluation(
    { serverUrl: resolveServerUrl(runtime.env, config), apiKey: config.apiKey, fetch: runtime.fetch, now: runtime.now },
    payload,
  );
  if (options.json) output.printJson({ localEvaluationSummary: summary, evaluation });
  else printEvaluation(output, evaluation, summary);
}

function showPlan(
  deps: CommandDeps,
  plan: { dir: string; readme: ProjectReadme; command?: string; line?: number; timeoutSeconds: number; json?: boolean },
): void {
  const { output } = deps;
  if (plan.json) {
    output.printJson({
      run: false,
      projectName: projectNameOf(plan.dir),
      readme: { path: plan.readme.path, bytes: plan.readme.bytes, truncated: plan.readme.truncated },
      testCommand: plan.command ?? null,
      timeoutSeconds: plan.timeoutSeconds,
    });
    return;
  }
  if (plan.command) {
    output.print(`Local test command (README.md line ${plan.line}, \`## Local Validation\`), to run in ${plan.dir}:`);
    output.print(`\n${plan.command.replace(/^/gm, "    ")}\n\n`);
    output.print(
      `Run \`modu-arena submit --run\` to execute it (timeout ${plan.timeoutSeconds} s) and send README.md for evaluation.`,
    );
  } else {
    output.print('README.md has no `## Local Validation` section with a ```bash title="test"``` block.');
    output.print("Add one to earn the local score; `modu-arena submit --run` sends README.md anyway (localScore 0).");
  }
  output.print("Only README.md is sent: no code, no file paths.");
}
