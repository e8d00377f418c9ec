import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { assistantLine, promptLine } from "../fixtures/claude-records";

/** Hand-computed truth of what a Claude Code fixture home holds. */
export interface Truth {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** The part of output spent reasoning (Claude logs none apart: 0 for these sessions). */
  reasoningTokens: number;
  totalSessions: number;
}

export function emptyTruth(): Truth {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    reasoningTokens: 0,
    totalSessions: 0,
  };
}

export function getTranscriptPath(home: string, sessionId: string): string {
  return join(home, ".claude", "projects", "-home-ana-src-demo", `${sessionId}.jsonl`);
}

/** Writes (or extends) a session with `turns` billed calls; each call's usage derives from its index. */
export function writeClaudeSession(home: string, sessionId: string, turns: number, truth: Truth, firstTurn = 0): void {
  const path = getTranscriptPath(home, sessionId);
  mkdirSync(dirname(path), { recursive: true });
  const lines: string[] = [];
  for (let turn = firstTurn; turn < firstTurn + turns; turn += 1) {
    const timestamp = new Date(Date.UTC(2026, 10, 20, 9, 0, turn)).toISOString();
    const usage = { input: 100 + turn, output: 50 + turn, cacheWrite: 10 * turn, cacheRead: 1000 + turn };
    const line = JSON.stringify(assistantLine({ sessionId, messageId: `msg_${sessionId}_${turn}`, usage, timestamp }));
    lines.push(JSON.stringify(promptLine(sessionId, timestamp)), line);
    // A streaming duplicate of the same call: counted once.
    if (turn % 3 === 0) lines.push(line);
    truth.inputTokens += usage.input;
    truth.outputTokens += usage.output;
    truth.cacheCreationTokens += usage.cacheWrite;
    truth.cacheReadTokens += usage.cacheRead;
  }
  if (firstTurn === 0) truth.totalSessions += 1;
  appendFileSync(path, `${lines.join("\n")}\n`);
}

export function writeUserSettings(home: string): void {
  mkdirSync(join(home, ".claude"), { recursive: true });
  writeFileSync(
    join(home, ".claude", "settings.json"),
    '{\n  "model": "opus",\n  "hooks": {\n    "Stop": [{ "hooks": [{ "type": "command", "command": "true" }] }]\n  }\n}\n',
  );
  // Crush present (no end-of-session event): install adds the user-level schedule.
  mkdirSync(join(home, ".local", "share", "crush"), { recursive: true });
  writeFileSync(join(home, ".local", "share", "crush", "projects.json"), '{"projects":[]}\n');
  mkdirSync(join(home, ".codex"), { recursive: true });
  writeFileSync(
    join(home, ".codex", "config.toml"),
    '# my codex\nmodel = "gpt-5"\nnotify = ["/bin/true", "--quiet"]\n\n[tui]\nnotifications = true\n',
  );
}

/**
 * `count` sessions that exercise the ordered merge across files: every third one resumes the previous one
 * (copies its calls, grown), sidechain copies, tool calls with edits, typed prompts.
 */
export function writeMixedClaudeHome(home: string, count: number): void {
  const id = (index: number) => `77777777-0000-4000-8000-${String(index).padStart(12, "0")}`;
  const call = (sessionId: string, index: number, turn: number, grown = 0, isSidechain = false) =>
    JSON.stringify(
      assistantLine({
        sessionId,
        messageId: `msg_${index}_${turn}`,
        timestamp: new Date(Date.UTC(2026, 10, 20, index, turn)).toISOString(),
        usage: { input: 10 + turn, output: 5 + turn + grown, cacheWrite: turn, cacheRead: 100 },
        isSidechain,
        content: [
          {
            type: "tool_use",
            id: `tool_${index}_${turn}`,
            name: "Edit",
            input: {
              file_path: `/home/ana/src/demo/f${turn}.ts`,
              old_string: "a\nb\n",
              new_string: "a\nc\nd\n",
            },
          },
        ],
      }),
    );
  for (let index = 0; index < count; index++) {
    const sessionId = id(index);
    const lines: string[] = [];
    for (let turn = 0; turn < 6; turn++) {
      lines.push(JSON.stringify(promptLine(sessionId, new Date(Date.UTC(2026, 10, 20, index, turn)).toISOString())));
      lines.push(call(sessionId, index, turn), call(sessionId, index, turn, 0, turn === 2));
    }
    // A resumed session: the previous session's calls again, some with grown usage (largest wins).
    if (index % 3 === 2) for (let turn = 0; turn < 3; turn++) lines.push(call(id(index - 1), index - 1, turn, turn));
    const path = join(home, ".claude", "projects", `-home-ana-src-p${index % 4}`, `${sessionId}.jsonl`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${lines.join("\n")}\n`);
  }
}
