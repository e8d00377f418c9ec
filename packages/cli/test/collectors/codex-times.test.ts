import { describe, expect, it } from "vitest";
import { isUsableTime, parseTimeValue } from "../../src/collectors/timestamps";

const MS = Date.parse("2026-03-02T09:01:00.000Z");

describe("record times from any writer (parseTimeValue)", () => {
  it("reads ISO strings and epoch numbers, seconds or milliseconds by magnitude", () => {
    expect(parseTimeValue("2026-03-02T09:01:00.000Z")).toBe(MS);
    expect(parseTimeValue("2026-03-02T09:01:00Z")).toBe(MS);
    expect(parseTimeValue(MS / 1000)).toBe(MS);
    expect(parseTimeValue(MS / 1000 + 0.25)).toBe(MS + 250);
    expect(parseTimeValue(MS)).toBe(MS);
  });

  it("gives NaN for no usable time: missing, not a date, before 1970, beyond a Date", () => {
    for (const value of [undefined, null, "", "garbage", "NaN", true, {}, [], -1, 0, -MS, 1e300, Number.NaN])
      expect(parseTimeValue(value)).toBeNaN();
    expect(parseTimeValue(Number.POSITIVE_INFINITY)).toBeNaN();
    expect(parseTimeValue("1969-12-31T23:59:59.000Z")).toBeNaN();
  });

  it("keeps only times a Date can print", () => {
    expect(isUsableTime(8.64e15)).toBe(true);
    expect(isUsableTime(8.64e15 + 1)).toBe(false);
    expect(() => new Date(8.64e15).toISOString()).not.toThrow();
  });
});
