import { describe, expect, it } from "vitest";
import { computeStreak, toLocalDay } from "../src/streak";

describe("computeStreak", () => {
  it("is zero without activity", () => {
    expect(computeStreak([], "2026-03-10")).toEqual({ current: 0, longest: 0 });
  });

  it("counts the run ending today", () => {
    expect(computeStreak(["2026-03-08", "2026-03-09", "2026-03-10"], "2026-03-10")).toEqual({ current: 3, longest: 3 });
  });

  it("keeps a run ending yesterday alive", () => {
    expect(computeStreak(["2026-03-08", "2026-03-09"], "2026-03-10")).toEqual({ current: 2, longest: 2 });
  });

  it("breaks after a missed day and remembers the longest run", () => {
    const days = ["2026-02-01", "2026-02-02", "2026-02-03", "2026-02-04", "2026-03-07", "2026-03-08"];
    expect(computeStreak(days, "2026-03-10")).toEqual({ current: 0, longest: 4 });
  });

  it("ignores duplicates and order, and crosses month and leap-day boundaries", () => {
    const days = ["2028-03-01", "2028-02-29", "2028-02-28", "2028-02-29"];
    expect(computeStreak(days, "2028-03-01")).toEqual({ current: 3, longest: 3 });
  });

  it("rejects malformed days", () => {
    expect(() => computeStreak(["2026-13-45"], "2026-03-10")).toThrow(/invalid day/);
  });
});

describe("toLocalDay", () => {
  it("buckets an instant in the given time zone", () => {
    const instant = new Date("2026-03-10T23:30:00Z");
    expect(toLocalDay(instant, "UTC")).toBe("2026-03-10");
    expect(toLocalDay(instant, "Asia/Seoul")).toBe("2026-03-11");
    expect(toLocalDay(instant, "America/Los_Angeles")).toBe("2026-03-10");
  });
});
