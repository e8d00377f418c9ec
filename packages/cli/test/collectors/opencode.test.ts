import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { opencodeCollector } from "../../src/collectors/opencode";
import { hashProjectPath } from "../../src/collectors/project-id";
import { useCollectorFixture, writeText } from "../fixtures/fixture-home";
import { assistantData, OpenCodeDbFixture, toolPartData, userData } from "../fixtures/opencode-store";

const T0 = 1772442000000;
const { fixture, collect } = useCollectorFixture(opencodeCollector);
let dbPath: string;
beforeEach(() => {
  dbPath = fixture.path(".local", "share", "opencode", "opencode.db");
});

const tokensOf = (session: {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens?: number;
  cacheReadTokens?: number;
}) => [session.inputTokens, session.outputTokens, session.cacheCreationTokens, session.cacheReadTokens];

const specTokens = { input: 320, output: 900, reasoning: 0, read: 21000, write: 1900, total: 24120 };

describe("opencode collector", () => {
  it("reads assistant rows of opencode.db with their token semantics (spec example)", async () => {
    const store = new OpenCodeDbFixture(dbPath);
    store.session("ses_1", T0);
    store.message("msg_u1", "ses_1", userData(T0), T0);
    store.message("msg_a1", "ses_1", assistantData(specTokens, T0 + 1000), T0 + 6000);
    // reasoning stored apart (recent OC) is billed as output; 60 + 40
    store.message(
      "msg_a2",
      "ses_1",
      assistantData({ input: 10, output: 60, reasoning: 40, read: 0, write: 0 }, T0 + 7000),
      T0 + 9000,
    );
    // older OC with reasoning inside output: total proves it, so it is not added again
    store.message(
      "msg_a3",
      "ses_1",
      assistantData({ input: 5, output: 50, reasoning: 20, read: 0, write: 0, total: 55 }, T0 + 10000),
      T0 + 12000,
    );
    store.close();
    const result = await collect();
    expect(result.sessions).toHaveLength(1);
    const session = result.sessions[0]!;
    expect(tokensOf(session)).toEqual([335, 900 + 100 + 50, 1900, 21000]);
    expect(session).toMatchObject({ sessionId: "ses_1", turnCount: 1, modelName: "claude-sonnet-4-5" });
    expect(session.anonymousProjectId).toBe(hashProjectPath("/home/ana/src/demo", "test-salt"));
    expect(session.startedAt).toBe(new Date(T0).toISOString());
  });

  it("re-reads rows updated in place and replaces their earlier numbers", async () => {
    const store = new OpenCodeDbFixture(dbPath);
    store.session("ses_1", T0);
    const streaming = assistantData({ input: 100, output: 5, reasoning: 0, read: 0, write: 0 }, T0 + 1000, {
      time: { created: T0 + 1000 },
    });
    store.message("msg_a1", "ses_1", streaming, T0 + 1000);
    const first = await collect();
    expect(tokensOf(first.sessions[0]!)).toEqual([100, 5, 0, 0]);
    store.message(
      "msg_a1",
      "ses_1",
      assistantData({ input: 100, output: 700, reasoning: 0, read: 50, write: 0 }, T0 + 1000),
      T0 + 8000,
    );
    const second = await collect(first.state);
    expect(tokensOf(second.sessions[0]!)).toEqual([100, 700, 0, 50]);
    expect(second.records).toHaveLength(1);
    expect((await collect(second.state)).sessions).toEqual([]);
    store.close();
  });

  it("rolls child sessions into their root and skips a fork's copied rows", async () => {
    const store = new OpenCodeDbFixture(dbPath);
    store.session("ses_root", T0);
    store.session("ses_child", T0 + 100, "ses_root");
    store.session("ses_fork", T0 + 200);
    const call = assistantData({ input: 10, output: 20, reasoning: 0, read: 30, write: 40 }, T0 + 1000);
    store.message("msg_1", "ses_root", call, T0 + 6000);
    store.message(
      "msg_2",
      "ses_child",
      assistantData({ input: 1, output: 2, reasoning: 0, read: 3, write: 4 }, T0 + 2000),
      T0 + 7000,
    );
    // the fork copies msg_1 under a new id, identical fingerprint; then makes its own call
    store.message("msg_1_copy", "ses_fork", call, T0 + 9000);
    store.message(
      "msg_3",
      "ses_fork",
      assistantData({ input: 7, output: 7, reasoning: 0, read: 0, write: 0 }, T0 + 20000),
      T0 + 25000,
    );
    store.close();
    const result = await collect();
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect([...byId.keys()].sort()).toEqual(["ses_fork", "ses_root"]);
    expect(tokensOf(byId.get("ses_root")!)).toEqual([11, 22, 44, 33]);
    expect(tokensOf(byId.get("ses_fork")!)).toEqual([7, 7, 0, 0]);
  });

  it("counts tool parts once, with edit metrics from their final input", async () => {
    const store = new OpenCodeDbFixture(dbPath);
    store.session("ses_1", T0);
    store.message("msg_a1", "ses_1", assistantData({ input: 1, output: 1, reasoning: 0, read: 0, write: 0 }, T0), T0);
    store.part("prt_1", "msg_a1", "ses_1", toolPartData("edit", {}, "pending"), T0 + 1);
    store.part("prt_2", "msg_a1", "ses_1", toolPartData("bash", { command: "ls" }), T0 + 2);
    store.part("prt_3", "msg_a1", "ses_1", { type: "text", text: "hello" }, T0 + 3);
    const first = await collect();
    expect(first.sessions[0]!.toolUsage).toEqual({ edit: 1, bash: 1 });
    store.part(
      "prt_1",
      "msg_a1",
      "ses_1",
      toolPartData("edit", { filePath: "/p/a.ts", oldString: "a", newString: "b\nc" }),
      T0 + 50,
    );
    store.part("prt_4", "msg_a1", "ses_1", toolPartData("write", { filePath: "/p/new.ts", content: "1\n2" }), T0 + 60);
    store.close();
    const second = await collect(first.state);
    const session = second.sessions[0]!;
    expect(session.toolUsage).toEqual({ edit: 1, bash: 1, write: 1 });
    expect(session.codeMetrics).toEqual({ linesAdded: 2 + 2, linesDeleted: 1, filesModified: 1, filesCreated: 1 });
  });

  it("reads legacy JSON storage, and prefers the database row for the same message", async () => {
    const storage = fixture.path(".local", "share", "opencode", "storage");
    writeText(
      `${storage}/session/prj_1/ses_old.json`,
      JSON.stringify({ id: "ses_old", directory: "/home/ana/old", time: { created: T0 } }),
    );
    const legacyMessage = (id: string, tokens: Parameters<typeof assistantData>[0]) => ({
      id,
      sessionID: "ses_old",
      ...assistantData(tokens, T0 + 1000),
    });
    writeText(
      `${storage}/message/ses_old/msg_x.json`,
      JSON.stringify(legacyMessage("msg_x", { input: 3, output: 3, reasoning: 0, read: 0, write: 0 })),
    );
    writeText(
      `${storage}/message/ses_old/msg_y.json`,
      JSON.stringify(legacyMessage("msg_y", { input: 50, output: 5, reasoning: 0, read: 0, write: 0 })),
    );
    writeText(`${storage}/message/ses_old/msg_bad.json`, '{"id":"msg_bad","sessionID":');
    writeText(
      `${storage}/part/msg_x/prt_x.json`,
      JSON.stringify({
        id: "prt_x",
        messageID: "msg_x",
        sessionID: "ses_old",
        ...toolPartData("read", { filePath: "/x" }),
      }),
    );
    const legacyOnly = await collect();
    expect(legacyOnly.malformedLines).toBe(1);
    expect(tokensOf(legacyOnly.sessions[0]!)).toEqual([53, 8, 0, 0]);
    expect(legacyOnly.sessions[0]!.toolUsage).toEqual({ read: 1 });
    expect(legacyOnly.sessions[0]!.anonymousProjectId).toBe(hashProjectPath("/home/ana/old", "test-salt"));
    // after the migration the database holds msg_y with its final numbers; the frozen file must not win
    const store = new OpenCodeDbFixture(dbPath);
    store.session("ses_old", T0, null, "/home/ana/old");
    store.message(
      "msg_y",
      "ses_old",
      assistantData({ input: 50, output: 500, reasoning: 0, read: 0, write: 0 }, T0 + 1000),
      T0 + 9000,
    );
    store.close();
    const migrated = await collect(legacyOnly.state);
    expect(tokensOf(migrated.sessions[0]!)).toEqual([53, 503, 0, 0]);
    const fresh = await collect();
    expect(tokensOf(fresh.sessions[0]!)).toEqual([53, 503, 0, 0]);
  });

  it("honours OPENCODE_DB and XDG_DATA_HOME, reads the v2 session_message table, counts malformed rows", async () => {
    const custom = fixture.path("dbs", "mine.db");
    const store = new OpenCodeDbFixture(custom);
    store.session("ses_1", T0);
    store.message("msg_a1", "ses_1", assistantData({ input: 9, output: 9, reasoning: 0, read: 0, write: 0 }, T0), T0);
    store.rawMessage("msg_bad", "ses_1", "{not json", T0 + 1);
    store.close();
    const v2Path = fixture.path("xdg", "opencode", "opencode-next.db");
    writeText(v2Path, "");
    const v2 = new Database(v2Path);
    v2.exec(
      "CREATE TABLE session_message (id TEXT PRIMARY KEY, session_id TEXT, type TEXT, time_created INTEGER, time_updated INTEGER, data TEXT)",
    );
    const v2Data = {
      time: { created: T0 },
      model: { id: "gpt-5.2", providerID: "openai" },
      tokens: { input: 4, output: 2, reasoning: 1, cache: { read: 8, write: 0 } },
    };
    v2.prepare("INSERT INTO session_message VALUES ('m1', 'ses_v2', 'assistant', ?, ?, ?)").run(
      T0,
      T0,
      JSON.stringify(v2Data),
    );
    v2.close();
    expect((await collect()).sessions).toEqual([]);
    const result = await collect(undefined, { OPENCODE_DB: custom, XDG_DATA_HOME: fixture.path("xdg") });
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect(tokensOf(byId.get("ses_1")!)).toEqual([9, 9, 0, 0]);
    expect(tokensOf(byId.get("ses_v2")!)).toEqual([4, 3, 0, 8]);
    expect(byId.get("ses_v2")!.modelName).toBe("gpt-5.2");
    expect(result.malformedLines).toBe(1);
  });

  it("does not fail on a database with an unexpected schema", async () => {
    writeText(dbPath, "");
    const odd = new Database(dbPath);
    odd.exec("CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, data TEXT)");
    odd.close();
    const result = await collect();
    expect(result.sessions).toEqual([]);
    expect(result.malformedLines).toBe(1);
  });
});
