import type { ToolType } from "@modu-arena/core";
import { claudeCodeCollector } from "./claude-code";
import { codexCollector } from "./codex";
import { geminiCollector } from "./gemini";
import { opencodeCollector } from "./opencode";
import type { Collector } from "./types";

export type { CollectEnvironment, Collector, CollectResult, UsageRecord } from "./types";

/** Every collector, one per supported tool (grown as collectors land). */
export const COLLECTORS: Collector[] = [claudeCodeCollector, codexCollector, geminiCollector, opencodeCollector];

/** The collector of one tool, or undefined when that tool has none yet. */
export function getCollector(tool: ToolType): Collector | undefined {
  return COLLECTORS.find((collector) => collector.tool === tool);
}
