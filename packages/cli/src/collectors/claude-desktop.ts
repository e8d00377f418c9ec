import { join } from "node:path";
import { resolveClaudeCodeRoots } from "./claude-code";
import { type ClaudeState, createClaudeState, scanClaudeRoots } from "./claude-scan";
import { claudeStateStore } from "./claude-state-store";
import type { ClaudeRoot } from "./claude-transcripts";
import { findDirs } from "./find-files";
import type { CollectEnvironment, Collector } from "./types";

/** Claude Desktop's app data folders (§6.1), including the third-party-cloud `Claude-3p` variant. */
export function resolveDesktopAppDirs(environment: CollectEnvironment): string[] {
  const { env, home, platform } = environment;
  let bases: string[];
  if (platform === "darwin") bases = [join(home, "Library", "Application Support")];
  else if (platform === "win32") bases = [env.APPDATA?.trim() || join(home, "AppData", "Roaming")];
  // No official Linux build; community builds use the XDG config folder.
  else bases = [env.XDG_CONFIG_HOME?.trim() || join(home, ".config")];
  return bases.flatMap((base) => [join(base, "Claude"), join(base, "Claude-3p")]);
}

/**
 * Cowork sessions keep a Claude-Code-format config root per session:
 * `local-agent-mode-sessions/<org>/<workspace>/local_<id>/.claude/projects/…`.
 */
export function listDesktopRoots(environment: CollectEnvironment): ClaudeRoot[] {
  return resolveDesktopAppDirs(environment).flatMap((appDir) =>
    findDirs(join(appDir, "local-agent-mode-sessions"), ".claude", 4).map((dir) => ({ dir, counted: true })),
  );
}

/**
 * The Claude Code parser pointed at Desktop transcripts. The Claude Code roots are read too, uncounted:
 * a call that also appears under `~/.claude` belongs to the claude-code collector and is never counted here.
 */
export const claudeDesktopCollector: Collector<ClaudeState> = {
  tool: "claude-desktop",
  store: claudeStateStore,
  detect: (environment) => listDesktopRoots(environment).length > 0,
  collect: async (environment, previous) => {
    const desktopRoots = listDesktopRoots(environment);
    if (desktopRoots.length === 0) {
      return { sessions: [], records: [], state: previous ?? createClaudeState(), malformedLines: 0, filesRead: 0 };
    }
    const shadowRoots = resolveClaudeCodeRoots(environment).map((root) => ({ dir: root.dir, counted: false }));
    return scanClaudeRoots("claude-desktop", [...shadowRoots, ...desktopRoots], environment, previous);
  },
};
