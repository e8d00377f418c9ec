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

  it("keeps only times the API can take as a date: 1970 to the end of 9999", () => {
    const lastOf9999 = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    expect(isUsableTime(lastOf9999)).toBe(true);
    expect(new Date(lastOf9999).toISOString()).toBe("9999-12-31T23:59:59.999Z");
    expect(isUsableTime(lastOf9999 + 1)).toBe(false);
    expect(parseTimeValue(lastOf9999 + 1)).toBeNaN();
  });

  it("tells epoch seconds from milliseconds at 1e11 (seconds up to the year 5138, milliseconds from 1973)", () => {
    expect(parseTimeValue(99_999_999_999)).toBe(99_999_999_999_000);
    expect(parseTimeValue(100_000_000_000)).toBe(100_000_000_000);
  });
});
