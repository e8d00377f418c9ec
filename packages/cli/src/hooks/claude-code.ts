import { join } from "node:path";
import { createJsonSettingsHook } from "./json-settings-hook";
import type { HookContext } from "./types";

/** `CLAUDE_CONFIG_DIR` moves every `~/.claude` path, settings included. */
export function getClaudeConfigDir(context: Pick<HookContext, "home" | "env">): string {
  return context.env.CLAUDE_CONFIG_DIR || join(context.home, ".claude");
}

/** `Stop` after every turn (the reliable one) and `SessionEnd` (short timeout, may not fire on kill). */
export const claudeCodeHook = createJsonSettingsHook({
  tool: "claude-code",
  label: "Claude Code",
  configDir: getClaudeConfigDir,
  settingsFile: (context) => join(getClaudeConfigDir(context), "settings.json"),
  events: ["Stop", "SessionEnd"],
  // Seconds in Claude Code; the hook itself returns in well under one.
  createGroup: (command) => ({ hooks: [{ type: "command", command, timeout: 30 }] }),
  allowComments: false,
});
