import { computeCompositeScore, computeStreak } from "@modu-arena/core";
import { type Db, queryRows } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { Totals, Truth } from "./load-model";

const DAY_MS = 86_400_000;

/** Period starts written out again here (UTC day, ISO Monday, 1st of month), not imported from the server. */
function periodStarts(today: string): Record<string, string> {
  const day = new Date(`${today}T00:00:00Z`);
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  return {
    daily: today,
    weekly: monday.toISOString().slice(0, 10),
    monthly: `${today.slice(0, 8)}01`,
    all_time: "1970-01-01",
  };
}

export interface Mismatch {
  what: string;
  expected: unknown;
  actual: unknown;
}

/** user_stats and daily_user_stats against the truth, user by user and day by day. */
export async function compareStats(db: Db, userIds: string[], truth: Truth) {
  const mismatches: Mismatch[] = [];
  const stats = await queryRows<{ user_id: string } & Record<string, number>>(
    db,
    sql`SELECT user_id, total_input_tokens::float8 AS input, total_output_tokens::float8 AS output,
          total_cache_creation_tokens::float8 AS "cacheCreation", total_cache_read_tokens::float8 AS "cacheRead",
          total_sessions AS sessions FROM user_stats`,
  );
  const days = await queryRows<{ user_id: string; day: string } & Record<string, number>>(
    db,
    sql`SELECT user_id, to_char(stat_date, 'YYYY-MM-DD') AS day, input_tokens::float8 AS input,
          output_tokens::float8 AS output, cache_creation_tokens::float8 AS "cacheCreation",
          cache_read_tokens::float8 AS "cacheRead", session_count AS sessions, total_tokens::float8 AS total
        FROM daily_user_stats`,
  );
  const pick = (row: Record<string, number>): Totals => ({
    input: row.input!,
    output: row.output!,
    cacheCreation: row.cacheCreation!,
    cacheRead: row.cacheRead!,
    sessions: row.sessions!,
  });
  let lost = 0;
  let doubled = 0;
  userIds.forEach((userId, index) => {
    const expected = truth.byUser.get(index);
    const row = stats.find((candidate) => candidate.user_id === userId);
    const actual = row ? pick(row) : undefined;
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      mismatches.push({ what: `user_stats ${index}`, expected, actual });
      const gap = (actual?.sessions ?? 0) - (expected?.sessions ?? 0);
      if (gap < 0) lost -= gap;
      else doubled += gap;
    }
    const expectedDays = truth.byUserDay.get(index) ?? new Map<string, Totals>();
    const actualDays = days.filter((candidate) => candidate.user_id === userId);
    if (actualDays.length !== expectedDays.size) {
      mismatches.push({ what: `daily rows ${index}`, expected: expectedDays.size, actual: actualDays.length });
    }
    for (const dayRow of actualDays) {
      const want = expectedDays.get(dayRow.day);
      if (
        JSON.stringify(pick(dayRow)) !== JSON.stringify(want) ||
        dayRow.total !== (want?.input ?? 0) + (want?.output ?? 0)
      ) {
        mismatches.push({ what: `daily ${index} ${dayRow.day}`, expected: want, actual: pick(dayRow) });
      }
    }
  });
  return { mismatches, lost, doubled };
}

/** The rankings of the current periods against scores computed from the truth. */
export async function compareRankings(db: Db, userIds: string[], truth: Truth, today: string) {
  const mismatches: Mismatch[] = [];
  const starts = periodStarts(today);
  const rows = await queryRows<{
    user_id: string;
    period_type: string;
    period_start: string;
    rank_position: number;
    composite_score: number;
    total_tokens: number;
    session_count: number;
  }>(
    db,
    sql`SELECT user_id, period_type, to_char(period_start, 'YYYY-MM-DD') AS period_start, rank_position,
          composite_score::float8 AS composite_score, total_tokens::float8 AS total_tokens, session_count
        FROM rankings`,
  );
  for (const [period, start] of Object.entries(starts)) {
    const expected = userIds.flatMap((userId, index) => {
      const days = truth.byUserDay.get(index) ?? new Map<string, Totals>();
      const inPeriod = [...days.entries()].filter(([day]) => day >= start && day <= today).map(([, t]) => t);
      const sum = period === "all_time" ? [truth.byUser.get(index)!] : inPeriod;
      const input = sum.reduce((acc, t) => acc + t.input, 0);
      const output = sum.reduce((acc, t) => acc + t.output, 0);
      const sessions = sum.reduce((acc, t) => acc + t.sessions, 0);
      if (input + output === 0 && sessions === 0) return [];
      const streak = computeStreak(
        [...days.keys()].filter((day) => day <= today),
        today,
      ).current;
      const score = computeCompositeScore({
        inputTokens: input,
        outputTokens: output,
        totalTokens: input + output,
        sessionCount: sessions,
        streakDays: streak,
      });
      return [{ userId, score, total: input + output, sessions }];
    });
    expected.sort(
      (a, b) =>
        b.score - a.score ||
        b.total - a.total ||
        b.sessions - a.sessions ||
        (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
    );
    const actual = rows.filter((row) => row.period_type === period && row.period_start === start);
    if (actual.length !== expected.length) {
      mismatches.push({ what: `${period} ranked users`, expected: expected.length, actual: actual.length });
    }
    expected.forEach((want, position) => {
      const row = actual.find((candidate) => candidate.user_id === want.userId);
      const ok =
        row &&
        Math.abs(row.composite_score - want.score) <= 0.011 &&
        row.total_tokens === want.total &&
        row.session_count === want.sessions &&
        row.rank_position === position + 1;
      if (!ok)
        mismatches.push({
          what: `${period} rank of ${want.userId}`,
          expected: { ...want, position: position + 1 },
          actual: row,
        });
    });
  }
  return mismatches;
}
