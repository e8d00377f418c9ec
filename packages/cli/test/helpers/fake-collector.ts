import type { SessionInput, ToolType } from "@modu-arena/core";
import type { Collector } from "../../src/collectors/index";

/**
 * A collector over an in-memory log whose sessions carry cumulative totals, like the real ones:
 * `grow(id, tokens)` adds usage; `collect` returns the sessions touched since the previous state.
 */
export function createFakeCollector(tool: ToolType = "claude-code") {
  const sessions = new Map<string, { inputTokens: number; version: number }>();
  let version = 0;
  const collector: Collector<{ version: number }> = {
    tool,
    detect: () => true,
    collect: async (_environment, previous) => {
      const since = previous?.version ?? 0;
      const touched: SessionInput[] = [];
      for (const [sessionId, session] of sessions) {
        if (session.version <= since) continue;
        touched.push({
          toolType: tool,
          sessionId,
          endedAt: "2026-11-20T10:00:00.000Z",
          inputTokens: session.inputTokens,
          outputTokens: 1,
        });
      }
      return { sessions: touched, records: [], state: { version }, malformedLines: 0, filesRead: 1 };
    },
  };
  return {
    collector,
    grow(sessionId: string, tokens: number) {
      version += 1;
      const session = sessions.get(sessionId) ?? { inputTokens: 0, version };
      sessions.set(sessionId, { inputTokens: session.inputTokens + tokens, version });
    },
  };
}
