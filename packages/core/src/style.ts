/**
 * Coding style from what the agent did: reading (Explorer), writing new code (Creator),
 * editing existing code (Refactorer) or running commands and sub-agents (Automator).
 */
export const CODING_STYLES = ["explorer", "creator", "refactorer", "automator"] as const;
export type CodingStyle = (typeof CODING_STYLES)[number];

export type StyleScores = Record<CodingStyle, number>;

// Exact names first (lower-cased), covering the six tools' built-in tool names.
const EXACT: Record<string, CodingStyle> = {
  read: "explorer",
  view: "explorer",
  grep: "explorer",
  glob: "explorer",
  ls: "explorer",
  list: "explorer",
  read_file: "explorer",
  read_many_files: "explorer",
  list_directory: "explorer",
  search_file_content: "explorer",
  webfetch: "explorer",
  web_fetch: "explorer",
  websearch: "explorer",
  google_web_search: "explorer",
  fetch: "explorer",
  sourcegraph: "explorer",
  codesearch: "explorer",
  write: "creator",
  write_file: "creator",
  create: "creator",
  notebookedit: "creator",
  download: "creator",
  edit: "refactorer",
  multiedit: "refactorer",
  replace: "refactorer",
  apply_patch: "refactorer",
  patch: "refactorer",
  bash: "automator",
  shell: "automator",
  exec_command: "automator",
  run_shell_command: "automator",
  task: "automator",
  agent: "automator",
  todowrite: "automator",
  local_shell: "automator",
};

const FALLBACK: Array<[RegExp, CodingStyle]> = [
  [/edit|replace|patch|rename|refactor/, "refactorer"],
  [/write|create|new|generate/, "creator"],
  [/bash|shell|exec|command|run|task|agent|todo|terminal/, "automator"],
  [/read|view|grep|glob|search|find|list|ls|fetch|open|get/, "explorer"],
];

/** Style category of one tool name, or null when it says nothing about style (e.g. MCP tools). */
export function categorizeToolName(toolName: string): CodingStyle | null {
  const name = toolName.trim().toLowerCase();
  const exact = EXACT[name];
  if (exact) return exact;
  if (name.startsWith("mcp__") || name.startsWith("mcp_")) return null;
  for (const [pattern, style] of FALLBACK) if (pattern.test(name)) return style;
  return null;
}

export interface StyleInput {
  toolUsage: Record<string, number>;
  linesAdded?: number;
  linesDeleted?: number;
}

export interface StyleResult {
  style: CodingStyle | null;
  /** Share of classified activity per style, 0..100, summing to 100 (or all 0 without data). */
  scores: StyleScores;
}

/** Dominant style from tool counts; line counts break the Creator/Refactorer tie towards what changed most. */
export function computeCodingStyle(input: StyleInput): StyleResult {
  const raw: StyleScores = { explorer: 0, creator: 0, refactorer: 0, automator: 0 };
  for (const [toolName, count] of Object.entries(input.toolUsage)) {
    const style = categorizeToolName(toolName);
    if (style && Number.isFinite(count) && count > 0) raw[style] += count;
  }
  const total = raw.explorer + raw.creator + raw.refactorer + raw.automator;
  if (total === 0) return { style: null, scores: raw };
  const scores = Object.fromEntries(
    CODING_STYLES.map((style) => [style, Math.round((raw[style] / total) * 1000) / 10]),
  ) as StyleScores;
  let best: CodingStyle = "explorer";
  for (const style of CODING_STYLES) {
    if (raw[style] > raw[best]) best = style;
    else if (raw[style] === raw[best] && style !== best && isCreatorRefactorerTie(best, style)) {
      best = (input.linesAdded ?? 0) >= (input.linesDeleted ?? 0) ? "creator" : "refactorer";
    }
  }
  return { style: best, scores };
}

function isCreatorRefactorerTie(a: CodingStyle, b: CodingStyle): boolean {
  return (a === "creator" && b === "refactorer") || (a === "refactorer" && b === "creator");
}
