import type { UsageRecord } from "../collectors/index";

export const GROUPINGS = ["day", "model", "tool", "session"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface UsageRow {
  key: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** The part of outputTokens spent reasoning (not added to totalTokens again). */
  reasoningTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

export interface UsageReport {
  groupBy: Grouping;
  timezone: string;
  since: string | null;
  until: string | null;
  rows: UsageRow[];
  totals: Omit<UsageRow, "key">;
}

export interface AggregateOptions {
  groupBy: Grouping;
  timezone: string;
  /** Inclusive local dates, `YYYY-MM-DD`. */
  since?: string;
  until?: string;
}

/** Time zone offsets and their changes fall on quarter hours (+05:45, +10:30, Lord Howe's 30-minute DST). */
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * `YYYY-MM-DD` of a timestamp in a time zone (en-CA formats dates that way). `Intl` formatting costs
 * microseconds a call and a report formats every call of a history, so the day is worked out once per
 * quarter hour: when the quarter's first and last millisecond fall on the same local day, so does every
 * instant between them (local time only jumps at offset changes, on quarter hours); else per call.
 */
export function createDayFormatter(timezone: string): (timestamp: number) => string {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const formatDay = (timestamp: number) => format.format(new Date(timestamp));
  const dayOfQuarter = new Map<number, string | null>();
  return (timestamp) => {
    const quarter = Math.floor(timestamp / QUARTER_HOUR_MS);
    let day = dayOfQuarter.get(quarter);
    if (day === undefined) {
      const first = formatDay(quarter * QUARTER_HOUR_MS);
      day = first === formatDay((quarter + 1) * QUARTER_HOUR_MS - 1) ? first : null;
      dayOfQuarter.set(quarter, day);
    }
    return day ?? formatDay(timestamp);
  };
}

/** The day of a record whose time no date can hold (collectors date every record; this is a last guard). */
const UNKNOWN_DAY = "unknown";
/** Largest distance from the epoch a Date holds (ECMA-262 §21.4.1.1); `Intl` throws beyond it. */
const MAX_DATE_MS = 8.64e15;

function isDateValue(timestamp: number): boolean {
  return Number.isFinite(timestamp) && Math.abs(timestamp) <= MAX_DATE_MS;
}

function emptyRow(key: string): UsageRow {
  return {
    key,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    totalTokens: 0,
  };
}

function addRecord(row: Omit<UsageRow, "key">, record: UsageRecord): void {
  row.calls += 1;
  row.inputTokens += record.inputTokens;
  row.outputTokens += record.outputTokens;
  row.reasoningTokens += record.reasoningTokens ?? 0;
  row.cacheCreationTokens += record.cacheCreationTokens;
  row.cacheReadTokens += record.cacheReadTokens;
  row.totalTokens += record.inputTokens + record.outputTokens + record.cacheCreationTokens + record.cacheReadTokens;
}

function getKey(record: UsageRecord, groupBy: Grouping, day: string): string {
  switch (groupBy) {
    case "day":
      return day;
    case "model":
      return record.model ?? "unknown";
    case "tool":
      return record.tool;
    case "session":
      return `${record.tool}:${record.sessionId}`;
    default: {
      const unknown: never = groupBy;
      throw new Error(`unknown grouping ${String(unknown)}`);
    }
  }
}

/** A call re-emitted with grown numbers (streaming, in-place updates) counts once, with its last numbers. */
function keepLastPerKey(records: UsageRecord[]): UsageRecord[] {
  const byKey = new Map<string, UsageRecord>();
  const unkeyed: UsageRecord[] = [];
  for (const record of records) {
    if (record.dedupKey === undefined) unkeyed.push(record);
    else byKey.set(`${record.tool}\u0000${record.dedupKey}`, record);
  }
  return [...unkeyed, ...byKey.values()];
}

/** Sums the collectors' per-call records into rows, filtered by local date; days sort by date, others by tokens. */
export function aggregateUsage(records: UsageRecord[], options: AggregateOptions): UsageReport {
  const toDay = createDayFormatter(options.timezone);
  const rows = new Map<string, UsageRow>();
  const totals = emptyRow("total");
  for (const record of keepLastPerKey(records)) {
    const day = isDateValue(record.timestamp) ? toDay(record.timestamp) : UNKNOWN_DAY;
    const filtered = options.since !== undefined || options.until !== undefined;
    if (
      filtered &&
      (day === UNKNOWN_DAY || (options.since && day < options.since) || (options.until && day > options.until))
    )
      continue;
    const key = getKey(record, options.groupBy, day);
    const row = rows.get(key) ?? emptyRow(key);
    addRecord(row, record);
    rows.set(key, row);
    addRecord(totals, record);
  }
  const sorted = [...rows.values()].sort((a, b) =>
    options.groupBy === "day"
      ? a.key.localeCompare(b.key)
      : b.totalTokens - a.totalTokens || a.key.localeCompare(b.key),
  );
  const { key: _key, ...total } = totals;
  return {
    groupBy: options.groupBy,
    timezone: options.timezone,
    since: options.since ?? null,
    until: options.until ?? null,
    rows: sorted,
    totals: total,
  };
}
