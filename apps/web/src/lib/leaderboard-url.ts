import { LEADERBOARD_SORTS, type LeaderboardSort } from "@modu-arena/core";
import { type PeriodType, periodSlug } from "./periods";

export type { LeaderboardSort };
export { LEADERBOARD_SORTS };

/** `?sort=` of the leaderboard page; anything unknown falls back to the ranking order (score). */
export function parseSort(value: string | string[] | undefined): LeaderboardSort {
  const raw = Array.isArray(value) ? value[0] : value;
  return (LEADERBOARD_SORTS as readonly string[]).includes(raw ?? "") ? (raw as LeaderboardSort) : "score";
}

/**
 * The leaderboard link for a period, sort and (when given) page. The default sort stays out of the URL,
 * so the plain period links of before keep meaning the same page.
 */
export function leaderboardHref(state: { period: PeriodType; sort: LeaderboardSort; page?: number }) {
  const query: Record<string, string> = { period: periodSlug(state.period) };
  if (state.sort !== "score") query.sort = state.sort;
  if (state.page !== undefined) query.page = String(state.page);
  return { pathname: "/" as const, query };
}
