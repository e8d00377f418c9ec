import { describe, expect, it } from "vitest";
import { ApiError, explainError } from "../src/lib/api-client";
import { formatCompact, formatNumber } from "../src/lib/format";
import { leaderboardHref, parseSort } from "../src/lib/leaderboard-url";
import { parsePage, parsePeriod, periodSlug } from "../src/lib/periods";

describe("period and page from the URL", () => {
  it("reads the URL spelling and falls back to weekly", () => {
    expect(parsePeriod("all-time")).toBe("all_time");
    expect(parsePeriod("daily")).toBe("daily");
    expect(parsePeriod(["monthly", "daily"])).toBe("monthly");
    expect(parsePeriod("yearly")).toBe("weekly");
    expect(parsePeriod(undefined)).toBe("weekly");
    expect(periodSlug("all_time")).toBe("all-time");
  });

  it("accepts only sane page numbers", () => {
    expect(parsePage("3")).toBe(3);
    for (const bad of ["0", "-1", "1.5", "abc", "9999999", undefined]) expect(parsePage(bad)).toBe(1);
  });
});

describe("leaderboard sort in the URL", () => {
  it("reads known sorts and falls back to the ranking order", () => {
    expect(parseSort("tokens")).toBe("tokens");
    expect(parseSort(["streak", "tokens"])).toBe("streak");
    for (const bad of ["TOKENS", "rank_position", "tokens;drop", "", undefined]) expect(parseSort(bad)).toBe("score");
  });

  it("keeps period, sort and page together and leaves the default sort out", () => {
    expect(leaderboardHref({ period: "all_time", sort: "score" })).toEqual({
      pathname: "/",
      query: { period: "all-time" },
    });
    expect(leaderboardHref({ period: "daily", sort: "efficiency", page: 3 }).query).toEqual({
      period: "daily",
      sort: "efficiency",
      page: "3",
    });
    expect(leaderboardHref({ period: "weekly", sort: "tokens" }).query).toEqual({ period: "weekly", sort: "tokens" });
    expect(leaderboardHref({ period: "weekly", sort: "score", page: 1 }).query).toEqual({
      period: "weekly",
      page: "1",
    });
  });
});

describe("locale formatting", () => {
  it("formats numbers per locale", () => {
    expect(formatCompact("en", 1_234_567)).toBe("1.2M");
    expect(formatCompact("ko", 1_234_567)).toBe("123.5만");
    expect(formatNumber("de", 1234.5, 1)).toBe("1.234,5");
  });
});

describe("API errors for people", () => {
  const t = (key: string) => `t:${key}`;
  it("translates known codes and keeps the fields", () => {
    expect(explainError(new ApiError("Too many", 429, "rate_limited"), t)).toBe("t:rate_limited");
    expect(explainError(new ApiError("Bad", 400, "invalid_request", { code: "6 digits" }), t)).toBe(
      "t:invalid_request (code: 6 digits)",
    );
  });

  it("falls back to the API's own message", () => {
    expect(explainError(new ApiError("Odd thing", 500, "internal"), t)).toBe("Odd thing");
    expect(explainError(new TypeError("fetch failed"), t)).toBe("t:network");
  });
});
