import type { SessionRecord } from "@modu-arena/core";

export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** The part of outputTokens spent reasoning. */
  reasoningTokens: number;
}

const FIELDS = ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "reasoningTokens"] as const;

/**
 * A session's cumulative totals. Clients that do not report reasoning omit it: absent means unchanged
 * from `previous` (0 for a new session), so a resend without it never shrinks what was recorded.
 */
export function totalsOf(
  session: Omit<TokenTotals, "reasoningTokens"> & { reasoningTokens?: number },
  previous?: TokenTotals | null,
): TokenTotals {
  return {
    inputTokens: session.inputTokens,
    outputTokens: session.outputTokens,
    cacheCreationTokens: session.cacheCreationTokens,
    cacheReadTokens: session.cacheReadTokens,
    reasoningTokens: session.reasoningTokens ?? previous?.reasoningTokens ?? 0,
  };
}

export type Comparison = "equal" | "grown" | "shrunk";

/** A resend compares cumulative totals: equal is a no-op, any field smaller is refused. */
export function compareTotals(previous: TokenTotals, next: TokenTotals): Comparison {
  let grown = false;
  for (const field of FIELDS) {
    if (next[field] < previous[field]) return "shrunk";
    if (next[field] > previous[field]) grown = true;
  }
  return grown ? "grown" : "equal";
}

export function subtractTotals(next: TokenTotals, previous: TokenTotals): TokenTotals {
  return {
    inputTokens: next.inputTokens - previous.inputTokens,
    outputTokens: next.outputTokens - previous.outputTokens,
    cacheCreationTokens: next.cacheCreationTokens - previous.cacheCreationTokens,
    cacheReadTokens: next.cacheReadTokens - previous.cacheReadTokens,
    reasoningTokens: next.reasoningTokens - previous.reasoningTokens,
  };
}

export function sessionKey(session: Pick<SessionRecord, "toolType" | "sessionId">): string {
  return `${session.toolType}\u0000${session.sessionId}`;
}
