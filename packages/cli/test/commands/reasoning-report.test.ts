import type { ToolType } from "@modu-arena/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli";
import type { Collector, UsageRecord } from "../../src/collectors/index";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";
import { createTestRuntime } from "../helpers/test-runtime";

/** A collector with fixed records; `undated` is what it reports as dated from a neighbour (absent when undefined). */
function collectorOf(tool: ToolType, records: Array<Partial<UsageRecord>>, undated?: number): Collector<object> {
  return {
    tool,
    detect: () => true,
    collect: async () => ({
      sessions: [
        {
          toolType: tool,
          sessionId: `${tool}-1`,
          endedAt: "2026-11-20T10:00:00.000Z",
          inputTokens: 1,
          outputTokens: 1,
        },
      ],
      records: records.map((record, index) => ({
        tool,
        sessionId: `${tool}-1`,
        timestamp: Date.parse("2026-11-20T10:00:00.000Z") + index,
        model: "m",
        inputTokens: 100,
        outputTokens: 50,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        ...record,
      })),
      state: {},
      malformedLines: 0,
      filesRead: 1,
      ...(undated === undefined ? {} : { undatedRecords: undated }),
    }),
  };
}

const collectors = () => [
  collectorOf("codex", [{ reasoningTokens: 30 }, { reasoningTokens: 20, outputTokens: 40 }], 3),
  // A collector that knows no reasoning and reports no undated count: both count as 0.
  collectorOf("crush", [{}]),
];

let home = "";
beforeAll(() => {
  home = createTempHome();
});
afterAll(() => removeTempHome(home));

describe("reasoning tokens and undated records in the local reports", () => {
  it("stats --json gives reasoning per row and in the totals, and the undated records of every tool", async () => {
    for (const by of ["day", "model", "tool", "session"]) {
      const runtime = createTestRuntime(home);
      expect(
        await run(["stats", "--json", "--by", by, "--timezone", "UTC"], runtime, { collectors: collectors() }),
      ).toBe(0);
      const report = JSON.parse(runtime.stdoutText());
      expect(report.totals).toMatchObject({ outputTokens: 140, reasoningTokens: 50, totalTokens: 440 });
      expect(report.undatedRecords).toBe(3);
      if (by === "tool") {
        expect(
          report.rows.map((row: { key: string; reasoningTokens: number }) => [row.key, row.reasoningTokens]),
        ).toEqual([
          ["codex", 50],
          ["crush", 0],
        ]);
      }
    }
  });

  it("stats prints a reasoning column", async () => {
    const runtime = createTestRuntime(home);
    expect(await run(["stats", "--by", "tool", "--timezone", "UTC"], runtime, { collectors: collectors() })).toBe(0);
    const [header, codex] = runtime.stdoutText().split("\n");
    expect(header).toMatch(/tool\s+input\s+output\s+reasoning\s+cache write/);
    expect(codex).toMatch(/codex\s+200\s+90\s+50\s/);
  });

  it("sync --dry-run --json counts the undated records of every tool", async () => {
    const runtime = createTestRuntime(home);
    expect(await run(["sync", "--dry-run", "--json"], runtime, { collectors: collectors() })).toBe(0);
    const preview = JSON.parse(runtime.stdoutText());
    expect(preview.undatedRecords).toBe(3);
    expect(preview.payloads).toHaveLength(2);
  });
});
