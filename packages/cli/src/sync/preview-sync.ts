import type { SessionInput } from "@modu-arena/core";
import { describeError } from "../errors";
import { loadCollectorState } from "../state/collector-state";
import { listQueue } from "../state/queue";
import type { SyncContext, ToolSyncReport } from "./run-sync";

/** What `sync --dry-run` would send: the queue plus newly collected sessions; nothing is written. */
export async function previewSync(
  context: Pick<SyncContext, "paths" | "environment" | "collectors">,
): Promise<{ payloads: SessionInput[]; tools: ToolSyncReport[]; undatedRecords: number }> {
  const byKey = new Map<string, SessionInput>();
  for (const { entry } of listQueue(context.paths))
    byKey.set(`${entry.toolType}\u0000${entry.sessionId}`, entry.payload);
  const tools: ToolSyncReport[] = [];
  let undatedRecords = 0;
  for (const collector of context.collectors) {
    try {
      const result = await collector.collect(
        context.environment,
        loadCollectorState(context.paths, collector.tool, collector.store),
      );
      undatedRecords += result.undatedRecords ?? 0;
      for (const session of result.sessions) byKey.set(`${session.toolType}\u0000${session.sessionId}`, session);
      tools.push({
        tool: collector.tool,
        sessions: result.sessions.length,
        malformedLines: result.malformedLines,
        filesRead: result.filesRead,
      });
    } catch (error) {
      tools.push({ tool: collector.tool, sessions: 0, malformedLines: 0, filesRead: 0, error: describeError(error) });
    }
  }
  return { payloads: [...byKey.values()], tools, undatedRecords };
}
