import { sessionInputSchema } from "@modu-arena/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claudeCodeCollector } from "../../src/collectors/claude-code";
import { claudeDesktopCollector } from "../../src/collectors/claude-desktop";
import type { ClaudeState } from "../../src/collectors/claude-scan";
import { assistantLine } from "../fixtures/claude-records";
import {
  appendText,
  createFixtureHome,
  type FixtureHome,
  persistState,
  toJsonl,
  writeText,
} from "../fixtures/fixture-home";

const COWORK = "7d2e0000-0000-4000-8000-0000000000aa";
const CLI = "5b0c9d2e-1111-4a2b-9c3d-aa00bb11cc22";

let fixture: FixtureHome;
beforeEach(() => {
  fixture = createFixtureHome();
});
afterEach(() => fixture.remove());

const macAppDir = () => fixture.path("Library", "Application Support", "Claude");
const coworkRoot = (appDir: string) => `${appDir}/local-agent-mode-sessions/org_1/ws_1/local_${COWORK}/.claude`;
const coworkTranscript = (appDir = macAppDir()) =>
  `${coworkRoot(appDir)}/projects/-sessions-brave-lion/${COWORK}.jsonl`;
const cliTranscript = () => fixture.path(".claude", "projects", "-home-ana-src-demo", `${CLI}.jsonl`);

const call = (sessionId: string, id: string, input: number, output: number, minute = 0) =>
  assistantLine({
    sessionId,
    messageId: id,
    requestId: `req_${id}`,
    timestamp: `2026-03-02T10:0${minute}:00.000Z`,
    usage: { input, output },
  });

async function collectDesktop(
  previous?: ClaudeState,
  platform: NodeJS.Platform = "darwin",
  env: Record<string, string> = {},
) {
  const result = await claudeDesktopCollector.collect(
    fixture.environment(env, { platform }),
    previous && persistState(claudeDesktopCollector, previous),
  );
  for (const session of result.sessions) expect(sessionInputSchema.safeParse(session).success).toBe(true);
  return result;
}

describe("claude-desktop collector", () => {
  it("counts Cowork transcripts, rolls subagents in, and never counts a call also under ~/.claude", async () => {
    writeText(coworkTranscript(), toJsonl([call(COWORK, "d1", 100, 10), call(COWORK, "shared", 7, 7, 1)]));
    writeText(
      `${coworkRoot(macAppDir())}/projects/-sessions-brave-lion/${COWORK}/subagents/agent-s1.jsonl`,
      toJsonl([
        assistantLine({
          sessionId: COWORK,
          messageId: "d2",
          requestId: "req_d2",
          isSidechain: true,
          agentId: "s1",
          timestamp: "2026-03-02T10:02:00.000Z",
          usage: { input: 20, output: 2 },
        }),
      ]),
    );
    writeText(cliTranscript(), toJsonl([call(CLI, "shared", 7, 7, 1), call(CLI, "c1", 1, 1, 2)]));
    const desktop = await collectDesktop();
    expect(desktop.sessions).toHaveLength(1);
    expect(desktop.sessions[0]).toMatchObject({
      toolType: "claude-desktop",
      sessionId: COWORK,
      inputTokens: 120,
      outputTokens: 12,
    });
    const code = await claudeCodeCollector.collect(fixture.environment({}, { platform: "darwin" }), undefined);
    expect(code.sessions.map((session) => [session.sessionId, session.inputTokens])).toEqual([[CLI, 8]]);
  });

  it("withdraws a call once a copy of it shows up under ~/.claude later", async () => {
    writeText(coworkTranscript(), toJsonl([call(COWORK, "d1", 100, 10), call(COWORK, "moved", 50, 5, 1)]));
    const first = await collectDesktop();
    expect(first.sessions[0]!.inputTokens).toBe(150);
    writeText(cliTranscript(), toJsonl([call(CLI, "moved", 50, 5, 1)]));
    const second = await collectDesktop(first.state);
    expect(second.sessions[0]!.inputTokens).toBe(100);
    appendText(coworkTranscript(), toJsonl([call(COWORK, "d3", 3, 3, 4)]));
    const third = await collectDesktop(second.state);
    expect(third.sessions[0]!.inputTokens).toBe(103);
    expect(third.filesRead).toBe(1);
  });

  it("finds the Windows and Claude-3p folders, and reads nothing when there is no Desktop data", async () => {
    writeText(cliTranscript(), toJsonl([call(CLI, "c1", 1, 1)]));
    const none = await collectDesktop();
    expect(none).toMatchObject({ sessions: [], filesRead: 0 });
    expect(claudeDesktopCollector.detect(fixture.environment({}, { platform: "darwin" }))).toBe(false);
    const appData = fixture.path("AppData", "Roaming");
    writeText(coworkTranscript(`${appData}/Claude-3p`), toJsonl([call(COWORK, "w1", 4, 4)]));
    const windows = await collectDesktop(undefined, "win32", { APPDATA: appData });
    expect(windows.sessions.map((session) => [session.sessionId, session.inputTokens])).toEqual([[COWORK, 4]]);
  });
});
