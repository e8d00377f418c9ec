import type { ToolType } from "@modu-arena/core";
import { claudeCodeHook } from "./claude-code";
import { codexHook } from "./codex";
import { geminiHook } from "./gemini";
import { opencodeHook } from "./opencode";
import { scheduleHook } from "./schedule";
import type { ToolHook } from "./types";

/** Every way the CLI gets called back, in install order; the schedule serves the tools without events. */
export const HOOKS: ToolHook[] = [claudeCodeHook, codexHook, geminiHook, opencodeHook, scheduleHook];

export function getHooksForTools(tools: ToolType[]): ToolHook[] {
  return HOOKS.filter((hook) => hook.tools.some((tool) => tools.includes(tool)));
}
