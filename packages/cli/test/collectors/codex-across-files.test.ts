import { rmSync } from "node:fs";
import { sessionInputSchema } from "@modu-arena/core";
import { beforeEach, describe, expect, it } from "vitest";
import { type CodexState, codexCollector } from "../../src/collectors/codex";
import type { UsageRecord } from "../../src/collectors/types";
import { rolloutPath, sessionMeta, tokenCount, turnContext, type Usage, userMessage } from "../fixtures/codex-records";
import { appendText, roundTrip, toJsonl, useCollectorFixture, writeText } from "../fixtures/fixture-home";

const PARENT = "0197f3a2-0000-7000-8000-0000000000aa";
const CHILD = "0197f3a2-0000-7000-8000-0000000000bb";
const SIBLING = "0197f3a2-0000-7000-8000-0000000000cc";
const SHARED = "0197f3a2-0000-7000-8000-0000000000dd";
const OTHER_FILE = "0197f3a2-0000-7000-8000-0000000000ee";

const { fixture, collect } = useCollectorFixture(codexCollector);
let codexHome: string;
beforeEach(() => {
  codexHome = fixture.path(".codex");
});

/** A run as `sync` makes it: sessions only, the previous state persisted as JSON. */
async function sync(previous?: CodexState) {
  const result = await codexCollector.collect(
    fixture.environment({}, { skipRecords: true }),
    previous && roundTrip(previous),
  );
  for (const session of result.sessions) expect(sessionInputSchema.safeParse(session).success).toBe(true);
  return result;
}

type Tokens = [number, number, number, number];
const tokensOf = (session: {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens?: number;
  cacheReadTokens?: number;
}): Tokens => [
  session.inputTokens,
  session.outputTokens,
  session.cacheCreationTokens ?? 0,
  session.cacheReadTokens ?? 0,
];
const add = (into: Tokens, tokens: Tokens) => {
  for (let i = 0; i < 4; i++) into[i] = into[i]! + tokens[i]!;
  return into;
};
const sumRecords = (records: UsageRecord[]) =>
  records.reduce<Tokens>((sum, record) => add(sum, tokensOf(record)), [0, 0, 0, 0]);
const sumSessions = (sessions: Parameters<typeof tokensOf>[0][]) =>
  sessions.reduce<Tokens>((sum, session) => add(sum, tokensOf(session)), [0, 0, 0, 0]);

const at = (base: string, offsetMs: number) => new Date(Date.parse(base) + offsetMs).toISOString();

/** `count` cumulative token_count rows, each call adding `step`, from `start`, one every `everyMs`. */
function cumulativeRows(count: number, step: Usage, base: string, everyMs: number, start: Usage = [0, 0, 0, 0]) {
  return Array.from({ length: count }, (_, i) => {
    const total = start.map((value, k) => value + step[k]! * (i + 1)) as Usage;
    return tokenCount(at(base, everyMs * (i + 1)), total, step);
  });
}

/** A parent of 150 calls; a child forked after its 135th call replays those rows, stamped over several seconds. */
function forkFixture() {
  const step: Usage = [1000, 600, 50, 10];
  const parentRows = cumulativeRows(150, step, "2026-03-02T09:00:00.000Z", 60_000);
  const parent = [
    sessionMeta(PARENT, "2026-03-02T09:00:00.000Z"),
    turnContext("2026-03-02T09:00:00.500Z"),
    ...parentRows,
  ];
  const created = "2026-03-02T12:00:00.200Z";
  const replay = parentRows.slice(0, 135).map((row, i) => ({ ...row, timestamp: at(created, 30 * (i + 1)) }));
  const forkPoint: Usage = [135_000, 81_000, 6750, 1350];
  const own = cumulativeRows(45, [2000, 1500, 80, 20], "2026-03-02T12:01:00.000Z", 10_000, forkPoint);
  const child = [
    sessionMeta(CHILD, created, { forked_from_id: PARENT }),
    sessionMeta(PARENT, "2026-03-02T09:00:00.000Z"),
    turnContext(at(created, 5)),
    userMessage(at(created, 10)),
    ...replay,
    userMessage("2026-03-02T12:00:30.000Z", "the fork's own prompt"),
    ...own,
  ];
  // growth past the fork: 45 calls of 2000 in (1500 cached), 80 out
  const childTokens: Tokens = [45 * 500, 45 * 80, 0, 45 * 1500];
  return { parent, child, childTokens, replayEnd: 4 + replay.length };
}

describe("codex rollouts across files", () => {
  it("tells a fork's replay by its parent's totals, however late it is stamped", async () => {
    const { parent, child, childTokens } = forkFixture();
    writeText(rolloutPath(codexHome, "sessions", "2026-03-02", PARENT), toJsonl(parent));
    writeText(rolloutPath(codexHome, "sessions", "2026-03-02", CHILD), toJsonl(child));
    const result = await collect();
    const byId = new Map(result.sessions.map((session) => [session.sessionId, session]));
    expect(tokensOf(byId.get(CHILD)!)).toEqual(childTokens);
    expect(byId.get(CHILD)).toMatchObject({ turnCount: 1, startedAt: "2026-03-02T12:00:00.200Z" });
    expect(tokensOf(byId.get(PARENT)!)).toEqual([150 * 400, 150 * 50, 0, 150 * 600]);
    expect(sumRecords(result.records)).toEqual(sumSessions(result.sessions));
  });

  it("goes on matching a replay that a sync caught half written", async () => {
    const { parent, child, childTokens } = forkFixture();
    writeText(rolloutPath(codexHome, "sessions", "2026-03-02", PARENT), toJsonl(parent));
    const childPath = rolloutPath(codexHome, "sessions", "2026-03-02", CHILD);
    writeText(childPath, toJsonl(child.slice(0, 60)));
    const first = await sync();
    expect(first.sessions.map((session) => session.sessionId)).toEqual([PARENT]);
    appendText(childPath, toJsonl(child.slice(60)));
    const second = await sync(first.state);
    expect(second.sessions.map((session) => [session.sessionId, tokensOf(session)])).toEqual([[CHILD, childTokens]]);
  });

  it("ends a replay left unfinished when the parent's rollout is gone by the next sync", async () => {
    const { parent, child, childTokens, replayEnd } = forkFixture();
    const parentPath = rolloutPath(codexHome, "sessions", "2026-03-02", PARENT);
    writeText(parentPath, toJsonl(parent));
    const childPath = rolloutPath(codexHome, "sessions", "2026-03-02", CHILD);
    writeText(childPath, toJsonl(child.slice(0, replayEnd)));
    const first = await sync();
    rmSync(parentPath);
    appendText(childPath, toJsonl(child.slice(replayEnd)));
    const [session] = (await sync(first.state)).sessions;
    expect(session).toMatchObject({ sessionId: CHILD, turnCount: 1, endedAt: "2026-03-02T12:08:30.000Z" });
    expect(tokensOf(session!)).toEqual(childTokens);
  });

  it("counts rows equal in time, model and counters once across files (a fork whose parent is gone)", async () => {
    // Two forks of a parent that is not there replay the same rows, stamped after their creation second.
    const replay = cumulativeRows(10, [1000, 600, 50, 10], "2026-03-02T12:00:05.000Z", 100);
    const forkOf = (id: string, created: string, ownBase: string) => [
      sessionMeta(id, created, { forked_from_id: PARENT }),
      turnContext(at(created, 1)),
      ...replay,
      ...cumulativeRows(2, [3000, 0, 100, 0], ownBase, 1000, [10_000, 6000, 500, 100]),
    ];
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", CHILD),
      toJsonl(forkOf(CHILD, "2026-03-02T12:00:00.000Z", "2026-03-02T12:10:00.000Z")),
    );
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", SIBLING),
      toJsonl(forkOf(SIBLING, "2026-03-02T12:00:01.000Z", "2026-03-02T12:20:00.000Z")),
    );
    const result = await collect();
    const replayTokens: Tokens = [10 * 400, 10 * 50, 0, 10 * 600];
    const ownTokens: Tokens = [6000, 200, 0, 0];
    expect(sumSessions(result.sessions)).toEqual(add(add([...replayTokens], ownTokens), ownTokens));
    expect(sumRecords(result.records)).toEqual(sumSessions(result.sessions));
    const byId = new Map(result.sessions.map((session) => [session.sessionId, tokensOf(session)]));
    expect(byId.get(SIBLING)).toEqual(ownTokens);
  });

  it("counts a row another file already counted in an earlier run once", async () => {
    const same = tokenCount("2026-03-02T09:00:10.000Z", [5000, 1000, 300, 0]);
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", PARENT),
      toJsonl([sessionMeta(PARENT, "2026-03-02T09:00:00.000Z"), turnContext("2026-03-02T09:00:01.000Z"), same]),
    );
    const first = await sync();
    writeText(
      rolloutPath(codexHome, "sessions", "2026-03-02", SIBLING),
      toJsonl([
        sessionMeta(SIBLING, "2026-03-02T09:00:05.000Z"),
        turnContext("2026-03-02T09:00:06.000Z"),
        same,
        tokenCount("2026-03-02T09:00:20.000Z", [6000, 1500, 350, 0], [1000, 500, 50, 0]),
      ]),
    );
    const second = await sync(first.state);
    expect(second.sessions.map((session) => [session.sessionId, tokensOf(session)])).toEqual([
      [SIBLING, [500, 50, 0, 500]],
    ]);
    const report = await collect();
    expect(sumRecords(report.records)).toEqual([4000 + 500, 350, 0, 1500]);
  });

  it("sends one payload per session id: the union of the files carrying it", async () => {
    const sharedPath = rolloutPath(codexHome, "sessions", "2026-03-02", SHARED);
    const otherPath = rolloutPath(codexHome, "sessions", "2026-03-03", OTHER_FILE);
    writeText(
      sharedPath,
      toJsonl([
        sessionMeta(SHARED, "2026-03-02T09:00:00.000Z"),
        turnContext("2026-03-02T09:00:01.000Z"),
        userMessage("2026-03-02T09:00:02.000Z"),
        tokenCount("2026-03-02T09:00:10.000Z", [1000, 0, 100, 0]),
      ]),
    );
    // a second file (another name) whose session_meta carries the same id
    writeText(
      otherPath,
      toJsonl([
        sessionMeta(SHARED, "2026-03-03T09:00:00.000Z"),
        turnContext("2026-03-03T09:00:01.000Z"),
        userMessage("2026-03-03T09:00:02.000Z"),
        tokenCount("2026-03-03T09:00:10.000Z", [2000, 0, 200, 0]),
      ]),
    );
    const full = await collect();
    expect(full.sessions).toHaveLength(1);
    expect(full.sessions[0]).toMatchObject({
      sessionId: SHARED,
      inputTokens: 3000,
      outputTokens: 300,
      turnCount: 2,
      startedAt: "2026-03-02T09:00:00.000Z",
      endedAt: "2026-03-03T09:00:10.000Z",
    });
    expect(sumRecords(full.records)).toEqual(sumSessions(full.sessions));
    // one of them grows: the payload still carries both
    const first = await sync();
    appendText(sharedPath, toJsonl([tokenCount("2026-03-02T09:01:00.000Z", [1500, 0, 150, 0], [500, 0, 50, 0])]));
    const second = await sync(first.state);
    expect(second.sessions.map((session) => [session.sessionId, tokensOf(session)])).toEqual([
      [SHARED, [3500, 350, 0, 0]],
    ]);
  });

  it("gives stats' records and sync's sessions the same sum, in one run or in two", async () => {
    const { parent, child, replayEnd } = forkFixture();
    const files: [string, unknown[]][] = [
      [rolloutPath(codexHome, "sessions", "2026-03-02", PARENT), parent],
      [rolloutPath(codexHome, "sessions", "2026-03-02", CHILD), child],
      [
        rolloutPath(codexHome, "sessions", "2026-03-02", SHARED),
        [
          sessionMeta(SHARED, "2026-03-02T13:00:00.000Z"),
          { ...tokenCount("", [900, 100, 90, 9]), timestamp: null },
          ...cumulativeRows(5, [700, 300, 70, 7], "2026-03-02T13:00:10.000Z", 1000, [900, 100, 90, 9]),
        ],
      ],
      [
        rolloutPath(codexHome, "sessions", "2026-03-03", OTHER_FILE),
        [sessionMeta(SHARED, "2026-03-03T09:00:00.000Z"), ...parent.slice(2, 12)],
      ],
    ];
    for (const [path, lines] of files) writeText(path, toJsonl(lines));
    const full = await collect();
    const synced = await sync();
    expect(sumRecords(full.records)).toEqual(sumSessions(full.sessions));
    expect(sumSessions(synced.sessions)).toEqual(sumSessions(full.sessions));
    expect(full.undatedRecords).toBe(1);

    // the same files written in two steps, synced after each: the last payload per session sums the same
    // (the parent holds the rows up to the fork point before the fork is written)
    const splitAt = (path: string) => (path.includes(CHILD) ? replayEnd - 40 : path.includes(PARENT) ? 140 : 3);
    for (const [path, lines] of files) writeText(path, toJsonl(lines.slice(0, splitAt(path))));
    const first = await sync();
    for (const [path, lines] of files) appendText(path, toJsonl(lines.slice(splitAt(path))));
    const second = await sync(first.state);
    const latest = new Map([...first.sessions, ...second.sessions].map((session) => [session.sessionId, session]));
    expect(sumSessions([...latest.values()])).toEqual(sumSessions(full.sessions));
  });
});
