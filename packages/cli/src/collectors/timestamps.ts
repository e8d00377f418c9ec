function readDigits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `Date.parse`, with a fast path for the `2026-03-05T08:00:04.548Z` form every Claude and Codex line
 * carries (the general parser was 1% of a Claude scan). Out-of-range fields go to `Date.parse`, which
 * decides as before.
 */
export function parseTimestamp(text: string): number {
  if (
    text.length === 24 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(19) === 46 &&
    text.charCodeAt(23) === 90
  ) {
    const month = readDigits(text, 5, 7);
    const day = readDigits(text, 8, 10);
    const hour = readDigits(text, 11, 13);
    const minute = readDigits(text, 14, 16);
    const second = readDigits(text, 17, 19);
    const year = readDigits(text, 0, 4);
    const millis = readDigits(text, 20, 23);
    if (
      year >= 100 &&
      millis >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hour >= 0 &&
      hour < 24 &&
      minute >= 0 &&
      minute < 60 &&
      second >= 0 &&
      second < 60
    ) {
      return Date.UTC(year, month - 1, day, hour, minute, second, millis);
    }
  }
  return Date.parse(text);
}
