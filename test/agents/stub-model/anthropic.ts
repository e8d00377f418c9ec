import type { ServerResponse } from "node:http";
import {
  chooseAnswer,
  findTags,
  type Ledger,
  makeDelegatedPrompt,
  makeUsage,
  pickTool,
  type StubAnswer,
  type TurnView,
} from "./script";

interface AnthropicBlock {
  type?: string;
  text?: string;
  content?: unknown;
}

interface AnthropicRequest {
  model?: string;
  stream?: boolean;
  messages?: { role?: string; content?: string | AnthropicBlock[] }[];
  tools?: { name?: string }[];
}

function blocksOf(content: string | AnthropicBlock[] | undefined): AnthropicBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : (content ?? []);
}

function viewTurn(request: AnthropicRequest): TurnView {
  // Claude Code 2.1 puts `system` messages after the prompt (agent types, skills): the turn is the last user one.
  const messages = (request.messages ?? []).filter((message) => message.role !== "system");
  const last = messages.at(-1);
  const lastBlocks = last?.role === "user" ? blocksOf(last.content) : [];
  return {
    latestUserText: lastBlocks.map((block) => (block.type === "text" ? (block.text ?? "") : "")).join("\n"),
    endsWithToolResult: lastBlocks.some((block) => block.type === "tool_result"),
    allText: messages
      .flatMap((message) => blocksOf(message.content).map((block) => (block.type === "text" ? block.text : "")))
      .join("\n"),
    toolNames: (request.tools ?? []).map((tool) => tool.name ?? ""),
  };
}

function sendEvent(response: ServerResponse, type: string, data: Record<string, unknown>): void {
  response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

function makeId(prefix: string, seq: number): string {
  return `${prefix}_stub_${Date.now().toString(36)}${seq.toString(36).padStart(4, "0")}`;
}

/** Glob when offered; Claude Code 2.1 offers it only when allowed, else Bash lists the files. */
function globCall(view: TurnView): { tool: string; input: Record<string, unknown> } {
  const tool = pickTool(view, ["Glob", "Bash"]);
  return {
    tool,
    input: tool === "Bash" ? { command: "ls *.txt", description: "List txt files" } : { pattern: "*.txt" },
  };
}

/** `POST /v1/messages`: Claude Code streams always; a non-streaming request gets the whole message. */
export function answerMessages(ledger: Ledger, request: AnthropicRequest, response: ServerResponse): void {
  const view = viewTurn(request);
  const tags = findTags(view.allText);
  const answer: StubAnswer = chooseAnswer(view, {
    toolCall: () => ({ kind: "tool", text: "Let me look.", ...globCall(view) }),
    subAgent: () => ({
      kind: "tool",
      text: "I will ask a helper.",
      tool: pickTool(view, ["Agent", "Task"]),
      input: {
        description: "Say one sentence",
        prompt: makeDelegatedPrompt(tags[0]),
        subagent_type: "general-purpose",
      },
    }),
  });
  const seq = ledger.nextSeq();
  const usage = makeUsage("anthropic", seq);
  const model = request.model ?? "unknown";
  ledger.record({
    seq,
    api: "anthropic",
    model,
    purpose: "main",
    conversation: tags[0] ?? null,
    turn: findTags(view.latestUserText).at(-1) ?? null,
    answer: answer.kind,
    ...(answer.kind === "tool" ? { tool: answer.tool } : {}),
    usage,
    streamed: request.stream === true,
  });
  const wireUsage = {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    output_tokens: usage.output,
  };
  const toolUseId = makeId("toolu", seq);
  const content: Record<string, unknown>[] = [{ type: "text", text: answer.text }];
  if (answer.kind === "tool") content.push({ type: "tool_use", id: toolUseId, name: answer.tool, input: answer.input });
  const stopReason = answer.kind === "tool" ? "tool_use" : "end_turn";
  const message = { id: makeId("msg", seq), type: "message", role: "assistant", model };
  response.setHeader("request-id", makeId("req", seq));
  if (request.stream !== true) {
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({ ...message, content, stop_reason: stopReason, stop_sequence: null, usage: wireUsage }),
    );
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  sendEvent(response, "message_start", {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...wireUsage, output_tokens: 1 },
    },
  });
  content.forEach((block, index) => {
    if (block.type === "text") {
      sendEvent(response, "content_block_start", { index, content_block: { type: "text", text: "" } });
      sendEvent(response, "content_block_delta", { index, delta: { type: "text_delta", text: block.text } });
    } else {
      sendEvent(response, "content_block_start", {
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      sendEvent(response, "content_block_delta", {
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      });
    }
    sendEvent(response, "content_block_stop", { index });
  });
  sendEvent(response, "message_delta", { delta: { stop_reason: stopReason, stop_sequence: null }, usage: wireUsage });
  sendEvent(response, "message_stop", {});
  response.end();
}

/** `POST /v1/messages/count_tokens`: an estimate, not a billed call (not in the ledger). */
export function answerCountTokens(request: AnthropicRequest, response: ServerResponse): void {
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify({ input_tokens: 100 + JSON.stringify(request.messages ?? []).length }));
}
