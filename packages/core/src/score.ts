/** The composite score of the product description: 40% tokens, 25% efficiency, 20% sessions, 15% streak. */
export const SCORE_WEIGHTS = { tokens: 0.4, efficiency: 0.25, sessions: 0.2, streak: 0.15 } as const;

/**
 * Where each part reaches 1: 10^10 tokens and 10^3 sessions (log scales), an output/input ratio of 2,
 * a 30-day streak. The rankings' SQL is generated from these and `SCORE_WEIGHTS`.
 */
export const SCORE_CAPS = { tokensLog10: 10, sessionsLog10: 3, efficiencyRatio: 2, streakDays: 30 } as const;

/** The weighted sum (0..1) is scaled to 0..1000 and rounded to this many decimals. */
export const SCORE_SCALE = 1000;
export const SCORE_DECIMALS = 2;

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
  return Number.isNaN(ratio) ? 1 : Math.min(ratio, SCORE_CAPS.efficiencyRatio) / SCORE_CAPS.efficiencyRatio;
}

export function computeScoreParts(input: ScoreInput) {
  return {
    tokens: Math.min(1, Math.log10(Math.max(0, input.totalTokens) + 1) / SCORE_CAPS.tokensLog10),
    efficiency: computeEfficiency(input.inputTokens, input.outputTokens),
    sessions: Math.min(1, Math.log10(Math.max(0, input.sessionCount) + 1) / SCORE_CAPS.sessionsLog10),
    streak: Math.min(Math.max(0, input.streakDays), SCORE_CAPS.streakDays) / SCORE_CAPS.streakDays,
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
  const unit = 10 ** SCORE_DECIMALS;
  // floor(x + 0.5) rather than Math.round: the same operations as the SQL, so both round alike.
  return Math.floor(sum * SCORE_SCALE * unit + 0.5) / unit;
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
