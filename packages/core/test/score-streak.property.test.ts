import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeCompositeScore, computeEfficiency, getTier, type ScoreInput, TIERS } from "../src/score";
import { computeStreak } from "../src/streak";

const count = fc.integer({ min: 0, max: 10_000_000_000_000 });
const scoreInput = fc.record({
  inputTokens: count,
  outputTokens: count,
  totalTokens: count,
  sessionCount: fc.integer({ min: 0, max: 10_000_000 }),
  streakDays: fc.integer({ min: 0, max: 10_000 }),
});

describe("composite score (property)", () => {
  it("stays within 0..1000, finite, with at most two decimals", () => {
    fc.assert(
      fc.property(scoreInput, (input) => {
        const score = computeCompositeScore(input);
        expect(Number.isFinite(score)).toBe(true);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1000);
        expect(Math.abs(score * 100 - Math.round(score * 100))).toBeLessThan(1e-6);
      }),
      { numRuns: 2000 },
    );
  });

  it("never decreases when tokens, sessions, streak or output grow", () => {
    const field = fc.constantFrom<keyof ScoreInput>("totalTokens", "sessionCount", "streakDays", "outputTokens");
    fc.assert(
      fc.property(scoreInput, field, fc.integer({ min: 0, max: 1_000_000_000 }), (input, key, extra) => {
        const grown = { ...input, [key]: input[key] + extra };
        expect(computeCompositeScore(grown)).toBeGreaterThanOrEqual(computeCompositeScore(input));
      }),
      { numRuns: 2000 },
    );
  });

  it("reaches 1000 only at the caps and is 0 for an empty period", () => {
    expect(
      computeCompositeScore({ inputTokens: 0, outputTokens: 0, totalTokens: 0, sessionCount: 0, streakDays: 0 }),
    ).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (input) => {
        const capped = {
          inputTokens: input,
          outputTokens: input * 2,
          totalTokens: 10_000_000_000,
          sessionCount: 1000,
          streakDays: 30,
        };
        expect(computeCompositeScore(capped)).toBe(1000);
      }),
    );
  });

  it("keeps efficiency in 0..1 for any number, NaN and one-sided Infinity included", () => {
    const anyNumber = fc.oneof(fc.double({ max: Number.MAX_VALUE }), fc.constantFrom(Number.NaN, -0));
    fc.assert(
      fc.property(anyNumber, anyNumber, (input, output) => {
        const efficiency = computeEfficiency(input, output);
        expect(efficiency >= 0 && efficiency <= 1).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(computeEfficiency(Number.POSITIVE_INFINITY, 5)).toBe(0);
    expect(computeEfficiency(5, Number.POSITIVE_INFINITY)).toBe(1);
  });

  // Found by the property above: Infinity / Infinity is NaN, which min() and the score then carry along.
  // Not reachable through the API (counts are capped by the schema), but the contract says 0..1.
  it("keeps efficiency in 0..1 when both counts are Infinity", () => {
    expect(computeEfficiency(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(1);
  });
});

describe("tiers (property)", () => {
  const floors = [0, 200, 400, 600, 800];

  it("is monotone in the score and exact at every floor", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(TIERS.indexOf(getTier(low))).toBeLessThanOrEqual(TIERS.indexOf(getTier(high)));
          const expected = floors.filter((floor) => low >= floor).length - 1;
          expect(getTier(low)).toBe(TIERS[expected]);
        },
      ),
      { numRuns: 2000 },
    );
    floors.forEach((floor, index) => {
      expect(getTier(floor)).toBe(TIERS[index]);
      if (floor > 0) expect(getTier(floor - 0.01)).toBe(TIERS[index - 1]);
    });
  });
});

const DAY_MS = 86_400_000;
const BASE = Date.UTC(2027, 11, 20);
const dayText = (offset: number) => new Date(BASE + offset * DAY_MS).toISOString().slice(0, 10);

/** The obvious quadratic definition, independent of the implementation. */
function bruteStreak(offsets: number[], today: number) {
  const active = new Set(offsets);
  let longest = 0;
  for (const start of active) {
    let length = 0;
    while (active.has(start + length)) length++;
    longest = Math.max(longest, length);
  }
  const runEndingAt = (day: number) => {
    let length = 0;
    while (active.has(day - length)) length++;
    return length;
  };
  return { current: active.has(today) ? runEndingAt(today) : runEndingAt(today - 1), longest };
}

describe("streaks (property)", () => {
  it("equal the brute-force definition across month, year and leap-day edges", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -40, max: 800 }), { maxLength: 120 }),
        fc.integer({ min: -40, max: 820 }),
        (offsets, today) => {
          const days = offsets.map(dayText);
          expect(computeStreak(days, dayText(today))).toEqual(bruteStreak(offsets, today));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("counts long unbroken runs and ignores duplicates and order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 3 }), (length, gap) => {
        const offsets = Array.from({ length }, (_, index) => index);
        const shuffled = [...offsets, ...offsets].reverse().map(dayText);
        const today = length - 1 + gap;
        const expected = gap <= 1 ? length : 0;
        expect(computeStreak(shuffled, dayText(today))).toEqual({ current: expected, longest: length });
      }),
    );
  });
});
