import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listLogRecords } from "./stub-model/otlp-sink";
import { type StubModel, startStubModel } from "./stub-model/server";

/** The stub alone, without agents: what it streams and what its ledger keeps. */
describe("stub model", () => {
  let stub: StubModel;
  beforeEach(async () => {
    stub = await startStubModel();
  });
  afterEach(async () => {
    await stub.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stub.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  /** The `data:` payloads of an SSE body, in order. */
  const readEvents = async (response: Response) =>
    (await response.text())
      .split(/\r?\n\r?\n/)
      .map((block) =>
        block
          .split(/\r?\n/)
          .find((line) => line.startsWith("data: "))
          ?.slice(6),
      )
      .filter((data): data is string => data !== undefined);

  it("answers HEAD / (Claude Code's probe)", async () => {
    expect((await fetch(stub.url, { method: "HEAD" })).status).toBe(200);
  });

  it("streams an Anthropic tool call with its usage in message_start and message_delta, and a request-id", async () => {
    const response = await post("/v1/messages?beta=true", {
      model: "claude-test",
      stream: true,
      tools: [{ name: "Glob" }],
      messages: [
        { role: "user", content: [{ type: "text", text: "TOOLCALL please CONV_X" }] },
        { role: "system", content: "agent types" },
      ],
    });
    expect(response.headers.get("request-id")).toMatch(/^req_stub_/);
    const events = (await readEvents(response)).map((data) => JSON.parse(data));
    expect(events.map((event) => event.type)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[4].content_block).toMatchObject({ type: "tool_use", name: "Glob" });
    const [call] = stub.ledger.calls;
    expect(call).toMatchObject({
      api: "anthropic",
      model: "claude-test",
      conversation: "X",
      answer: "tool",
      tool: "Glob",
    });
    expect(events[7].usage).toEqual({
      input_tokens: call!.usage.input,
      cache_creation_input_tokens: call!.usage.cacheWrite,
      cache_read_input_tokens: call!.usage.cacheRead,
      output_tokens: call!.usage.output,
    });
  });

  it("answers a tool result with a final text, and gives every call distinct usage", async () => {
    await post("/v1/messages", { model: "m", messages: [{ role: "user", content: "hi CONV_Y" }] });
    await post("/v1/messages", {
      model: "m",
      messages: [
        { role: "user", content: "TOOLCALL CONV_Y" },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "a.txt" }] },
      ],
    });
    const [first, second] = stub.ledger.calls;
    expect(second!.answer).toBe("text");
    expect(second!.usage.input).not.toBe(first!.usage.input);
    expect(second!.usage.output).not.toBe(first!.usage.output);
  });

  it("ends a Chat Completions stream with a usage chunk (no choices) and [DONE]; the prompt includes cached tokens", async () => {
    const response = await post("/v1/chat/completions", {
      model: "stub-model",
      stream: true,
      messages: [{ role: "user", content: "say hi CONV_Z" }],
    });
    const events = await readEvents(response);
    expect(events.at(-1)).toBe("[DONE]");
    const usageChunk = JSON.parse(events.at(-2)!);
    const [call] = stub.ledger.calls;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({
      prompt_tokens: call!.usage.input,
      completion_tokens: call!.usage.output,
      prompt_tokens_details: { cached_tokens: call!.usage.cacheRead },
      completion_tokens_details: { reasoning_tokens: call!.usage.reasoning },
    });
  });

  it("marks OpenCode's title call apart from the conversation's own calls", async () => {
    await post("/v1/chat/completions", {
      model: "stub-model",
      messages: [
        { role: "system", content: "You are a title generator." },
        { role: "user", content: "say hi CONV_T" },
      ],
    });
    expect(stub.ledger.calls[0]).toMatchObject({ purpose: "title", conversation: "T" });
  });

  it("streams a Responses API function call and ends with response.completed carrying the usage", async () => {
    const response = await post("/v1/responses", {
      model: "gpt-test",
      stream: true,
      tools: [{ type: "function", name: "exec_command" }],
      input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "TOOLCALL CONV_R" }] }],
    });
    const events = (await readEvents(response)).map((data) => JSON.parse(data));
    expect(events[0].type).toBe("response.created");
    const completed = events.at(-1);
    expect(completed.type).toBe("response.completed");
    expect(completed.response.output[0]).toMatchObject({ type: "function_call", name: "exec_command" });
    const [call] = stub.ledger.calls;
    expect(completed.response.usage).toMatchObject({
      input_tokens: call!.usage.input,
      input_tokens_details: { cached_tokens: call!.usage.cacheRead },
      output_tokens: call!.usage.output,
      output_tokens_details: { reasoning_tokens: call!.usage.reasoning },
    });
  });

  it("streams Gemini with prompt-only usage first, and answers a schema request as a router call", async () => {
    const response = await post("/v1beta/models/gemini-test:streamGenerateContent?alt=sse", {
      contents: [{ role: "user", parts: [{ text: "say hi CONV_G" }] }],
    });
    const chunks = (await readEvents(response)).map((data) => JSON.parse(data));
    expect(chunks[0].usageMetadata.candidatesTokenCount).toBeUndefined();
    expect(chunks.at(-1).usageMetadata.thoughtsTokenCount).toBe(stub.ledger.calls[0]!.usage.reasoning);
    const router = await post("/v1beta/models/gemini-lite:generateContent", {
      contents: [{ role: "user", parts: [{ text: "say hi CONV_G" }] }],
      generationConfig: {
        responseMimeType: "application/json",
        responseJsonSchema: {
          type: "object",
          properties: { reasoning: { type: "string" }, score: { type: "integer" } },
        },
      },
    });
    const answer = JSON.parse((await router.json()).candidates[0].content.parts[0].text);
    expect(answer).toEqual({ reasoning: "stub", score: 1 });
    expect(stub.ledger.calls.map((call) => call.purpose)).toEqual(["main", "router"]);
  });

  it("keeps OTLP/HTTP JSON exports, gzip included", async () => {
    const logs = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  body: { stringValue: "api_request" },
                  attributes: [{ key: "input_tokens", value: { intValue: "7" } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await fetch(`${stub.url}/v1/logs`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify(logs)),
    });
    expect(response.status).toBe(200);
    expect(listLogRecords(stub.otlp)).toEqual([{ body: "api_request", attributes: { input_tokens: 7 } }]);
  });

  it("lists what it did not know instead of answering it silently", async () => {
    expect((await post("/v1/unknown", {})).status).toBe(404);
    expect(stub.ledger.unknown).toEqual(["POST /v1/unknown"]);
    expect(stub.ledger.calls).toEqual([]);
  });
});
