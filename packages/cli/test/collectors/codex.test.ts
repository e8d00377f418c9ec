import { rmSync } from "node:fs";
import { sessionInputSchema } from "@modu-arena/core";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { type CodexState, codexCollector } from "../../src/collectors/codex";
import { aggregateUsage } from "../../src/stats/aggregate-usage";
import {
  agentMessageItem,
  assistantMessage,
  customToolCall,
  functionCall,
  rolloutPath,
  sessionMeta,
  tokenCount,
  turnContext,
  usageRecordPair,
  userMessage,
  userMessageItem,
  withTimestamp,
  worldState,
} from "../fixtures/codex-records";
import { appendText, roundTrip, toJsonl, useCollectorFixture, writeText } from "../fixtures/fixture-home";
import { compressWithZstdBinary, encodeRawZstd } from "../fixtures/zstd-frame";

const ID = "0197f3a2-0000-7000-8000-00000000abcd";
const CHILD = "0197f3a2-0000-7000-8000-00000000beef";

const { fixture, collect } = useCollectorFixture(codexCollector);
/** A run as `sync` makes it: sessions only, the previous state persisted as JSON. */
const sync = async (previous?: CodexState) => {
  const result = await codexCollector.collect(
    fixture.environment({}, { skipRecords: true }),
    previous && roundTrip(previous),
  );
  for (const session of result.sessions) expect(sessionInputSchema.safeParse(session).success).toBe(true);
  return result;
};
let codexHome: string;
beforeEach(() => {
  codexHome = fixture.path(".codex");
});

const tokensOf = (session: {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens?: number;
  cacheReadTokens?: number;
}) => [session.inputTokens, session.outputTokens, session.cacheCreationTokens, session.cacheReadTokens];

/** The spec's §2.4 example: a re-emitted total between two real calls. */
const specExample = () => [
  sessionMeta(ID, "2026-03-02T09:00:00.000Z"),
  turnContext("2026-03-02T09:00:02.000Z"),
  userMessage("2026-03-02T09:00:01.000Z"),
  functionCall("2026-03-02T09:00:09.500Z", "exec_command", { cmd: "ls" }),
  tokenCount("2026-03-02T09:00:10.000Z", [9000, 6000, 400, 250]),
  tokenCount("2026-03-02T09:00:10.400Z", [9000, 6000, 400, 250]),
  assistantMessage("2026-03-02T09:00:15.000Z", "a long answer that the pre-filter never parses"),
  tokenCount("2026-03-02T09:00:21.000Z", [19500, 15000, 700, 300], [10500, 9000, 300, 50]),
];

describe("codex collector", () => {
  it("takes cumulative totals as deltas and skips re-emitted totals (spec example)", async () => {
    writeText(rolloutPath(codexHome, "sessions", "2026-03-02", ID), toJsonl(specExample()));
    const result = await collect();
    expect(result.sessions).toHaveLength(1);
    const session = result.sessions[0]!;
    // input 19,500 of which 15,000 cached -> 4,500 uncached; output 700 (reasoning inside, not added)
    expect(tokensOf(session)).toEqual([4500, 700, 0, 15000]);
    expect(session).toMatchObject({
      sessionId: ID,
      modelName: "gpt-5.2-codex",
      turnCount: 1,
      toolUsage: { exec_command: 1 },
    });
    expect(session.startedAt).toBe("2026-03-02T09:00:00.000Z");
    expect(session.endedAt).toBe("2026-03-02T09:00:21.000Z");
    expect(result.records.map((record) => record.inputTokens + record.cacheReadTokens)).toEqual([9000, 10500]);
  });

  it("falls back to last_token_usage when the total goes backwards", async () => {
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", ID),
      toJsonl([
        sessionMeta(ID, "2026-03-02T09:00:00.000Z"),
        turnContext("2026-03-02T09:00:02.000Z"),
        tokenCount("2026-03-02T09:00:10.000Z", [5000, 1000, 100, 0]),
        // compaction reset the counter: the last call is 800 in (200 cached), 50 out
        tokenCount("2026-03-02T09:01:00.000Z", [800, 200, 50, 0], [800, 200, 50, 0]),
        tokenCount("2026-03-02T09:02:00.000Z", [1800, 700, 90, 0], [1000, 500, 40, 0]),
      ]),
    );
    const [session] = (await collect()).sessions;
    // 5000-1000 + 800-200 + (1000-500) uncached; 1000+200+500 cached; 100+50+40 out
    expect(tokensOf(session!)).toEqual([4000 + 600 + 500, 190, 0, 1700]);
  });

  it("subtracts a fork's replay of its parent and counts only the growth past it", async () => {
    writeText(rolloutPath(codexHome, "sessions", "2026-03-02", ID), toJsonl(specExample()));
    const created = "2026-03-02T10:00:00.200Z";
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", CHILD),
      toJsonl([
        sessionMeta(CHILD, created, { forked_from_id: ID }),
        sessionMeta(ID, "2026-03-02T09:00:00.000Z"),
        // the parent's history replayed, stamped with the child's creation second
        turnContext("2026-03-02T10:00:00.300Z"),
        userMessage("2026-03-02T10:00:00.300Z"),
        tokenCount("2026-03-02T10:00:00.400Z", [9000, 6000, 400, 250]),
        tokenCount("2026-03-02T10:00:00.500Z", [19500, 15000, 700, 300], [10500, 9000, 300, 50]),
        // the child's own call
        userMessage("2026-03-02T10:00:05.000Z"),
        tokenCount("2026-03-02T10:00:20.000Z", [30000, 25000, 1000, 300], [10500, 10000, 300, 0]),
      ]),
    );
    const result = await collect();
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect(tokensOf(byId.get(ID)!)).toEqual([4500, 700, 0, 15000]);
    // growth: input 10,500 (10,000 cached), output 300
    expect(tokensOf(byId.get(CHILD)!)).toEqual([500, 300, 0, 10000]);
    expect(byId.get(CHILD)!.turnCount).toBe(1);
  });

  it("treats a subagent source like a fork", async () => {
    const created = "2026-03-02T11:00:00.000Z";
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", CHILD),
      toJsonl([
        sessionMeta(CHILD, created, { source: { subagent: { thread_spawn: { parent_thread_id: ID } } } }),
        tokenCount("2026-03-02T11:00:00.900Z", [19500, 15000, 700, 300]),
        tokenCount("2026-03-02T11:00:30.000Z", [20500, 15500, 720, 300], [1000, 500, 20, 0]),
      ]),
    );
    const [session] = (await collect()).sessions;
    expect(tokensOf(session!)).toEqual([500, 20, 0, 500]);
  });

  it("reads .jsonl.zst rollouts, prefers the plain copy and the active copy, never counting twice", async () => {
    const old = "0197f3a2-0000-7000-8000-000000000001";
    const oldLines = [
      sessionMeta(old, "2026-02-01T09:00:00.000Z"),
      tokenCount("2026-02-01T09:01:00.000Z", [100, 40, 10, 0]),
    ];
    writeText(
      rolloutPath(codexHome, "sessions", "2026-02-01", old, true),
      encodeRawZstd(Buffer.from(toJsonl(oldLines))),
    );
    // the same thread archived as well: the active copy wins
    writeText(rolloutPath(codexHome, "archived_sessions", "2026-02-01", old), toJsonl(oldLines));
    // a compressed rollout being appended to again: plain (with the new call) beside the .zst
    const resumed = [
      sessionMeta(ID, "2026-02-02T09:00:00.000Z"),
      tokenCount("2026-02-02T09:01:00.000Z", [1000, 0, 10, 0]),
    ];
    writeText(rolloutPath(codexHome, "sessions", "2026-02-02", ID, true), encodeRawZstd(Buffer.from(toJsonl(resumed))));
    const grown = [...resumed, tokenCount("2026-03-05T09:01:00.000Z", [1500, 100, 30, 0], [500, 100, 20, 0])];
    writeText(rolloutPath(codexHome, "sessions", "2026-02-02", ID), toJsonl(grown));
    const result = await collect();
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect(tokensOf(byId.get(old)!)).toEqual([60, 10, 0, 40]);
    expect(tokensOf(byId.get(ID)!)).toEqual([1400, 30, 0, 100]);
    expect(result.filesRead).toBe(2);
  });

  it("decodes a really compressed rollout when a zstd binary is available", async () => {
    const lines = [
      sessionMeta(ID, "2026-02-01T09:00:00.000Z"),
      ...Array.from({ length: 300 }, (_, i) =>
        tokenCount(
          `2026-02-01T09:${String(Math.floor(i / 60) + 1).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.000Z`,
          [(i + 1) * 100, (i + 1) * 50, (i + 1) * 10, 0],
        ),
      ),
    ];
    const compressed = compressWithZstdBinary(Buffer.from(toJsonl(lines)));
    if (!compressed) return;
    writeText(rolloutPath(codexHome, "sessions", "2026-02-01", ID, true), compressed);
    const [session] = (await collect()).sessions;
    expect(tokensOf(session!)).toEqual([300 * 50, 300 * 10, 0, 300 * 50]);
  });

  it("continues incrementally, and recomputes (not re-adds) a rollout that was compressed meanwhile", async () => {
    const path = rolloutPath(codexHome, "sessions", "2026-03-02", ID);
    const lines = specExample();
    writeText(path, toJsonl(lines.slice(0, 5)));
    const first = await collect();
    expect(tokensOf(first.sessions[0]!)).toEqual([3000, 400, 0, 6000]);
    appendText(path, toJsonl(lines.slice(5)));
    const second = await collect(first.state);
    expect(tokensOf(second.sessions[0]!)).toEqual([4500, 700, 0, 15000]);
    expect(second.records).toHaveLength(1);
    expect((await collect(second.state)).sessions).toEqual([]);
    rmSync(path);
    writeText(rolloutPath(codexHome, "sessions", "2026-03-02", ID, true), encodeRawZstd(Buffer.from(toJsonl(lines))));
    const third = await collect(second.state);
    expect(tokensOf(third.sessions[0]!)).toEqual([4500, 700, 0, 15000]);
  });

  it("skips malformed lines and waits for an unfinished last line", async () => {
    const path = rolloutPath(codexHome, "sessions", "2026-03-02", ID);
    const lines = specExample();
    const tail = JSON.stringify(lines[7]);
    writeText(
      path,
      `${toJsonl([...lines.slice(0, 5), '{"type":"event_msg","payload":{"type":"token_count","info":{'])}${tail.slice(0, 30)}`,
    );
    const first = await collect();
    expect(first.malformedLines).toBe(1);
    expect(tokensOf(first.sessions[0]!)).toEqual([3000, 400, 0, 6000]);
    appendText(path, `${tail.slice(30)}\n`);
    const second = await collect(first.state);
    expect(tokensOf(second.sessions[0]!)).toEqual([4500, 700, 0, 15000]);
  });

  it("derives code metrics from apply_patch and honours CODEX_HOME", async () => {
    const patch = [
      "*** Begin Patch",
      "*** Add File: src/new.ts",
      "+export const a = 1;",
      "+export const b = 2;",
      "*** Update File: src/app.ts",
      "@@ function main()",
      "-  old();",
      "+  next();",
      "+  more();",
      "*** End Patch",
    ].join("\n");
    const home = fixture.path("elsewhere");
    writeText(
      rolloutPath(home, "sessions", "2026-03-02", ID),
      toJsonl([
        sessionMeta(ID, "2026-03-02T09:00:00.000Z"),
        customToolCall("2026-03-02T09:00:05.000Z", "apply_patch", patch),
        functionCall("2026-03-02T09:00:06.000Z", "shell", {
          command: ["apply_patch", patch.replace("src/new.ts", "src/other.ts")],
        }),
        tokenCount("2026-03-02T09:00:10.000Z", [10, 0, 1, 0]),
      ]),
    );
    expect((await collect()).sessions).toEqual([]);
    const [session] = (await collect(undefined, { CODEX_HOME: home })).sessions;
    expect(session!.codeMetrics).toEqual({ linesAdded: 8, linesDeleted: 2, filesModified: 1, filesCreated: 2 });
    expect(session!.toolUsage).toEqual({ apply_patch: 1, shell: 1 });
  });

  it("survives a corrupt .zst: counts it as malformed and still reads the other rollouts", async () => {
    writeText(
      rolloutPath(codexHome, "sessions", "2026-02-01", CHILD, true),
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xff, 0x00, 0x13]),
    );
    writeText(rolloutPath(codexHome, "sessions", "2026-03-02", ID), toJsonl(specExample()));
    const result = await collect();
    expect(result.malformedLines).toBe(1);
    expect(result.sessions.map((session) => session.sessionId)).toEqual([ID]);
  });

  it("dates a token_count without a usable time from the line before it, else the file's mtime", async () => {
    const undatedId = "0197f3a2-0000-7000-8000-000000000002";
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", ID),
      toJsonl([
        sessionMeta(ID, "2026-03-02T09:00:00.000Z"),
        turnContext("2026-03-02T09:00:02.000Z"),
        withTimestamp(tokenCount("", [100, 40, 10, 0]), undefined),
        // epoch seconds, then epoch milliseconds
        withTimestamp(tokenCount("", [200, 80, 20, 0]), 1772442060),
        withTimestamp(tokenCount("", [300, 120, 30, 0]), 1772442120500),
        withTimestamp(tokenCount("", [400, 160, 40, 0]), null),
      ]),
    );
    const mtime = new Date("2026-03-05T12:00:00.000Z");
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-05", undatedId),
      toJsonl([
        withTimestamp(sessionMeta(undatedId, ""), undefined),
        withTimestamp(tokenCount("", [50, 0, 5, 0]), "not a date"),
      ]).replace(',"timestamp":""', ""),
      mtime,
    );
    const result = await collect();
    const times = result.records.map((record) => new Date(record.timestamp).toISOString());
    expect(times.sort()).toEqual([
      "2026-03-02T09:00:02.000Z", // the turn_context's time
      "2026-03-02T09:01:00.000Z",
      "2026-03-02T09:02:00.500Z",
      "2026-03-02T09:02:00.500Z", // the previous token_count's
      mtime.toISOString(),
    ]);
    expect(result.undatedRecords).toBe(3);
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect(byId.get(ID)!.endedAt).toBe("2026-03-02T09:02:00.500Z");
    expect(byId.get(undatedId)).toMatchObject({ startedAt: mtime.toISOString(), inputTokens: 50, outputTokens: 5 });
    // sync counts what stats counts
    const synced = await sync();
    expect(sumSessions(synced.sessions)).toEqual(sumRecords(result.records));
    expect(synced.undatedRecords).toBe(3);
  });

  it("never crashes on odd values, and stats and sync still agree", async () => {
    const odd = fc.constantFrom<unknown>(
      undefined,
      null,
      "",
      "garbage",
      "NaN",
      "Infinity",
      -1,
      0,
      Number.MAX_VALUE,
      1e21,
      -1772442060,
      1772442060,
      1772442060.5,
      "2026-02-30T09:00:00.000Z",
      "2026-03-02T09:00:00Z",
      true,
      { at: 1 },
      [],
    );
    const row = fc.tuple(odd, fc.nat({ max: 5 }), fc.boolean(), odd, odd);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), odd, odd, async (rows, parent, created) => {
        const id = `0197f3a2-0000-7000-8000-${String(run++).padStart(12, "0")}`;
        let total = 0;
        const lines = rows.map(([time, growth, asPrompt, model, counter]) => {
          total += growth * 100;
          if (asPrompt) return withTimestamp(userMessage(""), time);
          const record = tokenCount("", [total, total / 2, total / 10, 0]);
          const info = { ...record.payload.info, model };
          // an odd value in place of one counter
          info.last_token_usage = { ...info.last_token_usage!, output_tokens: counter as number };
          return withTimestamp({ ...record, payload: { ...record.payload, info } }, time);
        });
        const meta = sessionMeta(id, "", { forked_from_id: parent, timestamp: created });
        const path = rolloutPath(codexHome, "sessions", "2026-03-02", id);
        writeText(path, toJsonl([withTimestamp(meta, rows[0]![0]), ...lines]));
        const full = await collect();
        const synced = await sync();
        rmSync(path);
        for (const record of full.records) expect(Number.isFinite(record.timestamp)).toBe(true);
        expect(() => aggregateUsage(full.records, { groupBy: "day", timezone: "UTC" })).not.toThrow();
        expect(sumSessions(synced.sessions)).toEqual(sumRecords(full.records));
      }),
      { numRuns: 60 },
    );
  });

  it("takes the model the token_count names itself before a turn_context's", async () => {
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", ID),
      toJsonl([
        sessionMeta(ID, "2026-03-02T09:00:00.000Z"),
        turnContext("2026-03-02T09:00:01.000Z", ""),
        tokenCount("2026-03-02T09:00:05.000Z", [50, 0, 5, 0]),
        { ...tokenCount("2026-03-02T09:00:10.000Z", [100, 0, 10, 0]), model: "gpt-from-the-line" },
        modelled(tokenCount("2026-03-02T09:00:20.000Z", [200, 0, 20, 0]), "gpt-5.1-codex-mini"),
        turnContext("2026-03-02T09:00:30.000Z", "gpt-5.2-codex"),
        modelled(tokenCount("2026-03-02T09:00:40.000Z", [300, 0, 30, 0]), "gpt-5.1-codex-max"),
        tokenCount("2026-03-02T09:00:50.000Z", [400, 0, 40, 0]),
        {
          ...tokenCount("2026-03-02T09:01:00.000Z", [500, 0, 50, 0]),
          payload: { ...tokenCount("", [500, 0, 50, 0]).payload, model: "gpt-from-payload" },
        },
      ]),
    );
    const result = await collect();
    expect(result.records.map((record) => record.model)).toEqual([
      null,
      "gpt-from-the-line",
      "gpt-5.1-codex-mini",
      "gpt-5.1-codex-max",
      "gpt-5.2-codex",
      "gpt-from-payload",
    ]);
  });

  it("carries reasoning tokens per call and per session, inside output", async () => {
    writeText(rolloutPath(codexHome, "sessions", "2026-03-02", ID), toJsonl(specExample()));
    const result = await collect();
    expect(result.records.map((record) => [record.outputTokens, record.reasoningTokens])).toEqual([
      [400, 250],
      [300, 50],
    ]);
    expect(result.sessions[0]).toMatchObject({ outputTokens: 700, reasoningTokens: 300 });
  });

  it("reads a state of the previous version again, so its sessions gain what it did not keep", async () => {
    const path = rolloutPath(codexHome, "sessions", "2026-03-02", ID);
    writeText(path, toJsonl(specExample()));
    const current = await collect();
    // A version 1 state: no reasoning, no undated-call time, no cross-file rows.
    const older = structuredClone(current.state) as unknown as { version: number; rollouts: Record<string, unknown> };
    older.version = 1;
    for (const rollout of Object.values(current.state.rollouts)) {
      const { rows: _, rowsFrom: __, rowsTo: ___, ...kept } = structuredClone(rollout);
      const { reasoning: ____, ...totals } = kept.progress.totals;
      older.rollouts[rollout.progress.sessionId!] = { ...kept, progress: { ...kept.progress, totals } };
    }
    const next = await collect(older as unknown as CodexState);
    expect(next.sessions[0]).toMatchObject({ outputTokens: 700, reasoningTokens: 300 });
    expect(next.state.version).toBe(current.state.version);
  });

  it("counts a complete last line without its newline once, in a report and across syncs", async () => {
    const path = rolloutPath(codexHome, "sessions", "2026-03-02", ID);
    const lines = specExample();
    writeText(path, toJsonl(lines, false));
    const report = await collect();
    expect(sumRecords(report.records)).toEqual([4500, 700, 0, 15000]);
    const first = await sync();
    expect(tokensOf(first.sessions[0]!)).toEqual([4500, 700, 0, 15000]);
    // the writer ends the line, then goes on
    appendText(
      path,
      `\n${toJsonl([tokenCount("2026-03-02T09:01:00.000Z", [20500, 15500, 720, 300], [1000, 500, 20, 0])])}`,
    );
    const second = await collect(first.state);
    expect(tokensOf(second.sessions[0]!)).toEqual([5000, 720, 0, 15500]);
    expect(second.records).toHaveLength(1);
    expect(second.malformedLines).toBe(0);
  });

  it("counts each Codex 0.171 call once although token_usage_record repeats it", async () => {
    const meta = { ...sessionMeta(ID, "2026-03-02T09:00:00.000Z", { cli_version: "0.171.0" }), ordinal: 0 };
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", ID),
      toJsonl([
        meta,
        worldState("2026-03-02T09:00:00.100Z", 1),
        { ...turnContext("2026-03-02T09:00:00.200Z", "gpt-5.1-codex"), ordinal: 2 },
        ...usageRecordPair("2026-03-02T09:00:03.000Z", 11, [1502, 501, 27, 6], [1502, 501, 27, 6]),
        ...usageRecordPair("2026-03-02T09:01:03.000Z", 21, [1479, 1000, 27, 6], [2981, 1501, 54, 12]),
        ...usageRecordPair("2026-03-02T09:02:03.000Z", 31, [1481, 1000, 27, 6], [4462, 2501, 81, 18]),
      ]),
    );
    const result = await collect();
    expect(result.records).toHaveLength(3);
    expect(tokensOf(result.sessions[0]!)).toEqual([4462 - 2501, 81, 0, 2501]);
    expect(result.sessions[0]).toMatchObject({ reasoningTokens: 18, modelName: "gpt-5.1-codex" });
  });

  it("counts Codex 0.171's prompts, written as item_completed UserMessage items, and not its replies", async () => {
    const meta = { ...sessionMeta(ID, "2026-03-02T09:00:00.000Z", { cli_version: "0.171.0" }), ordinal: 0 };
    const path = rolloutPath(codexHome, "sessions", "2026-03-02", ID);
    writeText(
      path,
      toJsonl([
        meta,
        { ...turnContext("2026-03-02T09:00:00.200Z", "gpt-5.1-codex"), ordinal: 1 },
        userMessageItem("2026-03-02T09:00:01.000Z", 2, "say hi"),
        ...usageRecordPair("2026-03-02T09:00:03.000Z", 3, [1502, 501, 27, 6], [1502, 501, 27, 6]),
        agentMessageItem("2026-03-02T09:00:03.100Z", 5),
        userMessageItem("2026-03-02T09:01:01.000Z", 6, "TOOLCALL run a command"),
        ...usageRecordPair("2026-03-02T09:01:03.000Z", 7, [1479, 1000, 27, 6], [2981, 1501, 54, 12]),
        agentMessageItem("2026-03-02T09:01:03.100Z", 9),
      ]),
    );
    const first = await sync();
    expect(first.sessions[0]!.turnCount).toBe(2);
    appendText(path, toJsonl([userMessageItem("2026-03-02T09:02:01.000Z", 10, "say hi again")]));
    const second = await collect(first.state);
    expect(second.sessions[0]!.turnCount).toBe(3);
  });

  it("counts a prompt once in a rollout that writes it both as a user_message event and as an item", async () => {
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", ID),
      toJsonl([
        sessionMeta(ID, "2026-03-02T09:00:00.000Z"),
        turnContext("2026-03-02T09:00:00.200Z"),
        userMessage("2026-03-02T09:00:01.000Z", "say hi"),
        userMessageItem("2026-03-02T09:00:01.001Z", 3, "say hi"),
        tokenCount("2026-03-02T09:00:03.000Z", [1000, 0, 20, 0]),
        userMessage("2026-03-02T09:01:01.000Z", "again"),
        userMessageItem("2026-03-02T09:01:01.001Z", 6, "again"),
      ]),
    );
    expect((await sync()).sessions[0]!.turnCount).toBe(2);
  });
});

function modelled<T extends { payload: { info: unknown } }>(record: T, model: string) {
  return { ...record, payload: { ...record.payload, info: { ...(record.payload.info as object), model } } };
}

function sumRecords(
  records: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number }[],
) {
  const sum = [0, 0, 0, 0];
  for (const record of records) {
    const tokens = [record.inputTokens, record.outputTokens, record.cacheCreationTokens, record.cacheReadTokens];
    tokens.forEach((value, i) => {
      sum[i]! += value;
    });
  }
  return sum;
}

function sumSessions(sessions: Parameters<typeof tokensOf>[0][]) {
  const sum = [0, 0, 0, 0];
  for (const session of sessions) {
    tokensOf(session).forEach((value, i) => {
      sum[i]! += value ?? 0;
    });
  }
  return sum;
}
