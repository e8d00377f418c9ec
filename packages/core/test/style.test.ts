import { describe, expect, it } from "vitest";
import { categorizeToolName, computeCodingStyle } from "../src/style";
import { getTool, isToolType, TOOLS } from "../src/tools";

describe("categorizeToolName", () => {
  it.each([
    ["Read", "explorer"],
    ["Grep", "explorer"],
    ["view", "explorer"],
    ["Write", "creator"],
    ["write_file", "creator"],
    ["Edit", "refactorer"],
    ["apply_patch", "refactorer"],
    ["replace", "refactorer"],
    ["Bash", "automator"],
    ["run_shell_command", "automator"],
    ["Task", "automator"],
  ])("%s -> %s", (name, style) => {
    expect(categorizeToolName(name)).toBe(style);
  });

  it("does not classify MCP tools", () => {
    expect(categorizeToolName("mcp__github__create_issue")).toBeNull();
  });
});

describe("computeCodingStyle", () => {
  it("picks the dominant category with percentage scores", () => {
    const result = computeCodingStyle({ toolUsage: { Read: 6, Grep: 2, Edit: 1, Bash: 1 } });
    expect(result.style).toBe("explorer");
    expect(result.scores).toEqual({ explorer: 80, creator: 0, refactorer: 10, automator: 10 });
  });

  it("is null without classified tools", () => {
    expect(computeCodingStyle({ toolUsage: { mcp__x__y: 3 } }).style).toBeNull();
  });

  it("breaks a creator/refactorer tie by the lines changed", () => {
    expect(computeCodingStyle({ toolUsage: { Write: 2, Edit: 2 }, linesAdded: 5, linesDeleted: 50 }).style).toBe(
      "refactorer",
    );
    expect(computeCodingStyle({ toolUsage: { Write: 2, Edit: 2 }, linesAdded: 50, linesDeleted: 5 }).style).toBe(
      "creator",
    );
  });
});

describe("tool registry", () => {
  it("has the six tools of the API contract", () => {
    expect(TOOLS.map((tool) => tool.id)).toEqual([
      "claude-code",
      "claude-desktop",
      "opencode",
      "gemini",
      "codex",
      "crush",
    ]);
    expect(isToolType("codex")).toBe(true);
    expect(isToolType("cursor")).toBe(false);
    expect(getTool("gemini").displayName).toBe("Gemini CLI");
  });
});
