import { describe, expect, it } from "vitest";
import { describeZodError, findFutureTimestamp, leaderboardQuerySchema, sessionInputSchema } from "../src/index";

const valid = {
  toolType: "claude-code",
  sessionId: "sess_abc123",
  startedAt: "2026-02-11T09:00:00.000Z",
  endedAt: "2026-02-11T09:30:00.000Z",
  inputTokens: 15000,
  outputTokens: 8000,
  cacheCreationTokens: 2000,
  cacheReadTokens: 5000,
  modelName: "claude-sonnet-4-20250514",
  anonymousProjectId: "proj_abc123",
};

function fieldsOf(input: unknown): Record<string, string> {
  const result = sessionInputSchema.safeParse(input);
  if (result.success) return {};
  return describeZodError(result.error);
}

describe("sessionInputSchema", () => {
  it("accepts the seed's example and defaults cache tokens to 0", () => {
    const { cacheCreationTokens, cacheReadTokens, ...minimal } = valid;
    const parsed = sessionInputSchema.parse(minimal);
    expect(parsed.cacheCreationTokens).toBe(0);
    expect(parsed.cacheReadTokens).toBe(0);
    expect(sessionInputSchema.parse(valid).inputTokens).toBe(15000);
  });

  it("ignores unknown fields such as the legacy sessionHash", () => {
    const parsed = sessionInputSchema.parse({ ...valid, sessionHash: "x" });
    expect("sessionHash" in parsed).toBe(false);
  });

  it.each([
    [{ toolType: "vim" }, "toolType"],
    [{ sessionId: "" }, "sessionId"],
    [{ sessionId: "has space" }, "sessionId"],
    [{ endedAt: "yesterday" }, "endedAt"],
    [{ endedAt: undefined }, "endedAt"],
    [{ inputTokens: -1 }, "inputTokens"],
    [{ outputTokens: 1.5 }, "outputTokens"],
    [{ inputTokens: "12" }, "inputTokens"],
    [{ cacheReadTokens: 1e11 }, "cacheReadTokens"],
    [{ startedAt: "2026-02-11T10:00:00.000Z" }, "startedAt"],
    [{ toolUsage: { Read: -1 } }, "toolUsage.Read"],
    [{ codeMetrics: { linesAdded: "many" } }, "codeMetrics.linesAdded"],
    [{ modelName: "x".repeat(200) }, "modelName"],
  ])("names the bad field in %j", (patch, field) => {
    expect(Object.keys(fieldsOf({ ...valid, ...patch }))).toContain(field);
  });

  it("never lets a prototype key through", () => {
    const body = JSON.parse(`{"toolUsage": {"__proto__": {"polluted": 1}, "constructor": 2, "Read": 3}}`);
    const result = sessionInputSchema.safeParse({ ...valid, ...body });
    if (result.success) {
      expect(Object.keys(result.data.toolUsage ?? {})).toEqual(["Read"]);
      expect(Object.getPrototypeOf(result.data.toolUsage)).toBe(Object.prototype);
    } else {
      expect(Object.keys(describeZodError(result.error)).some((key) => key.startsWith("toolUsage"))).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("findFutureTimestamp", () => {
  const now = new Date("2026-02-11T09:30:00.000Z");
  it("allows 10 minutes of skew and no more", () => {
    expect(findFutureTimestamp({ endedAt: "2026-02-11T09:40:00.000Z" }, now)).toBeNull();
    expect(findFutureTimestamp({ endedAt: "2026-02-11T09:40:01.000Z" }, now)).toMatch(/future/);
  });
});

describe("leaderboardQuerySchema", () => {
  it("defaults and coerces the query string", () => {
    expect(leaderboardQuerySchema.parse({})).toEqual({ period: "weekly", limit: 50, offset: 0 });
    expect(leaderboardQuerySchema.parse({ period: "all_time", limit: "10", offset: "20" })).toEqual({
      period: "all_time",
      limit: 10,
      offset: 20,
    });
  });
  it("refuses out-of-range values", () => {
    expect(leaderboardQuerySchema.safeParse({ limit: "101" }).success).toBe(false);
    expect(leaderboardQuerySchema.safeParse({ period: "yearly" }).success).toBe(false);
  });
});
