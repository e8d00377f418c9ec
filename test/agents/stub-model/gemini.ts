import type { ServerResponse } from "node:http";
import {
  chooseAnswer,
  fillSchema,
  findTags,
  type Ledger,
  makeUsage,
  pickTool,
  type StubAnswer,
  type TurnView,
} from "./script";

interface GeminiPart {
  text?: string;
  thought?: boolean;
  functionCall?: unknown;
  functionResponse?: unknown;
}

interface GeminiRequest {
  contents?: { role?: string; parts?: GeminiPart[] }[];
  generationConfig?: { responseSchema?: unknown; responseJsonSchema?: unknown; responseMimeType?: string };
  tools?: { functionDeclarations?: { name?: string }[] }[];
}

function viewTurn(request: GeminiRequest): TurnView {
  const contents = request.contents ?? [];
  const last = contents.at(-1);
  const lastParts = last?.role === "user" || last?.role === undefined ? (last?.parts ?? []) : [];
  return {
    latestUserText: lastParts.map((part) => part.text ?? "").join("\n"),
    endsWithToolResult: lastParts.some((part) => part.functionResponse !== undefined),
    allText: contents
      .filter((content) => content.role !== "model")
      .flatMap((content) => (content.parts ?? []).map((part) => part.text ?? ""))
      .join("\n"),
    toolNames: (request.tools ?? []).flatMap((tool) => (tool.functionDeclarations ?? []).map((fn) => fn.name ?? "")),
  };
}

/**
 * `POST …/models/<model>:generateContent` or `:streamGenerateContent?alt=sse`. A request for a JSON answer
 * (Gemini CLI's model router, next-speaker checks) gets an object fitting its schema and counts as a router call.
 */
export function answerGemini(
  ledger: Ledger,
  model: string,
  streamed: boolean,
  request: GeminiRequest,
  response: ServerResponse,
): void {
  const view = viewTurn(request);
  const schema = request.generationConfig?.responseJsonSchema ?? request.generationConfig?.responseSchema;
  const wantsJson = schema !== undefined || request.generationConfig?.responseMimeType === "application/json";
  const answer: StubAnswer = wantsJson
    ? { kind: "json", text: JSON.stringify(fillSchema(schema)) }
    : chooseAnswer(view, {
        toolCall: () => ({ kind: "tool", text: "", tool: pickTool(view, ["glob"]), input: { pattern: "*.txt" } }),
        subAgent: () => ({ kind: "text", text: "No sub-agents here." }),
      });
  const seq = ledger.nextSeq();
  const usage = makeUsage("gemini", seq);
  const tags = findTags(view.allText);
  ledger.record({
    seq,
    api: "gemini",
    model,
    purpose: wantsJson ? "router" : "main",
    conversation: tags[0] ?? null,
    turn: findTags(view.latestUserText).at(-1) ?? null,
    answer: answer.kind,
    ...(answer.kind === "tool" ? { tool: answer.tool } : {}),
    usage,
    streamed,
  });
  const parts: Record<string, unknown>[] =
    answer.kind === "tool" ? [{ functionCall: { name: answer.tool, args: answer.input } }] : [{ text: answer.text }];
  const fullUsage = {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output,
    cachedContentTokenCount: usage.cacheRead,
    thoughtsTokenCount: usage.reasoning,
    totalTokenCount: usage.input + usage.output + usage.reasoning,
  };
  const responseId = `stub-${Date.now().toString(36)}-${seq}`;
  const candidate = (finished: boolean, chunkParts: Record<string, unknown>[]) => ({
    content: { role: "model", parts: chunkParts },
    ...(finished ? { finishReason: "STOP" } : {}),
    index: 0,
  });
  if (!streamed) {
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({
        candidates: [candidate(true, parts)],
        usageMetadata: fullUsage,
        modelVersion: model,
        responseId,
      }),
    );
    return;
  }
  // As the real API streams: the first chunk's usage has the prompt only, the last one is complete.
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (body: Record<string, unknown>) => response.write(`data: ${JSON.stringify(body)}\r\n\r\n`);
  send({
    candidates: [candidate(false, parts)],
    usageMetadata: {
      promptTokenCount: usage.input,
      cachedContentTokenCount: usage.cacheRead,
      totalTokenCount: usage.input,
    },
    modelVersion: model,
    responseId,
  });
  send({ candidates: [candidate(true, [{ text: "" }])], usageMetadata: fullUsage, modelVersion: model, responseId });
  response.end();
}

/** `:countTokens`: an estimate, not a billed call (not in the ledger). */
export function answerGeminiCountTokens(request: GeminiRequest, response: ServerResponse): void {
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify({ totalTokens: 100 + JSON.stringify(request.contents ?? []).length }));
}
