import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineAgentSuite, saveOtelFixture } from "./agent-suite";
import { AGENTS } from "./agents";
import { getExpectedSessions } from "./expected-usage";
import { getSyncPayloads, toComparablePayloads, toExpectedPayloads } from "./modu-arena-cli";
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
    knownWrong: {
      reasoningTokens:
        "gemini-messages.ts adds tokens.thoughts to output but never to the session's reasoning: payloads carry none (expected A 7, B 31)",
      turnCount:
        "gemini-messages.ts counts every type:user message once per id, so the <session_context> setup message and each functionResponse tool result count as prompts (got A 2, B 5; expected A 1, B 2)",
    },
    checkedApart: ["toolUsage"],
  });

  /** True when `--resume` appended its header to the session's own file (its name has the same minute). */
  const resumedInSameFile = (home: string): boolean => {
    const chats = join(home, ".gemini", "tmp", "project", "chats");
    return readdirSync(chats).some((name) => {
      const text = readFileSync(join(chats, name), "utf8");
      return text.includes("CONV_B2") && text.split("\n").filter((line) => line.includes('"kind":"main"')).length > 1;
    });
  };

  it("tool calls: right when --resume starts a file of its own; KNOWN WRONG ({} instead of {glob: 1}) when it appends to the session's file, whose $set.messages history copies have neither tokens nor toolCalls and replace the reply that had them", async (test) => {
    const { stub, home } = suite.use((note) => test.skip(note));
    const expected = toExpectedPayloads(getExpectedSessions(stub.ledger.calls)).map((row) => row.toolUsage);
    const got = toComparablePayloads(await getSyncPayloads(home.home, "gemini")).map((row) => row.toolUsage);
    if (resumedInSameFile(home.home)) expect(got).toEqual(expected.map((usage) => (usage.glob ? {} : usage)));
    else expect(got).toEqual(expected);
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
