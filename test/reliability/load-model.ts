import { TOOL_TYPES } from "@modu-arena/core";
import type { Random } from "./hostile-input";

/** One cumulative snapshot of a session, as a client would send it (later versions only grow). */
export interface SessionVersion {
  toolType: string;
  sessionId: string;
  startedAt: string;
  endedAt: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  modelName: string;
}

export interface SimulatedSession {
  userIndex: number;
  day: string;
  versions: SessionVersion[];
}

export interface Totals {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  sessions: number;
}

const DAY_MS = 86_400_000;
const MODELS = ["claude-sonnet-4", "gpt-5-codex", "gemini-2.5-pro", "glm-4.6"];

/**
 * Sessions of `users` simulated users over the last `days` UTC days. Every version of a session ends on
 * the same UTC day, so the day that receives each delta does not depend on arrival order.
 */
export function buildSessions(random: Random, users: number, sessionsPerUser: number, days: number, now: Date) {
  const sessions: SimulatedSession[] = [];
  const latest = now.getTime() - 20 * 60_000;
  for (let userIndex = 0; userIndex < users; userIndex++) {
    const devices = 1 + random.int(3);
    const count = Math.max(1, sessionsPerUser - 10 + random.int(21));
    for (let index = 0; index < count; index++) {
      let dayStart = Math.floor(latest / DAY_MS) * DAY_MS - random.int(days) * DAY_MS;
      if (latest - dayStart < 30 * 60_000) dayStart -= DAY_MS;
      const windowEnd = Math.min(dayStart + DAY_MS - 10 * 60_000, latest);
      const base = dayStart + random.int(windowEnd - dayStart);
      const toolType = random.pick(TOOL_TYPES);
      const sessionId = `u${userIndex}-d${random.int(devices)}-s${index}`;
      const versions: SessionVersion[] = [];
      const totals = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
      const steps = 1 + random.int(4);
      for (let step = 0; step < steps; step++) {
        totals.input += 100 + random.int(50_000);
        totals.output += random.int(10_000);
        totals.cacheCreation += random.chance(0.5) ? random.int(5000) : 0;
        totals.cacheRead += random.int(20_000);
        const endedAt = Math.min(base + step * 60_000, dayStart + DAY_MS - 1);
        versions.push({
          toolType,
          sessionId,
          startedAt: new Date(dayStart + Math.floor((base - dayStart) / 2)).toISOString(),
          endedAt: new Date(endedAt).toISOString(),
          inputTokens: totals.input,
          outputTokens: totals.output,
          cacheCreationTokens: totals.cacheCreation,
          cacheReadTokens: totals.cacheRead,
          modelName: random.pick(MODELS),
        });
      }
      sessions.push({ userIndex, day: new Date(dayStart).toISOString().slice(0, 10), versions });
    }
  }
  return sessions;
}

function addTotals(target: Totals, version: SessionVersion): void {
  target.input += version.inputTokens;
  target.output += version.outputTokens;
  target.cacheCreation += version.cacheCreationTokens;
  target.cacheRead += version.cacheReadTokens;
  target.sessions += 1;
}

const emptyTotals = (): Totals => ({ input: 0, output: 0, cacheCreation: 0, cacheRead: 0, sessions: 0 });

/** The ground truth: each session counts once, with its final (largest) totals, on its day. */
export function computeTruth(sessions: SimulatedSession[]) {
  const byUser = new Map<number, Totals>();
  const byUserDay = new Map<number, Map<string, Totals>>();
  for (const session of sessions) {
    const final = session.versions.at(-1)!;
    const user = byUser.get(session.userIndex) ?? emptyTotals();
    addTotals(user, final);
    byUser.set(session.userIndex, user);
    const days = byUserDay.get(session.userIndex) ?? new Map<string, Totals>();
    const day = days.get(session.day) ?? emptyTotals();
    addTotals(day, final);
    days.set(session.day, day);
    byUserDay.set(session.userIndex, days);
  }
  return { byUser, byUserDay };
}
export type Truth = ReturnType<typeof computeTruth>;
