import { EVALUATION_SCORES, findLocalValidationBlock } from "@modu-arena/core";
import { detectInjection } from "./detect-injection";
import type { EvaluationSubject, Evaluator, EvaluatorVerdict } from "./evaluator";
import { findSections, outlineReadme } from "./outline-readme";

export const RUBRIC_MODEL = "readme-rubric-v1";

/** Points per criterion; they add up to the 70 of EVALUATION_SCORES.maxBackend. */
export const RUBRIC_WEIGHTS = {
  structure: 15,
  installation: 12,
  usage: 12,
  testing: 15,
  examples: 8,
  clarity: 8,
} as const;

const INSTALL_TITLE = /\b(install(ation|ing)?|setup|set up|getting started|requirements|prerequisites)\b/i;
const USAGE_TITLE = /\b(usage|how to use|quick ?start|running|run|commands?|cli|api)\b/i;
const TEST_TITLE = /\b(test(s|ing)?|local validation|validation|verify|verification|ci)\b/i;
const EXAMPLE_TITLE = /\b(examples?|demo|tutorial|sample)\b/i;
const TEST_COMMAND =
  /\b(npm (run )?test|pnpm test|yarn test|vitest|jest|pytest|go test|cargo test|make test|mvn test|gradle test|rspec|phpunit|dotnet test|ctest|tox)\b/i;
const PLACEHOLDER = /\b(lorem ipsum|todo: ?write|coming soon|tbd|insert (description|text) here)\b/i;

interface Criterion {
  points: number;
  advice?: string;
}

/**
 * The offline scorer: deterministic points for what a reader needs (structure, install, usage, tests,
 * examples, clarity). It only measures the README; text in it cannot ask for anything.
 */
export function scoreReadmeRubric(readme: string): EvaluatorVerdict {
  const outline = outlineReadme(readme);
  const install = findSections(outline, INSTALL_TITLE);
  const usage = findSections(outline, USAGE_TITLE);
  const tests = findSections(outline, TEST_TITLE);
  const examples = findSections(outline, EXAMPLE_TITLE);
  const topSections = outline.sections.filter((section) => section.level <= 2).length;
  const validation = findLocalValidationBlock(readme);
  const avgSentence = outline.sentences > 0 ? outline.words / outline.sentences : outline.words;

  const criteria: Record<keyof typeof RUBRIC_WEIGHTS, Criterion> = {
    structure: sum([
      [outline.title !== undefined, 3, "Start with a `# Title` naming the project."],
      [outline.introWords >= 15, 3, "Open with a short paragraph saying what the project does and for whom."],
      [topSections >= 3, 3, "Split the README into sections (`## ...`)."],
      [topSections >= 5, 3],
      [outline.hasList || outline.hasTable, 3, "Use lists or tables for options and steps."],
    ]),
    installation: sum([
      [install !== undefined, 6, "Add an `## Installation` section."],
      [(install?.codeBlocks ?? 0) > 0, 6, "Show the install commands in a code block."],
    ]),
    usage: sum([
      [usage !== undefined, 6, "Add a `## Usage` section."],
      [(usage?.codeBlocks ?? 0) > 0, 6, "Show how to run it in a code block."],
    ]),
    testing: sum([
      [
        validation !== undefined && validation.command.trim() !== "",
        8,
        'Add `## Local Validation` with a ```bash title="test"``` block.',
      ],
      [tests !== undefined, 3, "Describe how to run the tests."],
      [TEST_COMMAND.test(readme), 4, "Name the test command (e.g. `npm test`)."],
    ]),
    examples: sum([
      [examples !== undefined, 4, "Add an `## Examples` section."],
      [outline.codeBlocks.length >= 3, 4, "Give a few concrete code examples."],
    ]),
    clarity: sum([
      [outline.words >= 150, 2, "Say more: the README is very short."],
      [outline.words >= 400, 2, "Explain more: design choices, configuration, limits."],
      [outline.sentences > 0 && avgSentence <= 30, 2, "Use shorter sentences."],
      [outline.words > 0 && !PLACEHOLDER.test(readme), 2, "Replace placeholder text (TODO, lorem ipsum)."],
    ]),
  };

  const backendScore = Math.min(
    EVALUATION_SCORES.maxBackend,
    Object.values(criteria).reduce((total, criterion) => total + criterion.points, 0),
  );
  const injection = detectInjection(readme);
  const placeholderPenalty = PLACEHOLDER.test(readme) ? -5 : 0;
  const penaltyScore = Math.max(EVALUATION_SCORES.minPenalty, injection.penalty + placeholderPenalty);
  const advice = Object.values(criteria).flatMap((criterion) => (criterion.advice ? [criterion.advice] : []));
  const notes = [`README rubric: ${backendScore}/${EVALUATION_SCORES.maxBackend}.`];
  if (injection.names.length > 0) {
    notes.push("The README contains instructions addressed to the evaluator; they were ignored and penalised.");
  }
  notes.push(advice.length > 0 ? `To improve: ${advice.slice(0, 6).join(" ")}` : "Well structured and complete.");
  return {
    backendScore,
    penaltyScore,
    feedback: notes.join(" "),
    criteria: Object.fromEntries(Object.entries(criteria).map(([name, criterion]) => [name, criterion.points])),
  };
}

/** Points of the checks that hold; the advice of the first failing check that has one. */
function sum(checks: Array<[boolean, number, string?]>): Criterion {
  let points = 0;
  let advice: string | undefined;
  for (const [ok, value, hint] of checks) {
    if (ok) points += value;
    else advice ??= hint;
  }
  return { points, advice };
}

export function createRubricEvaluator(): Evaluator {
  return {
    provider: "rubric",
    model: RUBRIC_MODEL,
    evaluate: async (subject: EvaluationSubject) => scoreReadmeRubric(subject.readme),
  };
}
