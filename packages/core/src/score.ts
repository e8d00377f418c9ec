/** The composite score of the product description: 40% tokens, 25% efficiency, 20% sessions, 15% streak. */
export const SCORE_WEIGHTS = { tokens: 0.4, efficiency: 0.25, sessions: 0.2, streak: 0.15 } as const;

export interface ScoreInput {
  inputTokens: number;
  outputTokens: number;
  /** Input + output (+ cache, when the caller counts it) tokens of the period. */
  totalTokens: number;
  sessionCount: number;
  streakDays: number;
}

/** min(output / input, 2) / 2, in 0..1; 0 when there is no input. */
export function computeEfficiency(inputTokens: number, outputTokens: number): number {
  if (!(inputTokens > 0) || !(outputTokens > 0)) return 0;
  const ratio = outputTokens / inputTokens;
  // Infinity / Infinity is NaN: treat "both unbounded" as the capped maximum, like any huge ratio.
  return Number.isNaN(ratio) ? 1 : Math.min(ratio, 2) / 2;
}

export function computeScoreParts(input: ScoreInput) {
  return {
    tokens: Math.min(1, Math.log10(Math.max(0, input.totalTokens) + 1) / 10),
    efficiency: computeEfficiency(input.inputTokens, input.outputTokens),
    sessions: Math.min(1, Math.log10(Math.max(0, input.sessionCount) + 1) / 3),
    streak: Math.min(Math.max(0, input.streakDays), 30) / 30,
  };
}

/** Weighted sum × 1000, rounded to 2 decimals: 0..1000. */
export function computeCompositeScore(input: ScoreInput): number {
  const parts = computeScoreParts(input);
  const sum =
    parts.tokens * SCORE_WEIGHTS.tokens +
    parts.efficiency * SCORE_WEIGHTS.efficiency +
    parts.sessions * SCORE_WEIGHTS.sessions +
    parts.streak * SCORE_WEIGHTS.streak;
  return Math.round(sum * 1000 * 100) / 100;
}

export const TIERS = ["bronze", "silver", "gold", "platinum", "diamond"] as const;
export type Tier = (typeof TIERS)[number];

const TIER_FLOORS: Array<[number, Tier]> = [
  [800, "diamond"],
  [600, "platinum"],
  [400, "gold"],
  [200, "silver"],
];

export function getTier(compositeScore: number): Tier {
  for (const [floor, tier] of TIER_FLOORS) if (compositeScore >= floor) return tier;
  return "bronze";
}
