/**
 * Phrases in a README that address the scorer rather than the reader. A README is data: the LLM prompt
 * says so, and the rubric does not read instructions at all, but an attempt costs a penalty either way.
 */
const INJECTION_PATTERNS: Array<{ name: string; pattern: RegExp }> = [
  {
    name: "ignore_instructions",
    pattern:
      /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|system|your)\b[^.\n]{0,30}\b(instructions?|prompts?|rules|guidelines)\b/i,
  },
  { name: "new_instructions", pattern: /\b(new|updated|real)\s+(system\s+)?instructions?\s*:/i },
  {
    name: "role_play",
    pattern: /\byou\s+are\s+(now\s+)?(an?\s+)?(ai|assistant|language model|llm|grader|evaluator|judge)\b/i,
  },
  {
    name: "score_request",
    pattern:
      /\b(give|award|assign|rate|score|grade|set)\b[^.\n]{0,40}\b(this|the|my)\s+(project|readme|repo(sitory)?|submission)\b[^.\n]{0,40}\b(\d{2,3}|max(imum)?|full|perfect|highest)\b/i,
  },
  { name: "score_fields", pattern: /["']?(backendScore|penaltyScore|finalScore)["']?\s*[:=]/i },
  {
    name: "prompt_markup",
    pattern: /<\/?\s*(system|instructions?|readme[-_ ]?data)\b[^>]*>|\[\/?INST\]|<\|im_(start|end)\|>/i,
  },
];

export interface InjectionFinding {
  names: string[];
  penalty: number;
}

export const INJECTION_PENALTY = -15;

export function detectInjection(markdown: string): InjectionFinding {
  const names = INJECTION_PATTERNS.filter(({ pattern }) => pattern.test(markdown)).map(({ name }) => name);
  return { names, penalty: names.length > 0 ? INJECTION_PENALTY : 0 };
}
