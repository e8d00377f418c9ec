import { describe, expect, it } from "vitest";
import { PROJECT, SID, tokensOf, useClaudeFixture } from "../fixtures/claude-home";
import { realClaudeSession, realClaudeTotals } from "../fixtures/claude-records";
import { toJsonl, writeText } from "../fixtures/fixture-home";

const { fixture, collect, transcript } = useClaudeFixture();

describe("claude-code collector on Claude Code 2.1.197 transcripts", () => {
  it("counts each call once: split replies, a continued turn, a sub-agent and its usage copy", async () => {
    const { main, subagent } = realClaudeSession(SID, "2026-12-07T23:06:30.000Z");
    writeText(transcript(SID), toJsonl(main));
    writeText(
      fixture.path(".claude", "projects", PROJECT, SID, "subagents", "agent-a4f5e4c3fbb4412e2.jsonl"),
      toJsonl(subagent),
    );
    const result = await collect();
    expect(result.sessions).toHaveLength(1);
    const session = result.sessions[0]!;
    expect(tokensOf(session)).toEqual([
      realClaudeTotals.input,
      realClaudeTotals.output,
      realClaudeTotals.cacheWrite,
      realClaudeTotals.cacheRead,
    ]);
    expect(session).toMatchObject({ turnCount: realClaudeTotals.turns, toolUsage: { Glob: 1, Agent: 1 } });
    expect(session.reasoningTokens).toBeUndefined();
    expect(result.records).toHaveLength(realClaudeTotals.calls);
    expect(result.records.every((record) => record.reasoningTokens === 0)).toBe(true);
  });
});
