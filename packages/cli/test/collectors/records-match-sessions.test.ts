import type { SessionInput } from "@modu-arena/core";
import { describe, expect, it } from "vitest";
import { claudeCodeCollector } from "../../src/collectors/claude-code";
import { crushCollector } from "../../src/collectors/crush";
import { geminiCollector } from "../../src/collectors/gemini";
import { opencodeCollector } from "../../src/collectors/opencode";
import type { Collector, UsageRecord } from "../../src/collectors/types";
import { PROJECT, SID, SID_B } from "../fixtures/claude-home";
import { assistantLine, promptLine, realClaudeSession } from "../fixtures/claude-records";
import { CrushDbFixture, registerCrushProjects, toolCallPart } from "../fixtures/crush-store";
import {
  appendText,
  createFixtureHome,
  type FixtureHome,
  persistState,
  toJsonl,
  writeText,
} from "../fixtures/fixture-home";
import { chatFileName, chatMetadata, geminiMessage, realGeminiChat, userMessage } from "../fixtures/gemini-records";
import { assistantData, OpenCodeDbFixture, userData, writeRealSession } from "../fixtures/opencode-store";

/**
 * `stats` sums `collect()`'s records of a full read; `sync` sends the sessions of incremental reads. For every
 * fixture home below, both must count the same tokens per bucket.
 */
interface Home {
  name: string;
  /** Written one after the other, with an incremental read after each. */
  steps: ((fixture: FixtureHome) => void)[];
  env?: (fixture: FixtureHome) => Record<string, string>;
}

const BUCKETS = ["input", "output", "cacheCreation", "cacheRead", "reasoning"] as const;
type Sums = Record<(typeof BUCKETS)[number], number>;

function sumRecords(records: UsageRecord[]): Sums {
  // As stats does: a call re-emitted under its key counts once, with its last numbers.
  const kept = new Map<string, UsageRecord>();
  records.forEach((record, index) => {
    kept.set(record.dedupKey === undefined ? `#${index}` : `${record.tool}\u0000${record.dedupKey}`, record);
  });
  const sums: Sums = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0, reasoning: 0 };
  for (const record of kept.values()) {
    sums.input += record.inputTokens;
    sums.output += record.outputTokens;
    sums.cacheCreation += record.cacheCreationTokens;
    sums.cacheRead += record.cacheReadTokens;
    sums.reasoning += record.reasoningTokens ?? 0;
  }
  return sums;
}

function sumSessions(sessions: Iterable<SessionInput>): Sums {
  const sums: Sums = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0, reasoning: 0 };
  for (const session of sessions) {
    sums.input += session.inputTokens;
    sums.output += session.outputTokens;
    sums.cacheCreation += session.cacheCreationTokens ?? 0;
    sums.cacheRead += session.cacheReadTokens ?? 0;
    sums.reasoning += session.reasoningTokens ?? 0;
  }
  return sums;
}

async function expectOneCount<State>(collector: Collector<State>, home: Home): Promise<void> {
  const fixture = createFixtureHome();
  try {
    const synced = new Map<string, SessionInput>();
    let state: State | undefined;
    for (const step of home.steps) {
      step(fixture);
      const environment = fixture.environment(home.env?.(fixture), { skipRecords: true });
      const result = await collector.collect(
        environment,
        state === undefined ? undefined : persistState(collector, state),
      );
      for (const session of result.sessions) synced.set(session.sessionId, session);
      state = result.state;
    }
    const full = await collector.collect(fixture.environment(home.env?.(fixture)), undefined);
    const counted = sumRecords(full.records);
    expect(counted.input + counted.output, `${home.name}: counts something`).toBeGreaterThan(0);
    expect(sumSessions(full.sessions), `${home.name}: full read`).toEqual(counted);
    expect(sumSessions(synced.values()), `${home.name}: incremental reads`).toEqual(counted);
  } finally {
    fixture.remove();
  }
}

const claudePath = (fixture: FixtureHome, ...parts: string[]) => fixture.path(".claude", "projects", PROJECT, ...parts);

const claudeHomes: Home[] = [
  {
    name: "Claude Code 2.1.197",
    steps: [
      (fixture) => {
        const { main, subagent } = realClaudeSession(SID, "2026-12-07T23:06:30.000Z");
        writeText(claudePath(fixture, `${SID}.jsonl`), toJsonl(main.slice(0, 7)));
        writeText(claudePath(fixture, SID, "subagents", "agent-a4f5e4c3fbb4412e2.jsonl"), toJsonl(subagent));
      },
      (fixture) => {
        const { main } = realClaudeSession(SID, "2026-12-07T23:06:30.000Z");
        appendText(claudePath(fixture, `${SID}.jsonl`), toJsonl(main.slice(7)));
      },
    ],
  },
  {
    name: "Claude placeholders, sidechain copies, undated and anonymous replies, an unfinished last line",
    steps: [
      (fixture) => {
        const base = { sessionId: SID, messageId: "msg_A", requestId: "req_A" };
        const anonymous = assistantLine({
          sessionId: SID,
          messageId: "",
          requestId: null,
          timestamp: "2026-03-02T10:00:09.000Z",
          usage: { input: 3, output: 9 },
        });
        delete (anonymous.message as Record<string, unknown>).id;
        writeText(
          claudePath(fixture, `${SID}.jsonl`),
          toJsonl(
            [
              promptLine(SID, "2026-03-02T10:00:00.000Z"),
              assistantLine({ ...base, timestamp: "2026-03-02T10:00:04.000Z", usage: { input: 12, output: 1 } }),
              {
                ...assistantLine({
                  ...base,
                  messageId: "msg_U",
                  requestId: "req_U",
                  timestamp: "",
                  usage: { input: 2, output: 2 },
                }),
                timestamp: undefined,
              },
              anonymous,
              { ...anonymous, uuid: "another-copy" },
            ],
            false,
          ),
        );
        writeText(
          claudePath(fixture, SID, "subagents", "agent-1.jsonl"),
          toJsonl([
            assistantLine({
              sessionId: SID,
              messageId: "msg_S",
              timestamp: "2026-03-02T10:00:05.000Z",
              isSidechain: true,
              usage: { input: 7, output: 7, cacheRead: 70 },
            }),
          ]),
        );
      },
      (fixture) => {
        appendText(
          claudePath(fixture, `${SID}.jsonl`),
          `\n${toJsonl([
            assistantLine({
              sessionId: SID,
              messageId: "msg_A",
              requestId: "req_A",
              timestamp: "2026-03-02T10:00:05.000Z",
              usage: { input: 12, output: 310, cacheWrite: 2048, cacheRead: 18000 },
            }),
            assistantLine({
              sessionId: SID,
              messageId: "msg_S",
              timestamp: "2026-03-02T10:00:05.000Z",
              usage: { input: 7, output: 7, cacheRead: 70 },
            }),
          ])}`,
        );
        writeText(
          claudePath(fixture, `${SID_B}.jsonl`),
          toJsonl([
            assistantLine({
              sessionId: SID_B,
              messageId: "msg_B",
              timestamp: 1_772_445_600 as unknown as string,
              usage: { input: 1, output: 1, breakdown: { fiveMinutes: 5, oneHour: 6 } },
            }),
          ]),
        );
      },
    ],
  },
];

const GEMINI_SID = "3f9e2c1a-7b6d-4e5f-8a9b-0c1d2e3f4a5b";
const GEMINI_CHILD = "9a8b7c6d-1111-4e5f-8a9b-0c1d2e3f4a5b";
const GEMINI_OTHER = "77aa0000-2222-4e5f-8a9b-0c1d2e3f4a5b";
const GEMINI_START = "2026-05-04T08:10:00.000Z";
const chatPath = (fixture: FixtureHome, name: string) => fixture.path(".gemini", "tmp", "demo-app", "chats", name);
const g = (input: number, output: number, cached: number, thoughts: number, tool = 0) => ({
  input,
  output,
  cached,
  thoughts,
  tool,
});

const geminiHomes: Home[] = [
  {
    name: "Gemini CLI 0.61",
    steps: [
      (fixture) =>
        writeText(
          chatPath(fixture, chatFileName(GEMINI_SID, GEMINI_START)),
          toJsonl(realGeminiChat(GEMINI_SID, GEMINI_START).slice(0, 7)),
        ),
      (fixture) =>
        appendText(
          chatPath(fixture, chatFileName(GEMINI_SID, GEMINI_START)),
          toJsonl(realGeminiChat(GEMINI_SID, GEMINI_START).slice(7)),
        ),
    ],
  },
  {
    name: "Gemini legacy document, migrated chat, subagent, undated and unfinished lines",
    steps: [
      (fixture) => {
        const g1 = geminiMessage("g-1", "2026-05-04T08:10:09.000Z", g(8200, 140, 6000, 320));
        const legacy = { ...chatMetadata(GEMINI_SID, GEMINI_START), messages: [userMessage("u-1", GEMINI_START), g1] };
        writeText(chatPath(fixture, chatFileName(GEMINI_SID, GEMINI_START, true)), JSON.stringify(legacy));
        writeText(
          chatPath(fixture, chatFileName(GEMINI_SID, GEMINI_START)),
          toJsonl(
            [
              chatMetadata(GEMINI_SID, GEMINI_START),
              g1,
              geminiMessage("g-2", "2026-05-04T08:11:00.000Z", null),
              { ...geminiMessage("g-3", "", g(10, 1, 0, 1)), timestamp: null },
            ],
            false,
          ),
        );
      },
      (fixture) => {
        // A chat whose header has no start time and whose reply has none either.
        writeText(
          chatPath(fixture, chatFileName(GEMINI_OTHER, GEMINI_START)),
          toJsonl([
            { sessionId: GEMINI_OTHER, kind: "main" },
            { ...geminiMessage("o-1", "", g(50, 5, 0, 2)), timestamp: undefined },
          ]),
        );
        appendText(
          chatPath(fixture, chatFileName(GEMINI_SID, GEMINI_START)),
          `\n${toJsonl([geminiMessage("g-2", "2026-05-04T08:11:00.000Z", g(1000, 10, 0, 0, 5))])}`,
        );
        writeText(
          chatPath(fixture, `${GEMINI_SID}/${GEMINI_CHILD}.jsonl`),
          toJsonl([
            chatMetadata(GEMINI_CHILD, "2026-05-04T08:10:20.000Z", "subagent"),
            geminiMessage("s-1", "2026-05-04T08:10:30.000Z", g(300, 30, 0, 3)),
          ]),
        );
      },
    ],
  },
];

const T0 = 1772442000000;
const opencodeDb = (fixture: FixtureHome) => fixture.path(".local", "share", "opencode", "opencode.db");
const oc = (input: number, output: number, reasoning: number, read = 0, write = 0) => ({
  input,
  output,
  reasoning,
  read,
  write,
});

const opencodeHomes: Home[] = [
  {
    name: "OpenCode 1.18",
    steps: [
      (fixture) => {
        const store = new OpenCodeDbFixture(opencodeDb(fixture));
        writeRealSession(store, "ses_real", T0);
        store.close();
      },
      (fixture) => {
        const store = new OpenCodeDbFixture(opencodeDb(fixture), { existing: true });
        writeRealSession(store, "ses_next", T0 + 3_600_000);
        store.close();
      },
    ],
  },
  {
    name: "OpenCode updates in place, children, fork copies, undated rows, legacy files",
    steps: [
      (fixture) => {
        const store = new OpenCodeDbFixture(opencodeDb(fixture));
        store.session("ses_root", T0);
        store.session("ses_child", T0 + 100, "ses_root");
        store.session("ses_fork", T0 + 200);
        store.message("msg_u", "ses_root", userData(T0), T0);
        store.message(
          "msg_1",
          "ses_root",
          assistantData(oc(100, 5, 0), T0 + 1000, { time: { created: T0 + 1000 } }),
          T0 + 1000,
        );
        store.message("msg_2", "ses_child", assistantData(oc(1, 2, 1, 3, 4), T0 + 2000), T0 + 7000);
        const { time: _time, ...undated } = assistantData(oc(9, 9, 4), 0);
        store.rawMessage("msg_undated", "ses_root", JSON.stringify(undated), T0 + 8000);
        // A session whose only message has no time of its own.
        store.session("ses_lonely", T0);
        store.rawMessage("msg_lonely", "ses_lonely", JSON.stringify(undated), T0 + 8500);
        store.close();
        writeText(
          fixture.path(".local", "share", "opencode", "storage", "message", "ses_old", "msg_x.json"),
          JSON.stringify({ id: "msg_x", sessionID: "ses_old", ...assistantData(oc(3, 3, 1), T0 - 5000) }),
        );
      },
      (fixture) => {
        const store = new OpenCodeDbFixture(opencodeDb(fixture), { existing: true });
        const call = assistantData(oc(100, 700, 60, 50), T0 + 1000);
        store.message("msg_1", "ses_root", call, T0 + 9000);
        store.message("msg_1_copy", "ses_fork", call, T0 + 9500);
        store.message("msg_3", "ses_fork", assistantData(oc(7, 7, 2), T0 + 20000), T0 + 25000);
        store.close();
      },
    ],
  },
];

const CRUSH_ROOT = "4c1d0000-0000-4000-8000-000000000001";
const CRUSH_CHILD = "9e7f0000-0000-4000-8000-000000000002";
const T = 1772441100;
const crushHomes: Home[] = [
  {
    name: "Crush session tree",
    env: (fixture) => ({ CRUSH_GLOBAL_DATA: fixture.path("crush-data") }),
    steps: [
      (fixture) => {
        const projectPath = fixture.path("src", "demo");
        const store = new CrushDbFixture(`${projectPath}/.crush/crush.db`);
        store.session({ id: CRUSH_ROOT, prompt: 61234, completion: 812, cost: 0.09, created: T, updated: T + 1200 });
        store.message("m-1", CRUSH_ROOT, "user", [{ type: "text", data: { text: "add a health check" } }], T + 5);
        store.message("m-2", CRUSH_ROOT, "assistant", [toolCallPart("view", { file_path: "main.go" })], T + 10);
        store.close();
        registerCrushProjects(fixture.path("crush-data"), [{ path: projectPath, data_dir: ".crush" }]);
      },
      (fixture) => {
        const store = new CrushDbFixture(`${fixture.path("src", "demo")}/.crush/crush.db`, { existing: true });
        store.session({
          id: CRUSH_CHILD,
          parent: CRUSH_ROOT,
          prompt: 20311,
          completion: 420,
          cost: 0.01,
          created: T + 300,
          updated: T + 400,
        });
        store.message("m-c1", CRUSH_CHILD, "assistant", [toolCallPart("grep", { pattern: "route" })], T + 310);
        store.close();
      },
    ],
  },
];

describe("stats and sync count alike", () => {
  it.each(claudeHomes.map((home) => [home.name, home] as const))("claude-code: %s", async (_name, home) => {
    await expectOneCount(claudeCodeCollector, home);
  });
  it.each(geminiHomes.map((home) => [home.name, home] as const))("gemini: %s", async (_name, home) => {
    await expectOneCount(geminiCollector, home);
  });
  it.each(opencodeHomes.map((home) => [home.name, home] as const))("opencode: %s", async (_name, home) => {
    await expectOneCount(opencodeCollector, home);
  });
  it.each(crushHomes.map((home) => [home.name, home] as const))("crush: %s", async (_name, home) => {
    await expectOneCount(crushCollector, home);
  });
});
