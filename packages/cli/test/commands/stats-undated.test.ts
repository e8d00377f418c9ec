import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli";
import { claudeCodeCollector } from "../../src/collectors/claude-code";
import { createFixtureHome, type FixtureHome, toJsonl, writeText } from "../fixtures/fixture-home";
import { createTestRuntime } from "../helpers/test-runtime";

let fixture: FixtureHome;
beforeEach(() => {
  fixture = createFixtureHome();
});
afterEach(() => fixture.remove());

describe("stats on a reply without a timestamp", () => {
  it("reports it on its file's day, says how many were dated so, and exits 0", async () => {
    const line = {
      type: "assistant",
      sessionId: "s1",
      uuid: "u1",
      requestId: "r1",
      message: { id: "m1", model: "claude-sonnet-4-5", usage: { input_tokens: 10, output_tokens: 5 } },
    };
    const mtime = new Date("2026-04-01T12:00:00.000Z");
    writeText(join(fixture.home, ".claude", "projects", "-p", "s1.jsonl"), toJsonl([line]), mtime);
    const runtime = createTestRuntime(fixture.home);
    const code = await run(["stats", "--json", "--timezone", "UTC", "--tool", "claude-code"], runtime, {
      collectors: [claudeCodeCollector],
    });
    expect(runtime.stderrText()).toContain("claude-code: 1 call(s) had no time of their own");
    expect(code).toBe(0);
    const report = JSON.parse(runtime.stdoutText());
    expect(report.rows).toEqual([
      expect.objectContaining({ key: "2026-04-01", calls: 1, inputTokens: 10, reasoningTokens: 0 }),
    ]);
  });
});
