import { describe, expect, it } from "vitest";
import { defineAgentSuite, saveOtelFixture } from "./agent-suite";
import { AGENTS } from "./agents";
import { runClaude } from "./run-claude";
import { listLogRecords } from "./stub-model/otlp-sink";

describe(`Claude Code ${AGENTS.claude.version} on the stub model`, () => {
  const suite = defineAgentSuite({
    spec: AGENTS.claude,
    tool: "claude-code",
    run: runClaude,
    // A: one reply. B: Glob call + answer, then `-c` appends one more. C: Agent call, the sub-agent, the answer.
    expectedCalls: { A: 1, B: 3, C: 3 },
  });

  it("its OTel export has one api_request event per call, with the served numbers", (test) => {
    const { stub } = suite.use((note) => test.skip(note));
    saveOtelFixture("claude-code", stub.otlp);
    const requests = listLogRecords(stub.otlp).filter((record) => record.body === "claude_code.api_request");
    const fromOtel = requests.map((record) => [
      Number(record.attributes.input_tokens),
      Number(record.attributes.output_tokens),
      Number(record.attributes.cache_creation_tokens),
      Number(record.attributes.cache_read_tokens),
    ]);
    const served = stub.ledger.calls.map((call) => [
      call.usage.input,
      call.usage.output,
      call.usage.cacheWrite,
      call.usage.cacheRead,
    ]);
    const byInput = (a: number[], b: number[]) => a[0]! - b[0]!;
    expect(fromOtel.sort(byInput)).toEqual(served.sort(byInput));
  });
});
