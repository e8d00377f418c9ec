/**
 * A selective JSON reader for hot JSONL paths: it walks an object's keys and materialises only the values
 * asked for, skipping the rest at memchr speed (strings are skipped with native `indexOf` of the quote).
 * Transcript lines are mostly long strings (thinking, file contents) that the collectors never look at.
 * Anything it cannot read throws; callers fall back to `JSON.parse` of the whole line.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class SelectiveJsonError extends Error {}

function fail(): never {
  throw new SelectiveJsonError("unreadable JSON");
}

export function skipWhitespace(buf: Buffer, pos: number): number {
  let i = pos;
  while (i < buf.length) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  return i;
}

/** `pos` at an opening quote; returns the index after the closing quote. */
export function skipString(buf: Buffer, pos: number): number {
  let from = pos + 1;
  for (;;) {
    const quote = buf.indexOf(QUOTE, from);
    if (quote === -1) fail();
    let backslashes = 0;
    for (let j = quote - 1; buf[j] === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** `skipString` for keys: they are short, and a byte loop beats a native call there. */
function skipKey(buf: Buffer, pos: number): number {
  const limit = Math.min(buf.length, pos + 64);
  for (let i = pos + 1; i < limit; i++) {
    const c = buf[i]!;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) break;
  }
  return skipString(buf, pos);
}

/** Returns the index just after the value starting at `pos`. */
export function skipValue(buf: Buffer, pos: number): number {
  const first = buf[pos];
  if (first === QUOTE) return skipString(buf, pos);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    let i = pos;
    while (i < buf.length) {
      const c = buf[i]!;
      if (c === QUOTE) {
        i = skipString(buf, i);
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    fail();
  }
  let i = pos;
  while (i < buf.length) {
    const c = buf[i]!;
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    i++;
  }
  if (i === pos) fail();
  return i;
}

function matchesBytes(buf: Buffer, start: number, end: number, literal: string): boolean {
  if (end - start !== literal.length) return false;
  for (let i = 0; i < literal.length; i++) if (buf[start + i] !== literal.charCodeAt(i)) return false;
  return true;
}

/**
 * Decodes the value in [start, end). Fast paths for what transcript envelopes hold (plain strings, literals,
 * integers) avoid `JSON.parse` and intermediate buffers; anything else goes through `JSON.parse`.
 */
export function decodeValue(buf: Buffer, start: number, end: number): unknown {
  const first = buf[start]!;
  if (first === QUOTE) {
    let plain = true;
    for (let i = start + 1; i < end - 1; i++) {
      if (buf[i] === BACKSLASH) {
        plain = false;
        break;
      }
    }
    if (plain) return buf.toString("utf8", start + 1, end - 1);
  } else if (first === 0x74 && matchesBytes(buf, start, end, "true")) return true;
  else if (first === 0x66 && matchesBytes(buf, start, end, "false")) return false;
  else if (first === 0x6e && matchesBytes(buf, start, end, "null")) return null;
  else if (first >= 0x30 && first <= 0x39 && end - start < 16) {
    let value = 0;
    let digits = true;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c < 0x30 || c > 0x39) {
        digits = false;
        break;
      }
      value = value * 10 + (c - 0x30);
    }
    // A leading zero is only valid alone ("0"); JSON.parse rejects the rest, so let it.
    if (digits && (first !== 0x30 || end - start === 1)) return value;
  }
  return JSON.parse(buf.toString("utf8", start, end));
}

const VALUE_SLOTS = 256;
const valueCache: (string | undefined)[] = new Array(VALUE_SLOTS);

/**
 * A string value that repeats on every line of a file (session id, cwd, model, type): the same string
 * object each time, so nothing is allocated and its hash, once computed, serves every map lookup after.
 * Verified byte by byte; anything but plain ASCII up to 96 bytes is decoded as usual.
 */
export function decodeRepeatedValue(buf: Buffer, start: number, end: number): unknown {
  const length = end - start - 2;
  if (buf[start] !== QUOTE || length > 96) return decodeValue(buf, start, end);
  let hash = length;
  for (let i = start + 1; i < end - 1; i++) hash = (Math.imul(hash, 31) + buf[i]!) | 0;
  const slot = hash & (VALUE_SLOTS - 1);
  const cached = valueCache[slot];
  if (cached !== undefined && cached.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (cached.charCodeAt(i) !== buf[start + 1 + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const value = decodeValue(buf, start, end);
  // Only plain ASCII strings are cached: their UTF-16 code units equal their bytes.
  if (typeof value === "string" && value.length === length) valueCache[slot] = value;
  return value;
}

/**
 * The keys a reader wants from one kind of object, matched on the key's bytes: a key that is not wanted
 * (most of a transcript line's) is skipped without building its string.
 */
export class KeySet {
  private readonly byLength: (string[] | undefined)[] = [];
  private readonly names: Set<string>;

  constructor(names: readonly string[]) {
    this.names = new Set(names);
    for (const name of names) {
      const bucket = this.byLength[name.length] ?? [];
      bucket.push(name);
      this.byLength[name.length] = bucket;
    }
  }

  /** The wanted key quoted at [start, end), as the set's own string, or undefined. */
  match(buf: Buffer, start: number, end: number): string | undefined {
    const length = end - start - 2;
    const bucket = this.byLength[length];
    if (bucket !== undefined) {
      for (let index = 0; index < bucket.length; index++) {
        const name = bucket[index]!;
        let same = true;
        for (let i = 0; i < length; i++) {
          if (buf[start + 1 + i] !== name.charCodeAt(i)) {
            same = false;
            break;
          }
        }
        if (same) return name;
      }
    }
    // An escaped key (`"\u0074ype"`) spells a name in other bytes: decode it to be sure.
    for (let i = start + 1; i < end - 1; i++) {
      if (buf[i] === BACKSLASH) {
        const key = decodeValue(buf, start, end) as string;
        return this.names.has(key) ? key : undefined;
      }
    }
    return undefined;
  }
}

/**
 * Calls `onKey(key, start, end)` for every key of the object at `pos` that is in `keys` (values are not
 * decoded; the others are skipped) and returns the index after the object.
 */
export function walkObject(
  buf: Buffer,
  pos: number,
  keys: KeySet,
  onKey: (key: string, start: number, end: number) => void,
): number {
  let i = skipWhitespace(buf, pos);
  if (buf[i] !== 0x7b) fail();
  i = skipWhitespace(buf, i + 1);
  if (buf[i] === 0x7d) return i + 1;
  for (;;) {
    if (buf[i] !== QUOTE) fail();
    const keyEnd = skipKey(buf, i);
    const key = keys.match(buf, i, keyEnd);
    i = skipWhitespace(buf, keyEnd);
    if (buf[i] !== 0x3a) fail();
    const start = skipWhitespace(buf, i + 1);
    const end = skipValue(buf, start);
    if (key !== undefined) onKey(key, start, end);
    i = skipWhitespace(buf, end);
    if (buf[i] === 0x2c) {
      i = skipWhitespace(buf, i + 1);
      continue;
    }
    if (buf[i] === 0x7d) return i + 1;
    fail();
  }
}

/** True when `needle` occurs within [start, end) of `buf`. */
export function includesBetween(buf: Buffer, needle: Buffer, start: number, end: number): boolean {
  const found = buf.indexOf(needle, start);
  return found !== -1 && found + needle.length <= end;
}
