import { describe, expect, it } from "vitest";
import type { UsageRecord } from "../../src/collectors/index";
import { parseDateOption } from "../../src/commands/stats";
import { aggregateUsage, createDayFormatter } from "../../src/stats/aggregate-usage";

function record(overrides: Partial<UsageRecord>): UsageRecord {
  return {
    tool: "claude-code",
    sessionId: "s1",
    timestamp: Date.parse("2026-11-20T10:00:00.000Z"),
    model: "claude-sonnet-4-5",
    inputTokens: 10,
    outputTokens: 5,
    cacheCreationTokens: 2,
    cacheReadTokens: 100,
    ...overrides,
  };
}

describe("local usage report", () => {
  const records = [
    record({}),
    // 23:30 UTC on the 20th is already the 21st in Seoul.
    record({ timestamp: Date.parse("2026-11-20T23:30:00.000Z"), model: "claude-opus-4-1", sessionId: "s2" }),
    record({
      tool: "codex",
      model: "gpt-5",
      timestamp: Date.parse("2026-11-22T08:00:00.000Z"),
      inputTokens: 1000,
      cacheReadTokens: 0,
    }),
  ];

  it("groups by day in the requested time zone", () => {
    const utc = aggregateUsage(records, { groupBy: "day", timezone: "UTC" });
    expect(utc.rows.map((row) => [row.key, row.calls])).toEqual([
      ["2026-11-20", 2],
      ["2026-11-22", 1],
    ]);
    const seoul = aggregateUsage(records, { groupBy: "day", timezone: "Asia/Seoul" });
    expect(seoul.rows.map((row) => [row.key, row.calls])).toEqual([
      ["2026-11-20", 1],
      ["2026-11-21", 1],
      ["2026-11-22", 1],
    ]);
  });

  it("names the same local day as Intl for every instant, across DST changes and odd offsets", () => {
    const zones = ["America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham"];
    const quarter = 15 * 60_000;
    for (const timeZone of zones) {
      const reference = new Intl.DateTimeFormat("en-CA", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
      const toDay = createDayFormatter(timeZone);
      const mismatches: number[] = [];
      // Every quarter hour of 2026 and the millisecond before it: the edges where a cached quarter could be wrong.
      for (let at = Date.parse("2026-01-01T00:00:00Z"); at < Date.parse("2027-01-01T00:00:00Z"); at += quarter) {
        for (const instant of [at - 1, at, at + 7 * 60_000]) {
          if (toDay(instant) !== reference.format(new Date(instant))) mismatches.push(instant);
        }
      }
      expect({ timeZone, mismatches }).toEqual({ timeZone, mismatches: [] });
    }
  });

  it("filters by inclusive local dates and totals what is left", () => {
    const report = aggregateUsage(records, {
      groupBy: "model",
      timezone: "UTC",
      since: "2026-11-21",
      until: "2026-11-22",
    });
    expect(report.rows.map((row) => row.key)).toEqual(["gpt-5"]);
    expect(report.totals).toMatchObject({ calls: 1, inputTokens: 1000, totalTokens: 1000 + 5 + 2 });
  });

  it("groups by tool and session, biggest first", () => {
    expect(aggregateUsage(records, { groupBy: "tool", timezone: "UTC" }).rows.map((row) => row.key)).toEqual([
      "codex",
      "claude-code",
    ]);
    expect(aggregateUsage(records, { groupBy: "session", timezone: "UTC" }).rows).toHaveLength(3);
  });

  it("counts a call re-emitted with grown numbers once, with its last numbers", () => {
    const report = aggregateUsage(
      [record({ dedupKey: "m1", outputTokens: 1 }), record({ dedupKey: "m1", outputTokens: 40 })],
      { groupBy: "day", timezone: "UTC" },
    );
    expect(report.totals.outputTokens).toBe(40);
    expect(report.totals.calls).toBe(1);
  });

  it("accepts both date spellings and refuses others", () => {
    expect(parseDateOption("20261120", "since")).toBe("2026-11-20");
    expect(parseDateOption("2026-11-20", "since")).toBe("2026-11-20");
    expect(() => parseDateOption("last week", "since")).toThrow(/--since must be a date/);
    for (const missing of ["2026-13-01", "2026-02-30", "2026-00-10", "20261132"])
      expect(() => parseDateOption(missing, "until")).toThrow(/--until must be a date/);
    expect(parseDateOption("2028-02-29", "since")).toBe("2028-02-29");
  });
});
