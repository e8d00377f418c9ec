import type { LedgerEntry } from "./stub-model/script";

/** One session's usage as our collectors should report it, worked out from what the stub served. */
export interface ExpectedSession {
  conversation: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  reasoningTokens: number;
  /** The model with the most tokens. */
  modelName: string;
  /** Prompts typed into the conversation (a continued session's prompt included, a sub-agent's not). */
  turnCount: number;
  toolUsage: Record<string, number>;
}

/**
 * One call normalised as in TOOL-LOG-FORMATS.md §0.1: input without cached tokens, output with reasoning.
 * Anthropic serves input uncached already; OpenAI's prompt includes the cached part; Gemini's candidates
 * exclude the thoughts.
 */
export function normaliseCall(
  call: LedgerEntry,
): [input: number, output: number, cacheWrite: number, cacheRead: number] {
  const { usage } = call;
  switch (call.api) {
    case "anthropic":
      return [usage.input, usage.output, usage.cacheWrite, usage.cacheRead];
    case "responses":
    case "chat":
      return [usage.input - usage.cacheRead, usage.output, 0, usage.cacheRead];
    case "gemini":
      return [usage.input - usage.cacheRead, usage.output + usage.reasoning, 0, usage.cacheRead];
    default: {
      const unknown: never = call.api;
      throw new Error(`unknown api ${String(unknown)}`);
    }
  }
}

/** The agent's own calls (no router or title calls, which agents do not store), per conversation. */
export function getExpectedSessions(calls: readonly LedgerEntry[]): ExpectedSession[] {
  const byConversation = new Map<string, LedgerEntry[]>();
  for (const call of calls) {
    if (call.purpose !== "main") continue;
    const key = call.conversation ?? "untagged";
    byConversation.set(key, [...(byConversation.get(key) ?? []), call]);
  }
  return [...byConversation].map(([conversation, served]) => {
    const tokens = [0, 0, 0, 0];
    const perModel = new Map<string, number>();
    const toolUsage: Record<string, number> = {};
    let reasoningTokens = 0;
    for (const call of served) {
      const normalised = normaliseCall(call);
      normalised.forEach((value, index) => {
        tokens[index]! += value;
      });
      reasoningTokens += call.usage.reasoning;
      const sum = normalised.reduce((a, b) => a + b, 0);
      perModel.set(call.model, (perModel.get(call.model) ?? 0) + sum);
      if (call.tool) toolUsage[call.tool] = (toolUsage[call.tool] ?? 0) + 1;
    }
    const [inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens] = tokens as [
      number,
      number,
      number,
      number,
    ];
    const modelName = [...perModel].sort((a, b) => b[1] - a[1])[0]![0];
    return {
      conversation,
      calls: served.length,
      inputTokens,
      outputTokens,
      cacheCreationTokens,
      cacheReadTokens,
      totalTokens: inputTokens + outputTokens + cacheCreationTokens + cacheReadTokens,
      reasoningTokens,
      modelName,
      // The prompts each carry their own tag; a sub-agent's prompt repeats its parent's.
      turnCount: new Set(served.map((call) => call.turn).filter((turn) => turn !== null)).size,
      toolUsage,
    };
  });
}
