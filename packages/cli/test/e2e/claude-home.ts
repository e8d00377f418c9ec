import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { assistantLine, promptLine } from "../fixtures/claude-records";

/** Hand-computed truth of what a Claude Code fixture home holds. */
export interface Truth {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalSessions: number;
}

export function emptyTruth(): Truth {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalSessions: 0 };
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
