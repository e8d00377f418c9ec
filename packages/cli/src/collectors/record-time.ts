import { parseTimestamp } from "./timestamps";

/** Below this an epoch number is seconds: 1e11 s is the year 5138, 1e11 ms is 1973. */
const EPOCH_SECONDS_BELOW = 1e11;
/** The last instant of the year 9999: later ones have no four-digit ISO year, which the API requires. */
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A log's time field as epoch milliseconds: an ISO string, or a number of epoch seconds or milliseconds (told
 * apart by magnitude). NaN when it is none of these or falls outside 1970..9999: the caller dates the record
 * from its neighbours.
 */
export function readRecordTime(value: unknown): number {
  let ms: number;
  if (typeof value === "string") ms = parseTimestamp(value);
  else if (typeof value === "number") ms = value < EPOCH_SECONDS_BELOW ? value * 1000 : value;
  else return Number.NaN;
  return ms > 0 && ms <= LATEST_MS ? ms : Number.NaN;
}

/** True when `ms` can be formatted as a date the API accepts (what `readRecordTime` returns when not NaN). */
export function isUsableTime(ms: number): boolean {
  return ms > 0 && ms <= LATEST_MS;
}

/**
 * Dates a file's records in order: a record without a usable time of its own takes the nearest earlier one
 * seen in the file, else the file's mtime. Counts how many were dated that way.
 */
export class RecordClock {
  undated = 0;

  /** `last`: the latest time read before this part of the file (NaN when none); `fallback`: the file's mtime. */
  constructor(
    public last: number,
    private readonly fallback: number,
  ) {}

  /** `own` (NaN when the record has none) when usable, else the nearest earlier time, else the fallback. */
  resolve(own: number): number {
    if (isUsableTime(own)) {
      this.last = own;
      return own;
    }
    return isUsableTime(this.last) ? this.last : this.fallback;
  }

  /** `resolve`, counting a record dated from its neighbours. */
  date(own: number): number {
    if (!isUsableTime(own)) this.undated++;
    return this.resolve(own);
  }

  /** Notes the time of a line that is no record (a prompt, metadata): a later undated record may take it. */
  see(own: number): number {
    if (isUsableTime(own)) this.last = own;
    return own;
  }
}
