import type { ToolType } from "@modu-arena/core";
import { claudeCodeCollector } from "./claude-code";
import { claudeDesktopCollector } from "./claude-desktop";
import { codexCollector } from "./codex";
import { crushCollector } from "./crush";
import { geminiCollector } from "./gemini";
import { opencodeCollector } from "./opencode";
import type { Collector } from "./types";

export type { CollectEnvironment, Collector, CollectResult, UsageRecord } from "./types";

/** Every collector, one per supported tool, in the order of `TOOL_TYPES`. */
export const COLLECTORS: Collector[] = [
  claudeCodeCollector,
  claudeDesktopCollector,
  opencodeCollector,
  geminiCollector,
  codexCollector,
  crushCollector,
];

/** The collector of one tool, or undefined when that tool has none. */
export function getCollector(tool: ToolType): Collector | undefined {
  return COLLECTORS.find((collector) => collector.tool === tool);
}
