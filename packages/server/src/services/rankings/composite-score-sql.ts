import { SCORE_CAPS, SCORE_DECIMALS, SCORE_SCALE, SCORE_WEIGHTS } from "@modu-arena/core";
import { type SQL, sql } from "drizzle-orm";

/** A constant of core's formula as a float8 literal (code constants, never user input). */
const float = (value: number) => sql.raw(`${value}::float8`);

export interface ScoreColumns {
  input: SQL;
  output: SQL;
  total: SQL;
  sessions: SQL;
  streak: SQL;
}

/** core's `computeEfficiency` in SQL. */
export function efficiencySql({ input, output }: Pick<ScoreColumns, "input" | "output">): SQL {
  const cap = float(SCORE_CAPS.efficiencyRatio);
  return sql`(CASE WHEN ${input} > 0 AND ${output} > 0
    THEN least((${output})::float8 / (${input})::float8, ${cap}) / ${cap} ELSE 0::float8 END)`;
}

/**
 * core's `computeCompositeScore` in SQL, generated from its constants: the same float8 operations in
 * the same order, so the ranking stores the score the formula gives (a property test holds them equal).
 */
export function compositeScoreSql(columns: ScoreColumns): SQL {
  const one = float(1);
  const tokens = sql`least(${one}, log(greatest(0::float8, (${columns.total})::float8) + ${one}) / ${float(SCORE_CAPS.tokensLog10)})`;
  const sessions = sql`least(${one}, log(greatest(0::float8, (${columns.sessions})::float8) + ${one}) / ${float(SCORE_CAPS.sessionsLog10)})`;
  const streakCap = float(SCORE_CAPS.streakDays);
  const streak = sql`least(greatest(0::float8, (${columns.streak})::float8), ${streakCap}) / ${streakCap}`;
  const sum = sql`(${tokens} * ${float(SCORE_WEIGHTS.tokens)} + ${efficiencySql(columns)} * ${float(SCORE_WEIGHTS.efficiency)}
    + ${sessions} * ${float(SCORE_WEIGHTS.sessions)} + ${streak} * ${float(SCORE_WEIGHTS.streak)})`;
  const unit = float(10 ** SCORE_DECIMALS);
  return sql`(floor(${sum} * ${float(SCORE_SCALE)} * ${unit} + 0.5::float8) / ${unit})`;
}
