/** Streaks over calendar days written as YYYY-MM-DD (the caller picks the time zone). */
export interface Streak {
  current: number;
  longest: number;
}

const DAY_MS = 86_400_000;

function toDayNumber(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`invalid day: ${day}`);
  return Math.round(ms / DAY_MS);
}

/**
 * `current` counts consecutive active days ending today, or yesterday when today has no activity
 * yet (a streak is not broken before the day is over).
 */
export function computeStreak(activeDays: Iterable<string>, today: string): Streak {
  const days = [...new Set([...activeDays].map(toDayNumber))].sort((a, b) => a - b);
  const todayNumber = toDayNumber(today);
  let longest = 0;
  let run = 0;
  let previous = Number.NaN;
  for (const day of days) {
    run = day === previous + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = day;
  }
  const active = new Set(days);
  let anchor = active.has(todayNumber) ? todayNumber : todayNumber - 1;
  let current = 0;
  while (active.has(anchor)) {
    current++;
    anchor--;
  }
  return { current, longest };
}

/** YYYY-MM-DD of an instant in an IANA time zone. */
export function toLocalDay(instant: Date, timeZone = "UTC"): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
