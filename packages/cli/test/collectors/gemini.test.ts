import { describe, expect, it } from "vitest";
import { geminiCollector } from "../../src/collectors/gemini";
import { hashProjectPath } from "../../src/collectors/project-id";
import { appendText, toJsonl, useCollectorFixture, writeText } from "../fixtures/fixture-home";
import { chatFileName, chatMetadata, geminiMessage, toolCall, userMessage } from "../fixtures/gemini-records";

const SID = "3f9e2c1a-7b6d-4e5f-8a9b-0c1d2e3f4a5b";
const CHILD = "9a8b7c6d-1111-4e5f-8a9b-0c1d2e3f4a5b";
const START = "2026-05-04T08:10:00.000Z";

const { fixture, collect } = useCollectorFixture(geminiCollector);

const chatPath = (name: string, project = "demo-app") => fixture.path(".gemini", "tmp", project, "chats", name);

const tokensOf = (session: {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens?: number;
  cacheReadTokens?: number;
}) => [session.inputTokens, session.outputTokens, session.cacheCreationTokens, session.cacheReadTokens];

const grep = toolCall("tc-1", "grep_search", { pattern: "router" });
const g1Tokens = { input: 8200, output: 140, cached: 6000, thoughts: 320, tool: 0 };

/** The spec's §3.4 example: g-1 re-appended once its tokens are known. */
const specExample = () => [
  chatMetadata(SID, START),
  userMessage("u-1", "2026-05-04T08:10:05.000Z"),
  geminiMessage("g-1", "2026-05-04T08:10:09.000Z", null, [grep]),
  geminiMessage("g-1", "2026-05-04T08:10:09.000Z", g1Tokens, [grep]),
  { $set: { lastUpdated: "2026-05-04T08:10:09.100Z" } },
];

describe("gemini collector", () => {
  it("keeps the last version of each message (spec example)", async () => {
    writeText(chatPath(chatFileName(SID, START)), toJsonl(specExample()));
    const result = await collect();
    expect(result.sessions).toHaveLength(1);
    const session = result.sessions[0]!;
    // uncached 8,200 - 6,000; output 140 + 320 thoughts; cache read 6,000
    expect(tokensOf(session)).toEqual([2200, 460, 0, 6000]);
    expect(session).toMatchObject({
      sessionId: SID,
      turnCount: 1,
      toolUsage: { grep_search: 1 },
      modelName: "gemini-2.5-pro",
    });
    expect(session.startedAt).toBe(START);
    expect(result.records).toHaveLength(1);
  });

  it("ignores checkpoint re-listings and keeps rewound (billed) messages", async () => {
    const g2 = geminiMessage("g-2", "2026-05-04T08:11:00.000Z", {
      input: 1000,
      output: 10,
      cached: 0,
      thoughts: 0,
      tool: 5,
    });
    writeText(
      chatPath(chatFileName(SID, START)),
      toJsonl([
        ...specExample(),
        g2,
        { $rewindTo: "g-2" },
        { $set: { messages: [userMessage("u-1", "2026-05-04T08:10:05.000Z"), specExample()[3], g2] } },
      ]),
    );
    const [session] = (await collect()).sessions;
    // g-2: input 1,000 + tool 5 uncached, output 10
    expect(tokensOf(session!)).toEqual([2200 + 1005, 460 + 10, 0, 6000]);
    expect(session!.turnCount).toBe(1);
  });

  it("counts a legacy .json and its migrated .jsonl once", async () => {
    const legacy = { ...chatMetadata(SID, START), messages: specExample().slice(1, 4) };
    writeText(chatPath(chatFileName(SID, START, true)), JSON.stringify(legacy, null, 2));
    const g3 = geminiMessage("g-3", "2026-05-05T09:00:00.000Z", {
      input: 500,
      output: 50,
      cached: 100,
      thoughts: 0,
      tool: 0,
    });
    writeText(chatPath(chatFileName(SID, START)), toJsonl([...specExample(), g3]));
    const [session] = (await collect()).sessions;
    expect(tokensOf(session!)).toEqual([2200 + 400, 460 + 50, 0, 6100]);
    expect(session!.toolUsage).toEqual({ grep_search: 1 });
  });

  it("rolls subagent chats into the parent session", async () => {
    writeText(chatPath(chatFileName(SID, START)), toJsonl(specExample()));
    writeText(
      chatPath(`${SID}/${CHILD}.jsonl`),
      toJsonl([
        chatMetadata(CHILD, "2026-05-04T08:10:20.000Z", "subagent"),
        geminiMessage("s-1", "2026-05-04T08:10:30.000Z", { input: 300, output: 30, cached: 0, thoughts: 3, tool: 0 }),
      ]),
    );
    const result = await collect();
    expect(result.sessions.map((session) => session.sessionId)).toEqual([SID]);
    expect(tokensOf(result.sessions[0]!)).toEqual([2500, 493, 0, 6000]);
  });

  it("does not subtract cached when the total shows input is not inclusive", async () => {
    writeText(
      chatPath(chatFileName(SID, START)),
      toJsonl([
        chatMetadata(SID, START),
        geminiMessage("g-1", START, { input: 100, output: 10, cached: 40, thoughts: 0, tool: 0, total: 150 }),
      ]),
    );
    const [session] = (await collect()).sessions;
    expect(tokensOf(session!)).toEqual([100, 10, 0, 40]);
  });

  it("replaces a message's earlier version across incremental runs instead of adding it", async () => {
    const path = chatPath(chatFileName(SID, START));
    writeText(path, toJsonl(specExample().slice(0, 3)));
    const first = await collect();
    expect(first.sessions).toEqual([]); // no billed usage yet
    appendText(path, toJsonl(specExample().slice(3)));
    const second = await collect(first.state);
    expect(tokensOf(second.sessions[0]!)).toEqual([2200, 460, 0, 6000]);
    appendText(path, toJsonl([geminiMessage("g-1", "2026-05-04T08:10:09.000Z", { ...g1Tokens, output: 240 }, [grep])]));
    const third = await collect(second.state);
    expect(tokensOf(third.sessions[0]!)).toEqual([2200, 560, 0, 6000]);
    expect(third.sessions[0]!.toolUsage).toEqual({ grep_search: 1 });
  });

  it("re-reads a rewritten legacy document and retries a half-written one", async () => {
    const path = chatPath(chatFileName(SID, START, true));
    const document = { ...chatMetadata(SID, START), messages: specExample().slice(1, 4) };
    writeText(path, JSON.stringify(document));
    const first = await collect();
    expect(tokensOf(first.sessions[0]!)).toEqual([2200, 460, 0, 6000]);
    const g2 = geminiMessage("g-2", "2026-05-04T08:12:00.000Z", {
      input: 10,
      output: 1,
      cached: 0,
      thoughts: 0,
      tool: 0,
    });
    const grown = JSON.stringify({ ...document, messages: [...document.messages, g2] });
    writeText(path, grown.slice(0, grown.length - 20));
    const second = await collect(first.state);
    expect(second.malformedLines).toBe(1);
    expect(second.sessions).toEqual([]);
    writeText(path, grown);
    const third = await collect(second.state);
    expect(tokensOf(third.sessions[0]!)).toEqual([2210, 461, 0, 6000]);
  });

  it("honours GEMINI_CLI_HOME, hashes the project root, and counts edit metrics", async () => {
    const base = fixture.path("gem-home");
    const project = "/home/ana/src/demo";
    writeText(`${base}/.gemini/projects.json`, JSON.stringify({ projects: { [project]: "demo" } }));
    const replace = toolCall(
      "tc-2",
      "replace",
      { file_path: `${project}/a.ts`, old_string: "x", new_string: "y\nz" },
      {
        fileDiff: "…",
        diffStat: { model_added_lines: 4, model_removed_lines: 2, user_added_lines: 0 },
      },
    );
    const write = toolCall("tc-3", "write_file", { file_path: `${project}/b.ts`, content: "1\n2\n3" });
    writeText(
      `${base}/.gemini/tmp/demo/chats/${chatFileName(SID, START)}`,
      toJsonl([chatMetadata(SID, START), geminiMessage("g-1", START, g1Tokens, [replace, write])]),
    );
    expect((await collect()).sessions).toEqual([]);
    const [session] = (await collect(undefined, { GEMINI_CLI_HOME: base })).sessions;
    expect(session!.anonymousProjectId).toBe(hashProjectPath(project, "test-salt"));
    expect(session!.codeMetrics).toEqual({ linesAdded: 4 + 3, linesDeleted: 2, filesModified: 1, filesCreated: 1 });
  });
});
