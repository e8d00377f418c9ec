import { describe, expect, it } from "vitest";
import type { UsageRecord } from "../../src/collectors/types";
import { aggregateUsage } from "../../src/stats/aggregate-usage";

const record = (timestamp: number): UsageRecord => ({
  tool: "claude-code",
  sessionId: "s1",
  timestamp,
  model: "m",
  inputTokens: 1,
  outputTokens: 2,
  cacheCreationTokens: 0,
  cacheReadTokens: 0,
});

describe("aggregateUsage", () => {
  it("puts a record whose time no date holds under an unknown day instead of throwing", () => {
    const records = [record(Date.UTC(2026, 2, 2)), record(Number.NaN), record(1e300), record(-Infinity)];
    const report = aggregateUsage(records, { groupBy: "day", timezone: "UTC" });
    expect(report.rows.map((row) => [row.key, row.calls])).toEqual([
      ["2026-03-02", 1],
      ["unknown", 3],
    ]);
    expect(report.totals.totalTokens).toBe(12);
  });

  it("leaves such records out of a report limited to dates", () => {
    const records = [record(Date.UTC(2026, 2, 2)), record(Number.NaN)];
    const report = aggregateUsage(records, { groupBy: "model", timezone: "UTC", since: "2026-01-01" });
    expect(report.totals.calls).toBe(1);
  });
});
