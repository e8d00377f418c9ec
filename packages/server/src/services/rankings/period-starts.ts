import type { PeriodType } from "@modu-arena/core";

export const ALL_TIME_START = "1970-01-01";

/** The UTC start day of the current period: today, this ISO week's Monday, the 1st, or the epoch. */
export function getPeriodStart(period: PeriodType, now: Date): string {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  switch (period) {
    case "daily":
      return formatDay(today);
    case "weekly": {
      const sinceMonday = (today.getUTCDay() + 6) % 7;
      return formatDay(new Date(today.getTime() - sinceMonday * 86_400_000));
    }
    case "monthly":
      return formatDay(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)));
    case "all_time":
      return ALL_TIME_START;
  }
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
