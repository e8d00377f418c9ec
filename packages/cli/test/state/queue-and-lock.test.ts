import { appendFileSync, existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SessionInput } from "@modu-arena/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/api/client";
import { tryAcquireLock } from "../../src/state/lock";
import { getStatePaths, type StatePaths } from "../../src/state/paths";
import {
  countDeadLetters,
  enqueueSessions,
  listQueue,
  moveToDeadLetter,
  removeAcknowledged,
} from "../../src/state/queue";
import { computeNextAttempt } from "../../src/state/sync-status";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";

function session(sessionId: string, inputTokens: number): SessionInput {
  return { toolType: "codex", sessionId, endedAt: "2026-11-20T10:00:00.000Z", inputTokens, outputTokens: 0 };
}

describe("offline queue", () => {
  let home: string;
  let paths: StatePaths;
  const now = new Date("2026-11-20T10:00:00.000Z");
  beforeEach(() => {
    home = createTempHome();
    paths = getStatePaths(home);
  });
  afterEach(() => removeTempHome(home));

  it("keeps one entry per session: newer cumulative totals replace older ones", async () => {
    await enqueueSessions(paths, [session("a", 10), session("b", 5)], now);
    await enqueueSessions(paths, [session("a", 25)], now);
    const queued = listQueue(paths);
    expect(queued.map((item) => [item.entry.sessionId, item.entry.payload.inputTokens]).sort()).toEqual([
      ["a", 25],
      ["b", 5],
    ]);
  });

  it("a session given twice in one call is written once, with the last totals", async () => {
    expect(await enqueueSessions(paths, [session("a", 10), session("a", 12), session("b", 1)], now)).toBe(2);
    expect(listQueue(paths).find((item) => item.entry.sessionId === "a")?.entry.payload.inputTokens).toBe(12);
  });

  it("an acknowledgement of an older revision never removes a newer one", async () => {
    await enqueueSessions(paths, [session("a", 10)], now);
    const [sent] = listQueue(paths);
    // While the request for 10 tokens was in flight, the session grew.
    await enqueueSessions(paths, [session("a", 30)], now);
    expect(removeAcknowledged(sent!)).toBe(false);
    expect(listQueue(paths)[0]?.entry.payload.inputTokens).toBe(30);
  });

  it("a write killed half-way leaves a temp file that is ignored, then swept once stale", async () => {
    await enqueueSessions(paths, [session("a", 10)], now);
    const temp = join(paths.queueDir, "codex--deadbeef.json.123.abcd.tmp");
    writeFileSync(temp, '{"revision": "x", "sessionId": "a", "payl');
    expect(listQueue(paths)).toHaveLength(1);
    expect(existsSync(temp)).toBe(true);
    const old = new Date(Date.now() - 120_000);
    utimesSync(temp, old, old);
    listQueue(paths);
    expect(existsSync(temp)).toBe(false);
  });

  it("dead letters keep the payload and the reason, and leave the queue", async () => {
    await enqueueSessions(paths, [session("a", 10)], now);
    moveToDeadLetter(paths, listQueue(paths)[0]!, "invalid_request: endedAt in the future", now);
    expect(listQueue(paths)).toEqual([]);
    const line = JSON.parse(readFileSync(paths.deadLetter, "utf8").trim());
    expect(line).toMatchObject({
      reason: "invalid_request: endedAt in the future",
      sessionId: "a",
      payload: { inputTokens: 10 },
    });
  });

  it("counts each refused session once per tool, past a torn line", async () => {
    await enqueueSessions(paths, [session("a", 10), session("b", 10)], now);
    for (const queued of listQueue(paths)) moveToDeadLetter(paths, queued, "invalid_request", now);
    // Refused again after it grew, and a line a crash cut short.
    await enqueueSessions(paths, [session("a", 20)], now);
    moveToDeadLetter(paths, listQueue(paths)[0]!, "invalid_request", now);
    appendFileSync(paths.deadLetter, '{"toolType":"codex","sessionId":"c"');
    expect(countDeadLetters(paths)).toEqual({ codex: 2 });
  });
});

describe("sync lock", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
  });
  afterEach(() => removeTempHome(home));

  it("lets exactly one holder in, and the next one after release", () => {
    const path = join(home, "sync.lock");
    expect(() => tryAcquireLock(join(home, "missing", "sync.lock"), new Date())).toThrow(/ENOENT/);
    const first = tryAcquireLock(path, new Date());
    expect(first).toBeDefined();
    expect(tryAcquireLock(path, new Date())).toBeUndefined();
    first!.release();
    expect(tryAcquireLock(path, new Date())).toBeDefined();
  });

  it("sweeps the private files of syncs killed before they linked them", () => {
    const path = join(home, "sync.lock");
    const leftover = join(home, "sync.lock.4242.abcd1234");
    writeFileSync(leftover, "{}");
    tryAcquireLock(path, new Date())!.release();
    expect(existsSync(leftover)).toBe(true);
    tryAcquireLock(path, new Date(Date.now() + 120_000))!.release();
    expect(existsSync(leftover)).toBe(false);
  });

  it("takes over a lock left by a killed process or held for too long", () => {
    const path = join(home, "sync.lock");
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, acquiredAt: new Date().toISOString() }));
    expect(tryAcquireLock(path, new Date())).toBeDefined();
    writeFileSync(path, JSON.stringify({ pid: process.pid, acquiredAt: "2020-01-01T00:00:00.000Z" }));
    expect(tryAcquireLock(path, new Date())).toBeDefined();
    // Unreadable: maybe being written this very moment, so it is respected for a few seconds...
    writeFileSync(path, "");
    expect(tryAcquireLock(path, new Date())).toBeUndefined();
    // ...and taken over once it has stayed unreadable (a crash between create and write).
    writeFileSync(path, "garbage from a crash mid-write");
    expect(tryAcquireLock(path, new Date(Date.now() + 60_000))).toBeDefined();
  });
});

describe("backoff", () => {
  const now = new Date("2026-11-20T10:00:00.000Z");

  it("doubles from 30 seconds up to an hour, unless the server said how long (Retry-After)", () => {
    const seconds = (failures: number, retryAfter?: number) =>
      (computeNextAttempt(now, failures, retryAfter).getTime() - now.getTime()) / 1000;
    expect([1, 2, 3, 10].map((failures) => seconds(failures))).toEqual([30, 60, 120, 3600]);
    expect(seconds(5, 7)).toBe(7);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Fri, 20 Nov 2026 10:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
