/** The six supported AI coding tools. Ids are the wire values of `toolType`. */
export const TOOL_TYPES = ["claude-code", "claude-desktop", "opencode", "gemini", "codex", "crush"] as const;
export type ToolType = (typeof TOOL_TYPES)[number];

export interface ToolInfo {
  id: ToolType;
  name: string;
  displayName: string;
  color: string;
  sortOrder: number;
}

export const TOOLS: readonly ToolInfo[] = [
  { id: "claude-code", name: "claude_code", displayName: "Claude Code", color: "#D97757", sortOrder: 1 },
  { id: "claude-desktop", name: "claude_desktop", displayName: "Claude Desktop", color: "#C15F3C", sortOrder: 2 },
  { id: "opencode", name: "opencode", displayName: "OpenCode", color: "#4F46E5", sortOrder: 3 },
  { id: "gemini", name: "gemini_cli", displayName: "Gemini CLI", color: "#4285F4", sortOrder: 4 },
  { id: "codex", name: "codex_cli", displayName: "Codex CLI", color: "#10A37F", sortOrder: 5 },
  { id: "crush", name: "crush", displayName: "Crush", color: "#EC4899", sortOrder: 6 },
];

const byId = new Map(TOOLS.map((tool) => [tool.id, tool]));

export function isToolType(value: unknown): value is ToolType {
  return typeof value === "string" && byId.has(value as ToolType);
}

export function getTool(id: ToolType): ToolInfo {
  const tool = byId.get(id);
  if (!tool) throw new Error(`unknown tool type: ${id}`);
  return tool;
}
