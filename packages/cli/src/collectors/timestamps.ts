/** Length of the `2026-03-05T08:00:04.548Z` form every Claude and Codex line carries. */
const ISO_TIMESTAMP_LENGTH = 24;

/** The last day seen: a transcript's lines share a few days, and Date.UTC was 4% of a Codex scan. */
let cachedDayKey = -1;
let cachedDayMs = 0;

/** Date.UTC of the fields, or NaN when one is out of range (Date.parse then decides for strings). */
function utcOf(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number) {
  const inRange =
    year >= 100 &&
    ms >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour >= 0 &&
    hour < 24 &&
    minute >= 0 &&
    minute < 60 &&
    second >= 0 &&
    second < 60;
  if (!inRange) return Number.NaN;
  const dayKey = (year * 100 + month) * 100 + day;
  if (dayKey !== cachedDayKey) {
    cachedDayKey = dayKey;
    cachedDayMs = Date.UTC(year, month - 1, day);
  }
  // Equal to Date.UTC with all fields (a day beyond the month's end rolls over the same way).
  return cachedDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

// Two readers, one per input type, so each stays monomorphic (a shared one was 30% slower on a Codex scan).

function textDigits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function byteDigits(bytes: Uint8Array, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `Date.parse`, with a fast path for the fixed form (the general parser was 1% of a Claude scan).
 * Out-of-range fields go to `Date.parse`, which decides as before.
 */
export function parseTimestamp(text: string): number {
  if (
    text.length === ISO_TIMESTAMP_LENGTH &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(19) === 46 &&
    text.charCodeAt(23) === 90
  ) {
    const fast = utcOf(
      textDigits(text, 0, 4),
      textDigits(text, 5, 7),
      textDigits(text, 8, 10),
      textDigits(text, 11, 13),
      textDigits(text, 14, 16),
      textDigits(text, 17, 19),
      textDigits(text, 20, 23),
    );
    if (!Number.isNaN(fast)) return fast;
  }
  return Date.parse(text);
}

/**
 * The fixed form read straight from bytes at `at` (the caller checked 24 bytes are there); NaN when the
 * bytes are not that form or a field is out of range, and then the line is read the general way.
 */
export function parseTimestampBytes(bytes: Uint8Array, at: number): number {
  if (
    bytes[at + 4] !== 45 ||
    bytes[at + 7] !== 45 ||
    bytes[at + 10] !== 84 ||
    bytes[at + 13] !== 58 ||
    bytes[at + 16] !== 58 ||
    bytes[at + 19] !== 46 ||
    bytes[at + 23] !== 90
  ) {
    return Number.NaN;
  }
  return utcOf(
    byteDigits(bytes, at, at + 4),
    byteDigits(bytes, at + 5, at + 7),
    byteDigits(bytes, at + 8, at + 10),
    byteDigits(bytes, at + 11, at + 13),
    byteDigits(bytes, at + 14, at + 16),
    byteDigits(bytes, at + 17, at + 19),
    byteDigits(bytes, at + 20, at + 23),
  );
}

/** The last instant of the year 9999: later ones have no four-digit ISO year, which the API requires. */
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Below this an epoch number is seconds: 1e11 s is the year 5138, 1e11 ms is 1973. */
const EPOCH_SECONDS_BELOW = 1e11;

/** True for an instant after 1970 that the API can take as a date: the times collectors keep. */
export function isUsableTime(time: number): boolean {
  return time > 0 && time <= LATEST_MS;
}

/**
 * A record's time from whatever its writer put there: an ISO string, or an epoch number in seconds or
 * milliseconds (told apart by magnitude). NaN when there is no usable time (null, a non-date string,
 * before 1970, after 9999): the caller then dates the record from its neighbours.
 */
export function parseTimeValue(value: unknown): number {
  let time = Number.NaN;
  if (typeof value === "string") time = parseTimestamp(value);
  else if (typeof value === "number") time = Math.round(Math.abs(value) < EPOCH_SECONDS_BELOW ? value * 1000 : value);
  return isUsableTime(time) ? time : Number.NaN;
}
