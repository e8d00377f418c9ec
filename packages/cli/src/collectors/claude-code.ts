import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ClaudeState } from "./claude-scan";
import { scanClaudeRoots } from "./claude-scan";
import { claudeStateStore } from "./claude-state-store";
import type { ClaudeRoot } from "./claude-transcripts";
import { splitPathList } from "./find-files";
import type { CollectEnvironment, Collector } from "./types";

/**
 * Claude Code config roots (§1.1): `CLAUDE_CONFIG_DIR` (comma list tolerated) replaces the defaults;
 * otherwise both `$XDG_CONFIG_HOME/claude` (default `~/.config/claude`) and `~/.claude`.
 */
export function resolveClaudeCodeRoots(environment: CollectEnvironment): ClaudeRoot[] {
  const override = splitPathList(environment.env.CLAUDE_CONFIG_DIR);
  if (override.length > 0) return override.map((dir) => ({ dir, counted: true }));
  const xdg = environment.env.XDG_CONFIG_HOME?.trim() || join(environment.home, ".config");
  return [
    { dir: join(xdg, "claude"), counted: true },
    { dir: join(environment.home, ".claude"), counted: true },
  ];
}

export const claudeCodeCollector: Collector<ClaudeState> = {
  tool: "claude-code",
  store: claudeStateStore,
  detect: (environment) => resolveClaudeCodeRoots(environment).some((root) => existsSync(join(root.dir, "projects"))),
  collect: async (environment, previous) =>
    scanClaudeRoots("claude-code", resolveClaudeCodeRoots(environment), environment, previous),
};
