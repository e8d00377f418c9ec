import type { ToolType } from "@modu-arena/core";
import type { UsageRecord } from "./types";

/** How the Gemini and OpenCode states keep a message: session, time, model, then its four counts first. */
export type CallTally = readonly [string, number, string | null, number, number, number, number, ...unknown[]];

/**
 * A kept message as a local-report record, under its key (a message updated in place is re-emitted);
 * `reasoningTokens`: the part of its output spent reasoning.
 */
export function recordOfTally(
  tool: ToolType,
  tally: CallTally,
  dedupKey: string,
  reasoningTokens: number,
): UsageRecord {
  return {
    tool,
    sessionId: tally[0],
    timestamp: tally[1],
    model: tally[2],
    inputTokens: tally[3],
    outputTokens: tally[4],
    cacheCreationTokens: tally[5],
    cacheReadTokens: tally[6],
    reasoningTokens,
    dedupKey,
  };
}
