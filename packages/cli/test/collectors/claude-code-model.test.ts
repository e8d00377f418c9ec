import { utimesSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claudeCodeCollector } from "../../src/collectors/claude-code";
import { assistantLine } from "../fixtures/claude-records";
import { appendText, createFixtureHome, persistState, toJsonl } from "../fixtures/fixture-home";

/** One billed call as the test's model knows it: its owner session, final usage and how it gets logged. */
interface LogicalCall {
  owner: number;
  withRequestId: boolean;
  input: number;
  output: number;
  placeholderFirst: boolean;
  /** Index of a later session whose file copies this call (resume), if any. */
  resumedInto: number | null;
  /** Index of a session file holding a /btw sidechain replay of it, if any. */
  replayedIn: number | null;
}

const SESSIONS = 3;
const sessionId = (index: number) => `00000000-0000-4000-8000-00000000000${index}`;

const callArbitrary = fc.record({
  owner: fc.nat(SESSIONS - 1),
  withRequestId: fc.boolean(),
  input: fc.integer({ min: 1, max: 5000 }),
  output: fc.integer({ min: 2, max: 5000 }),
  placeholderFirst: fc.boolean(),
  resumedInto: fc.option(fc.nat(SESSIONS - 1), { nil: null }),
  replayedIn: fc.option(fc.nat(SESSIONS - 1), { nil: null }),
});

/** Lines of each session file, per call (a call's copies are written when the call happens). */
function layOut(calls: LogicalCall[]): Record<string, unknown>[][][] {
  return calls.map((call, index) => {
    const files: Record<string, unknown>[][] = Array.from({ length: SESSIONS }, () => []);
    const messageId = `msg_${index}`;
    const requestId = call.withRequestId ? `req_${index}` : null;
    const line = (session: number, output: number, extra: Record<string, unknown> = {}) =>
      assistantLine({
        sessionId: sessionId(session),
        messageId,
        requestId,
        timestamp: `2026-03-02T10:00:${String(index % 60).padStart(2, "0")}.000Z`,
        usage: { input: call.input, output },
        ...extra,
      });
    // the streaming placeholder (output 1) before or after the final line of the same response
    const own = [line(call.owner, call.output), line(call.owner, 1)];
    files[call.owner]!.push(...(call.placeholderFirst ? own.reverse() : own));
    if (call.withRequestId && call.resumedInto !== null && call.resumedInto > call.owner) {
      files[call.resumedInto]!.push(line(call.resumedInto, call.output));
    }
    if (call.replayedIn !== null) {
      files[call.replayedIn]!.push(
        line(call.replayedIn, call.output, { requestId: `req_btw_${index}`, isSidechain: true }),
      );
    }
    return files;
  });
}

/** The expectation, straight from the rules: each call once, at its final size, in its owner session. */
function expectTotals(calls: LogicalCall[]): Map<string, [number, number]> {
  const totals = new Map<string, [number, number]>();
  for (const call of calls) {
    const id = sessionId(call.owner);
    const [input, output] = totals.get(id) ?? [0, 0];
    totals.set(id, [input + call.input, output + call.output]);
  }
  return totals;
}

describe("claude-code collector against a model of the dedup rules", () => {
  it("counts every call once at its largest size, whatever the copies, order and run split", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(callArbitrary, { minLength: 1, maxLength: 12 }), fc.nat(100), async (calls, cut) => {
        const fixture = createFixtureHome();
        try {
          const perCall = layOut(calls);
          const path = (index: number) => fixture.path(".claude", "projects", "-p", `${sessionId(index)}.jsonl`);
          const split = Math.floor((calls.length * cut) / 100);
          // Files are written in session order, so their mtimes (the read order) follow it, as resumes do.
          const write = (from: number, to: number, day: number) => {
            for (let index = 0; index < SESSIONS; index++) {
              const lines = perCall.slice(from, to).flatMap((files) => files[index]!);
              appendText(path(index), lines.length > 0 ? toJsonl(lines) : "");
              utimesSync(path(index), new Date(Date.UTC(2026, 2, day, index)), new Date(Date.UTC(2026, 2, day, index)));
            }
          };
          write(0, split, 1);
          const environment = fixture.environment();
          const first = await claudeCodeCollector.collect(environment, undefined);
          write(split, calls.length, 2);
          const second = await claudeCodeCollector.collect(environment, persistState(claudeCodeCollector, first.state));
          const latest = new Map<string, [number, number]>();
          for (const session of [...first.sessions, ...second.sessions]) {
            latest.set(session.sessionId, [session.inputTokens, session.outputTokens]);
          }
          expect(latest).toEqual(expectTotals(calls));
        } finally {
          fixture.remove();
        }
      }),
      { numRuns: 60 },
    );
  });
});
