import { describe, expect, it } from "vitest";
import { defineAgentSuite, saveOtelFixture } from "./agent-suite";
import { AGENTS } from "./agents";
import { runGemini } from "./run-gemini";
import { listLogRecords } from "./stub-model/otlp-sink";

describe(`Gemini CLI ${AGENTS.gemini.version} on the stub model`, () => {
  const suite = defineAgentSuite({
    spec: AGENTS.gemini,
    tool: "gemini",
    run: runGemini,
    // Each prompt first goes to the model router (a JSON answer, not in the chat files). A: router + reply.
    // B: router + glob + answer, then `--resume latest`: router + reply.
    expectedCalls: { A: 2, B: 5 },
  });

  it("its OTel export has one api_response event per call, the router's included, with the served numbers", (test) => {
    const { stub } = suite.use((note) => test.skip(note));
    saveOtelFixture("gemini", stub.otlp);
    const responses = listLogRecords(stub.otlp).filter(
      (record) => record.attributes["event.name"] === "gemini_cli.api_response",
    );
    const fromOtel = responses.map((record) => [
      Number(record.attributes.input_token_count),
      Number(record.attributes.cached_content_token_count),
      Number(record.attributes.output_token_count),
      Number(record.attributes.thoughts_token_count),
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
