import { computeCompositeScore, computeEfficiency } from "@modu-arena/core";
import { type DbHandle, queryRows } from "@modu-arena/db";
import { createTestDb } from "@modu-arena/db/testing";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compositeScoreSql, efficiencySql } from "../src/services/rankings/composite-score-sql";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => handle.close());

const COLUMNS = {
  input: sql.raw("x.input"),
  output: sql.raw("x.output"),
  total: sql.raw("x.total"),
  sessions: sql.raw("x.sessions"),
  streak: sql.raw("x.streak"),
};

/** Small counts, around the caps, and huge ones: where the log scales and the caps meet. */
const tokenCount = fc.oneof(
  fc.integer({ min: 0, max: 1_000 }),
  fc.integer({ min: 0, max: 2_000_000_000 }),
  fc.integer({ min: 9_000_000_000, max: 11_000_000_000 }),
  fc.integer({ min: 0, max: 2 ** 51 }),
);
const activity = fc.record({
  input: tokenCount,
  output: tokenCount,
  sessions: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2_000 })),
  streak: fc.integer({ min: 0, max: 400 }),
});

describe("the rankings' SQL score", () => {
  it("equals core's computeCompositeScore for random activity", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(activity, { minLength: 1, maxLength: 50 }), async (rows) => {
        const withTotals = rows.map((row, n) => ({ ...row, total: row.input + row.output, n }));
        const scored = await queryRows<{ score: string; efficiency: string }>(
          handle.db,
          sql`SELECT ${compositeScoreSql(COLUMNS)}::text AS score, ${efficiencySql(COLUMNS)}::text AS efficiency
              FROM jsonb_to_recordset(${JSON.stringify(withTotals)}::jsonb)
                AS x(input float8, output float8, total float8, sessions int, streak int, n int)
              ORDER BY n`,
        );
        expect(scored.map((row) => Number(row.score))).toEqual(
          withTotals.map((row) =>
            computeCompositeScore({
              inputTokens: row.input,
              outputTokens: row.output,
              totalTokens: row.total,
              sessionCount: row.sessions,
              streakDays: row.streak,
            }),
          ),
        );
        expect(scored.map((row) => Number(row.efficiency))).toEqual(
          withTotals.map((row) => computeEfficiency(row.input, row.output)),
        );
      }),
      { numRuns: 200 },
    );
  });
});
