/**
 * What the stub model answers, and the ledger of every call it served. The answer depends only on the
 * latest user turn: a tool result gets a final answer, a prompt with TOOLCALL gets one tool call, a prompt
 * with SUBAGENT gets a call of the agent's sub-agent tool, anything else a plain text reply.
 */

export type StubApi = "anthropic" | "responses" | "chat" | "gemini";

/** Why a call was made: the agent's own turn, or a side call that agents do not store (router, title). */
export type CallPurpose = "main" | "router" | "title";

/** Usage as the stub served it, in the API's own convention (see the `api` of its call). */
export interface ServedUsage {
  /** Anthropic: uncached input; OpenAI and Gemini: the whole prompt, cached part included. */
  input: number;
  /** Anthropic only: tokens written to the prompt cache. */
  cacheWrite: number;
  cacheRead: number;
  /** Anthropic and OpenAI: output with reasoning included; Gemini: candidates only, thoughts apart. */
  output: number;
  reasoning: number;
}

export interface LedgerEntry {
  seq: number;
  api: StubApi;
  model: string;
  purpose: CallPurpose;
  /** The first conversation tag (`CONV_<name>`) of the request: the prompt that opened the conversation. */
  conversation: string | null;
  /** The last tag of the latest user turn (a continued conversation's new prompt has its own). */
  turn: string | null;
  answer: StubAnswer["kind"];
  /** The tool the answer called, if any. */
  tool?: string;
  usage: ServedUsage;
  streamed: boolean;
}

export type StubAnswer =
  | { kind: "text"; text: string }
  | { kind: "tool"; text: string; tool: string; input: Record<string, unknown> }
  | { kind: "json"; text: string };

const CONVERSATION_TAG = /\bCONV_([A-Za-z0-9]+)/g;

/** All conversation tags in a text, in order. */
export function findTags(text: string): string[] {
  return [...text.matchAll(CONVERSATION_TAG)].map((match) => match[1]!);
}

/** Distinct numbers per call, so that a call counted twice, dropped or mixed with another shows at once. */
export function makeUsage(api: StubApi, seq: number): ServedUsage {
  const reasoning = api === "anthropic" ? 0 : 5 + seq;
  return {
    input: (api === "anthropic" ? 1000 : 1500) + 11 * seq,
    cacheWrite: api === "anthropic" ? 300 + 7 * seq : 0,
    cacheRead: 500 + 3 * seq,
    output: 20 + 2 * seq + (api === "gemini" ? 0 : reasoning),
    reasoning,
  };
}

export interface TurnView {
  /** Text of the latest user message (empty when it carries only tool results). */
  latestUserText: string;
  /** True when the latest user turn returns a tool result: the model owes its final answer. */
  endsWithToolResult: boolean;
  /** Every text of the request, in order, for the conversation tag. */
  allText: string;
  /** Names of the tools the agent offered. */
  toolNames: string[];
}

/** The sub-agent's prompt: carries the conversation tag, never SUBAGENT itself (it would recurse). */
export function makeDelegatedPrompt(tag: string | undefined): string {
  return `Reply with one short sentence. CONV_${tag ?? "unknown"}`;
}

export function chooseAnswer(view: TurnView, choose: { toolCall: () => StubAnswer; subAgent: () => StubAnswer }) {
  if (view.endsWithToolResult) return { kind: "text", text: "Done: the tool ran." } satisfies StubAnswer;
  if (view.latestUserText.includes("SUBAGENT")) return choose.subAgent();
  if (view.latestUserText.includes("TOOLCALL")) return choose.toolCall();
  return { kind: "text", text: "Hi! This is the stub model." } satisfies StubAnswer;
}

/** The first of `wanted` that the agent offers, else the first wanted name. */
export function pickTool(view: TurnView, wanted: string[]): string {
  return wanted.find((name) => view.toolNames.includes(name)) ?? wanted[0]!;
}

export class Ledger {
  readonly calls: LedgerEntry[] = [];
  /** Requests the stub did not know (path and method), to tell an agent's new endpoint from a silent skip. */
  readonly unknown: string[] = [];
  private seq = 0;

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  record(entry: LedgerEntry): void {
    this.calls.push(entry);
  }
}

/** Builds a JSON value that fits a (Gemini or JSON) schema: the router's and next-speaker checks' answers. */
export function fillSchema(schema: unknown, key = ""): unknown {
  if (!schema || typeof schema !== "object") return "stub";
  const node = schema as Record<string, unknown>;
  const type = String(node.type ?? (node.properties ? "object" : "string")).toLowerCase();
  if (Array.isArray(node.enum) && node.enum.length > 0) {
    // A next-speaker check answering "model" would make the agent talk on by itself.
    return node.enum.includes("user") ? "user" : node.enum[0];
  }
  switch (type) {
    case "object": {
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, fillSchema(value, name)]));
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return false;
    default:
      return key === "next_speaker" ? "user" : "stub";
  }
}
