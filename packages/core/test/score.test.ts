import { describe, expect, it } from "vitest";
import { computeCompositeScore, computeEfficiency, getTier } from "../src/score";

describe("computeCompositeScore", () => {
  it("is 0 with no activity", () => {
    expect(
      computeCompositeScore({ inputTokens: 0, outputTokens: 0, totalTokens: 0, sessionCount: 0, streakDays: 0 }),
    ).toBe(0);
  });

  it("matches a hand computation", () => {
    // tokens: log10(1_000_001)/10 = 0.6000000434; efficiency: min(0.25,2)/2 = 0.125;
    // sessions: log10(11)/3 = 0.347131; streak: 6/30 = 0.2
    // sum = 0.24000002 + 0.03125 + 0.0694262 + 0.03 = 0.3706762 -> 370.68
    const score = computeCompositeScore({
      inputTokens: 800_000,
      outputTokens: 200_000,
      totalTokens: 1_000_000,
      sessionCount: 10,
      streakDays: 6,
    });
    expect(score).toBe(370.68);
  });

  it("caps every part at its maximum: 1000", () => {
    const score = computeCompositeScore({
      inputTokens: 1,
      outputTokens: 10,
      totalTokens: 1e12,
      sessionCount: 1e6,
      streakDays: 400,
    });
    expect(score).toBe(1000);
  });

  it("treats negative values as zero", () => {
    expect(
      computeCompositeScore({ inputTokens: -5, outputTokens: -5, totalTokens: -1, sessionCount: -3, streakDays: -2 }),
    ).toBe(0);
  });
});

describe("computeEfficiency", () => {
  it("is output/input capped at 2, halved", () => {
    expect(computeEfficiency(100, 50)).toBe(0.25);
    expect(computeEfficiency(100, 500)).toBe(1);
    expect(computeEfficiency(0, 500)).toBe(0);
  });
});

describe("getTier", () => {
  it.each([
    [0, "bronze"],
    [199.99, "bronze"],
    [200, "silver"],
    [399.99, "silver"],
    [400, "gold"],
    [600, "platinum"],
    [799.99, "platinum"],
    [800, "diamond"],
    [1000, "diamond"],
  ])("%s -> %s", (score, tier) => {
    expect(getTier(score)).toBe(tier);
  });
});
