import { toLocalDay } from "@modu-arena/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDashboard } from "../src/services/dashboard/get-dashboard";
import { ingestSessions } from "../src/services/ingest/ingest-sessions";
import { createUser } from "../src/services/users/create-user";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { makeSession } from "./helpers";

const ZONES = ["UTC", "Asia/Seoul", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham", "Europe/Berlin"];
const DAY_MS = 86_400_000;

let test: TestContext;
let userCount = 0;

beforeAll(async () => {
  test = await createTestContext();
});
afterAll(async () => test.close());

/** The local hour and ISO weekday of an instant, computed independently of the database. */
function localHourAndWeekday(instant: Date, timeZone: string): { hour: number; weekday: number } {
  const formatter = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23", weekday: "short" });
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  return { hour: Number(parts.hour), weekday: weekdays.indexOf(parts.weekday!) + 1 };
}

describe("getDashboard against a reference computation", () => {
  it("days, hours and weekdays match for random sessions in random zones", async () => {
    const now = test.clock.now().getTime();
    const sessionArb = fc.record({
      endedAgoMs: fc.integer({ min: 0, max: 80 * DAY_MS }),
      lengthMs: fc.integer({ min: 60_000, max: 5 * 3_600_000 }),
      input: fc.integer({ min: 0, max: 1_000_000 }),
      output: fc.integer({ min: 0, max: 1_000_000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.array(sessionArb, { minLength: 1, maxLength: 25 }),
        async (zone, specs) => {
          const user = await createUser(test.ctx, { username: `prop-${++userCount}`, withApiKey: false });
          const sessions = specs.map((spec, index) => {
            const ended = new Date(now - spec.endedAgoMs);
            return makeSession({
              sessionId: `p${index}`,
              startedAt: new Date(ended.getTime() - spec.lengthMs).toISOString(),
              endedAt: ended.toISOString(),
              inputTokens: spec.input,
              outputTokens: spec.output,
            });
          });
          await ingestSessions(test.ctx, user.id, sessions, {}, "batch");
          const dashboard = await getDashboard(test.ctx, user.id, { timezone: zone });

          const days = new Map<string, { tokens: number; sessions: number }>();
          const hours = new Map<number, number>();
          const weekdays = new Map<number, number>();
          for (const session of sessions) {
            const day = toLocalDay(new Date(session.endedAt as string), zone);
            const entry = days.get(day) ?? { tokens: 0, sessions: 0 };
            entry.tokens += (session.inputTokens as number) + (session.outputTokens as number);
            entry.sessions += 1;
            days.set(day, entry);
            const { hour, weekday } = localHourAndWeekday(new Date(session.startedAt as string), zone);
            hours.set(hour, (hours.get(hour) ?? 0) + 1);
            weekdays.set(weekday, (weekdays.get(weekday) ?? 0) + 1);
          }
          const actualDays = Object.fromEntries(
            dashboard.heatmap
              .filter((day) => day.sessions > 0)
              .map((day) => [day.date, { tokens: day.tokens, sessions: day.sessions }]),
          );
          expect(actualDays).toEqual(Object.fromEntries([...days].sort(([a], [b]) => a.localeCompare(b))));
          expect(
            Object.fromEntries(dashboard.hourly.filter((h) => h.sessions > 0).map((h) => [h.hour, h.sessions])),
          ).toEqual(Object.fromEntries(hours));
          expect(
            Object.fromEntries(dashboard.weekday.filter((d) => d.sessions > 0).map((d) => [d.weekday, d.sessions])),
          ).toEqual(Object.fromEntries(weekdays));
          expect(dashboard.totals.sessions).toBe(sessions.length);
        },
      ),
      { numRuns: 25, seed: 4242 },
    );
  });
});
