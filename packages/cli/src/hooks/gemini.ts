import { join } from "node:path";
import { createJsonSettingsHook } from "./json-settings-hook";
import type { HookContext } from "./types";

/** `GEMINI_CLI_HOME` replaces the home folder: data and settings live under `$GEMINI_CLI_HOME/.gemini`. */
export function getGeminiDir(context: Pick<HookContext, "home" | "env">): string {
  return join(context.env.GEMINI_CLI_HOME || context.home, ".gemini");
}

export const geminiHook = createJsonSettingsHook({
  tool: "gemini",
  label: "Gemini CLI",
  configDir: getGeminiDir,
  settingsFile: (context) => join(getGeminiDir(context), "settings.json"),
  events: ["AfterAgent", "SessionEnd"],
  // Milliseconds in Gemini CLI, unlike Claude Code.
  createGroup: (command) => ({ hooks: [{ type: "command", command, name: "modu-arena", timeout: 10000 }] }),
  allowComments: true,
});
