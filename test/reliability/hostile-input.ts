/**
 * Seeded generators of hostile request parts (bodies as raw JSON text, query strings, header and path
 * values), shared by the fuzz suites. Raw text, so that NaN, Infinity, 1e400 and `__proto__` keys reach
 * the server exactly as a hostile client would send them.
 */

export interface Random {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** mulberry32: tiny, fast and reproducible from a seed. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
  };
}

export const SQL_METACHARACTERS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  "1; SELECT pg_sleep(5)--",
  "%' AND 1=1 --",
  "\\'; TRUNCATE sessions; --",
  "$$; DELETE FROM rankings; $$",
  "1 UNION SELECT api_key_hash FROM users",
  "_%",
  "admin'--",
];

export const SCRIPT_PAYLOADS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "</script><script>fetch('//x')</script>",
  "{{constructor.constructor('alert(1)')()}}",
];

const UNICODE_SAMPLES = [
  "\u0000",
  "\u0007\u001b[31m",
  "\r\n\t",
  "\u202e\u2066",
  "\ufeff",
  "\ud800",
  "\udfff\ud800",
  "😀👩‍👩‍👧",
  "한국어",
  "日本語テキスト",
  "\u0301\u0301\u0301",
  "\u2028\u2029",
  "ﷺ",
  "𝕏𝕐",
];

/** A string a hostile client might send: unicode, control characters, SQL, script, or very long. */
export function hostileString(random: Random): string {
  switch (random.int(6)) {
    case 0:
      return random.pick(SQL_METACHARACTERS);
    case 1:
      return random.pick(SCRIPT_PAYLOADS);
    case 2:
      return "x".repeat(1 + random.int(5000));
    case 3:
      return Array.from({ length: 1 + random.int(6) }, () => random.pick(UNICODE_SAMPLES)).join("");
    case 4:
      return String.fromCharCode(...Array.from({ length: 1 + random.int(20) }, () => random.int(0x10000)));
    default:
      return `${random.pick(UNICODE_SAMPLES)}${random.pick(SQL_METACHARACTERS)}${random.pick(SCRIPT_PAYLOADS)}`;
  }
}

/** Raw JSON text literals that are never a valid count, some of them not even valid JSON. */
export const BAD_COUNT_LITERALS = [
  "-1",
  "-0.5",
  "1.5",
  "1e400",
  "-1e400",
  "1e20",
  "9007199254740993",
  "NaN",
  "Infinity",
  "-Infinity",
  '"12"',
  '"NaN"',
  "null",
  "true",
  "[]",
  "[1]",
  "{}",
  '{"__proto__":{"polluted":true}}',
  '""',
  "0x10",
  "+1",
  "01",
];

/** Raw literals that are never a valid string of the kind the contracts ask for. */
export function badStringLiteral(random: Random): string {
  return random.chance(0.4)
    ? random.pick(["123", "null", "true", "[]", "{}", '{"constructor":{"prototype":{}}}', "-1", "1e400"])
    : JSON.stringify(random.chance(0.5) ? "" : `\u0000${hostileString(random)}`);
}

/** Any raw JSON literal, valid or not: the noise put in extra fields. */
export function anyLiteral(random: Random): string {
  return random.chance(0.5) ? random.pick(BAD_COUNT_LITERALS) : JSON.stringify(hostileString(random));
}

export const RESERVED_KEYS = ["__proto__", "constructor", "prototype"];

/** `string`: a constrained string (enum, id, date, email); `text`: any non-empty string is valid. */
export type FieldKind = "count" | "string" | "text";

export interface MalformedBody {
  raw: string;
  contentType: string;
  /** The status the body must get, when it is certain (oversized, wrong media type). */
  expectStatus?: number;
}

function objectText(entries: Array<[string, string]>): string {
  return `{${entries.map(([key, literal]) => `${JSON.stringify(key)}:${literal}`).join(",")}}`;
}

/** A copy of `base` with one to three required fields made invalid or removed, plus noise keys. */
export function mutateObject(random: Random, base: Record<string, unknown>, required: Record<string, FieldKind>) {
  const entries = Object.entries(base).map(([key, value]): [string, string] => [key, JSON.stringify(value)]);
  const names = Object.keys(required);
  for (let n = 1 + random.int(3); n > 0; n--) {
    const name = random.pick(names);
    const index = entries.findIndex(([key]) => key === name);
    if (random.chance(0.2)) {
      if (index >= 0) entries.splice(index, 1);
      continue;
    }
    const kind = required[name];
    const literal =
      kind === "count"
        ? random.pick(BAD_COUNT_LITERALS)
        : kind === "text"
          ? random.pick(["123", "null", "true", "[]", "{}", '""', "1e400", "NaN", '{"__proto__":"x"}'])
          : badStringLiteral(random);
    if (index >= 0) entries[index] = [name, literal];
    else entries.push([name, literal]);
  }
  for (let n = random.int(4); n > 0; n--) {
    const key = random.chance(0.5) ? random.pick(RESERVED_KEYS) : hostileString(random).slice(0, 40);
    entries.splice(random.int(entries.length + 1), 0, [key, anyLiteral(random)]);
  }
  return objectText(entries);
}

/** Bodies that are not a JSON object at all, or not JSON. */
export function structuralJunk(random: Random, valid: string): string {
  switch (random.int(10)) {
    case 0:
      return valid.slice(0, random.int(valid.length));
    case 1:
      return `[${valid}]`;
    case 2:
      return random.pick(["null", "0", '"text"', "true", "[]", "{}", ""]);
    case 3:
      return `${"[".repeat(5000)}${"]".repeat(5000)}`;
    case 4:
      return `{"a":${'{"a":'.repeat(3000)}1${"}".repeat(3000)}}`;
    case 5:
      return `\ufeff${valid.slice(1)}`;
    case 6:
      return valid.replace(/:/, ":\u0000");
    case 7:
      return `${valid}${valid}`;
    case 8:
      return `{'single':'quotes'}`;
    default:
      return hostileString(random);
  }
}

const WRONG_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "",
];

/**
 * `count` malformed bodies for an endpoint whose valid body is `base`: invalid or missing required
 * fields with noise, structural junk, wrong content types, and a few bodies over the 1 MiB limit.
 */
export function buildMalformedBodies(
  seed: number,
  count: number,
  base: Record<string, unknown>,
  required: Record<string, FieldKind>,
  options: { checksContentType: boolean },
): MalformedBody[] {
  const random = createRandom(seed);
  const valid = JSON.stringify(base);
  const bodies: MalformedBody[] = [];
  for (let index = 0; index < 3; index++) {
    const padding = "x".repeat(1_048_576 + random.int(100_000));
    bodies.push({ raw: JSON.stringify({ ...base, padding }), contentType: "application/json", expectStatus: 413 });
  }
  while (bodies.length < count) {
    const roll = random.next();
    if (roll < 0.72) bodies.push({ raw: mutateObject(random, base, required), contentType: "application/json" });
    else if (roll < 0.9) bodies.push({ raw: structuralJunk(random, valid), contentType: "application/json" });
    else {
      const type = random.pick(WRONG_TYPES);
      // A valid body is only safe to send where the media type alone must refuse it.
      const raw = options.checksContentType && random.chance(0.5) ? valid : mutateObject(random, base, required);
      bodies.push({ raw, contentType: type, ...(options.checksContentType ? { expectStatus: 415 } : {}) });
    }
  }
  return bodies;
}

/** Query-string values that are never a valid number, enum or bounded integer. */
export const BAD_QUERY_VALUES = [
  "-1",
  "1e400",
  "NaN",
  "Infinity",
  "1.5",
  "99999999999999999999999",
  "0x10",
  "",
  " ",
  "null",
  "[]",
  "%00",
  "1%27",
  "__proto__",
  "constructor",
];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with lone surrogates replaced, so that it can be URI-encoded. */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\ufffd");
}

/** A hostile value safe to put in an HTTP header (Latin-1, no CR/LF). */
export function hostileHeaderValue(random: Random): string {
  const text = hostileString(random).slice(0, 300);
  return [...text].map((char) => (char.charCodeAt(0) > 0xff || /[\r\n\0]/.test(char) ? "?" : char)).join("");
}
