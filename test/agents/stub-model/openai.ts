import type { ServerResponse } from "node:http";
import {
  type CallPurpose,
  chooseAnswer,
  findTags,
  type Ledger,
  makeUsage,
  pickTool,
  type StubAnswer,
  type TurnView,
} from "./script";

interface ResponsesItem {
  type?: string;
  role?: string;
  content?: string | { type?: string; text?: string }[];
}

interface ResponsesRequest {
  model?: string;
  stream?: boolean;
  input?: string | ResponsesItem[];
  tools?: { type?: string; name?: string }[];
}

function textOf(content: ResponsesItem["content"]): string {
  return typeof content === "string" ? content : (content ?? []).map((part) => part.text ?? "").join("\n");
}

function viewResponsesTurn(request: ResponsesRequest): TurnView {
  const items: ResponsesItem[] =
    typeof request.input === "string"
      ? [{ type: "message", role: "user", content: request.input }]
      : (request.input ?? []);
  const last = items.at(-1);
  const userTexts = items.filter((item) => item.role === "user").map((item) => textOf(item.content));
  return {
    latestUserText: last?.role === "user" ? textOf(last.content) : "",
    endsWithToolResult: last?.type === "function_call_output" || last?.type === "custom_tool_call_output",
    allText: userTexts.join("\n"),
    toolNames: (request.tools ?? []).map((tool) => tool.name ?? tool.type ?? ""),
  };
}

function makeId(prefix: string, seq: number): string {
  return `${prefix}_stub_${Date.now().toString(36)}${seq.toString(36).padStart(4, "0")}`;
}

function recordCall(
  ledger: Ledger,
  api: "responses" | "chat",
  model: string,
  view: TurnView,
  answer: StubAnswer,
  streamed: boolean,
  purpose: CallPurpose = "main",
) {
  const seq = ledger.nextSeq();
  const usage = makeUsage(api, seq);
  // Tags are searched in user texts only: a system prompt may quote the working folder's path.
  const tags = findTags(view.allText);
  ledger.record({
    seq,
    api,
    model,
    purpose,
    conversation: tags[0] ?? null,
    turn: findTags(view.latestUserText).at(-1) ?? null,
    answer: answer.kind,
    ...(answer.kind === "tool" ? { tool: answer.tool } : {}),
    usage,
    streamed,
  });
  return { seq, usage };
}

/** `POST /v1/responses` (Codex): SSE from `response.created` to `response.completed` with the usage. */
export function answerResponses(ledger: Ledger, request: ResponsesRequest, response: ServerResponse): void {
  const view = viewResponsesTurn(request);
  const answer = chooseAnswer(view, {
    toolCall: () => {
      const tool = pickTool(view, ["exec_command", "shell", "shell_command"]);
      const input = tool === "shell" ? { command: ["echo", "stub-tool-ran"] } : { cmd: "echo stub-tool-ran" };
      return { kind: "tool", text: "", tool, input };
    },
    subAgent: () => ({ kind: "text", text: "No sub-agents here." }),
  });
  const model = request.model ?? "unknown";
  const { seq, usage } = recordCall(ledger, "responses", model, view, answer, request.stream !== false);
  const responseId = makeId("resp", seq);
  const output: Record<string, unknown>[] = [];
  if (answer.kind === "tool") {
    output.push({
      type: "function_call",
      id: makeId("fc", seq),
      call_id: makeId("call", seq),
      name: answer.tool,
      arguments: JSON.stringify(answer.input),
      status: "completed",
    });
  } else {
    output.push({
      type: "message",
      id: makeId("msg", seq),
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: answer.text, annotations: [] }],
    });
  }
  const base = { id: responseId, object: "response", created_at: Math.floor(Date.now() / 1000), model };
  const completed = {
    ...base,
    status: "completed",
    output,
    usage: {
      input_tokens: usage.input,
      input_tokens_details: { cached_tokens: usage.cacheRead },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: usage.reasoning },
      total_tokens: usage.input + usage.output,
    },
  };
  if (request.stream === false) {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(completed));
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let sequence = 0;
  const send = (type: string, data: Record<string, unknown>) => {
    response.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  };
  send("response.created", { response: { ...base, status: "in_progress", output: [] } });
  output.forEach((item, index) => {
    send("response.output_item.added", { output_index: index, item: { ...item, status: "in_progress" } });
    if (item.type === "message") {
      send("response.output_text.delta", {
        output_index: index,
        content_index: 0,
        item_id: item.id,
        delta: answer.text,
      });
    }
    send("response.output_item.done", { output_index: index, item });
  });
  send("response.completed", { response: completed });
  response.end();
}

interface ChatMessage {
  role?: string;
  content?: string | { type?: string; text?: string }[] | null;
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  messages?: ChatMessage[];
  tools?: { function?: { name?: string } }[];
}

function chatText(content: ChatMessage["content"]): string {
  return typeof content === "string" ? content : (content ?? []).map((part) => part.text ?? "").join("\n");
}

/** The agent's file-glob tool, whatever its case (OpenCode `glob`, droid `Glob`). */
function findGlobTool(view: TurnView): string {
  return view.toolNames.find((name) => name.toLowerCase() === "glob") ?? pickTool(view, ["glob"]);
}

/** `POST /v1/chat/completions`: streaming ends with a usage chunk (`choices: []`) and `[DONE]`. */
export function answerChat(ledger: Ledger, request: ChatRequest, response: ServerResponse): void {
  const messages = request.messages ?? [];
  const last = messages.at(-1);
  const view: TurnView = {
    latestUserText: last?.role === "user" ? chatText(last.content) : "",
    endsWithToolResult: last?.role === "tool",
    allText: messages
      .filter((message) => message.role === "user")
      .map((message) => chatText(message.content))
      .join("\n"),
    toolNames: (request.tools ?? []).map((tool) => tool.function?.name ?? ""),
  };
  const system = messages
    .filter((message) => message.role === "system")
    .map((message) => chatText(message.content))
    .join("\n");
  const isTitle = /title generator/i.test(system);
  const answer: StubAnswer = isTitle
    ? { kind: "text", text: "Stub title" }
    : chooseAnswer(view, {
        toolCall: () => ({ kind: "tool", text: "", tool: findGlobTool(view), input: { pattern: "*.txt" } }),
        subAgent: () => ({ kind: "text", text: "No sub-agents here." }),
      });
  const model = request.model ?? "unknown";
  const streamed = request.stream === true;
  const { seq, usage } = recordCall(ledger, "chat", model, view, answer, streamed, isTitle ? "title" : "main");
  const id = makeId("chatcmpl", seq);
  const created = Math.floor(Date.now() / 1000);
  const wireUsage = {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead },
    completion_tokens_details: { reasoning_tokens: usage.reasoning },
  };
  const toolCalls =
    answer.kind === "tool"
      ? [
          {
            index: 0,
            id: makeId("call", seq),
            type: "function",
            function: { name: answer.tool, arguments: JSON.stringify(answer.input) },
          },
        ]
      : undefined;
  const finishReason = answer.kind === "tool" ? "tool_calls" : "stop";
  if (!streamed) {
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: answer.text || null, tool_calls: toolCalls },
            finish_reason: finishReason,
          },
        ],
        usage: wireUsage,
      }),
    );
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (choices: unknown[], extra: Record<string, unknown> = {}) => {
    response.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices, ...extra })}\n\n`,
    );
  };
  send([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  if (answer.text) send([{ index: 0, delta: { content: answer.text }, finish_reason: null }]);
  if (toolCalls) send([{ index: 0, delta: { tool_calls: toolCalls }, finish_reason: null }]);
  send([{ index: 0, delta: {}, finish_reason: finishReason }]);
  send([], { usage: wireUsage });
  response.write("data: [DONE]\n\n");
  response.end();
}
