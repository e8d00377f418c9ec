import { describe, expect, it } from "vitest";
import { defineAgentSuite, saveOtelFixture } from "./agent-suite";
import { AGENTS } from "./agents";
import { runCodex } from "./run-codex";
import { listLogRecords } from "./stub-model/otlp-sink";

describe(`Codex CLI ${AGENTS.codex.version} on the stub model`, () => {
  const suite = defineAgentSuite({
    spec: AGENTS.codex,
    tool: "codex",
    run: runCodex,
    // A: one reply. B: exec_command + answer, then `exec resume --last` adds one more to the same rollout.
    expectedCalls: { A: 1, B: 3 },
  });

  it("its OTel export has one response.completed sse_event with usage per call, with the served numbers", (test) => {
    const { stub } = suite.use((note) => test.skip(note));
    saveOtelFixture("codex", stub.otlp);
    const completed = listLogRecords(stub.otlp).filter(
      (record) =>
        record.attributes["event.name"] === "codex.sse_event" &&
        record.attributes["event.kind"] === "response.completed" &&
        record.attributes.input_token_count !== undefined,
    );
    const fromOtel = completed.map((record) => [
      Number(record.attributes.input_token_count),
      Number(record.attributes.cached_token_count),
      Number(record.attributes.output_token_count),
      Number(record.attributes.reasoning_token_count),
    ]);
    const served = stub.ledger.calls.map((call) => [
      call.usage.input,
      call.usage.cacheRead,
      call.usage.output,
      call.usage.reasoning,
    ]);
    const byInput = (a: number[], b: number[]) => a[0]! - b[0]!;
    expect(fromOtel.sort(byInput)).toEqual(served.sort(byInput));
  });
});
