import type { EvaluationResult, LocalEvaluationSummary } from "@modu-arena/core";
import { EVALUATION_SCORES } from "@modu-arena/core";
import type { Output } from "../output/output";

function describeLocal(summary: LocalEvaluationSummary): string {
  if (!summary.testCommand) return "no Local Validation test block";
  const seconds = `${((summary.durationMs ?? 0) / 1000).toFixed(1)} s`;
  if (summary.timedOut) return `test timed out after ${seconds}`;
  return `test exited ${summary.exitCode ?? "by a signal"} in ${seconds}`;
}

/** The server's verdict, one score per line, then its feedback. */
export function printEvaluation(output: Output, evaluation: EvaluationResult, summary: LocalEvaluationSummary): void {
  const { color } = output;
  const verdict = evaluation.passed ? color.green("PASSED") : color.red("NOT PASSED");
  const rows: Array<[string, string, string]> = [
    ["local", `${evaluation.localScore}/${EVALUATION_SCORES.maxLocal}`, describeLocal(summary)],
    [
      "backend",
      `${evaluation.backendScore}/${EVALUATION_SCORES.maxBackend}`,
      `${evaluation.llmProvider}, ${evaluation.llmModel}`,
    ],
    ["penalty", String(evaluation.penaltyScore), evaluation.penaltyScore < 0 ? "see feedback" : ""],
    ["final", `${evaluation.finalScore}/${EVALUATION_SCORES.maxFinal}`, `pass at ${evaluation.passThreshold}`],
    ["cumulative", String(evaluation.cumulativeScoreAfter), "sum of your final scores"],
  ];
  const width = Math.max(...rows.map(([, value]) => value.length));
  output.print(`${color.bold(evaluation.projectName)}: ${verdict}`);
  for (const [label, value, note] of rows) {
    output.print(`  ${label.padEnd(10)} ${value.padStart(width)}${note ? `  ${color.dim(note)}` : ""}`);
  }
  output.print(`\nfeedback: ${evaluation.feedback}`);
}
