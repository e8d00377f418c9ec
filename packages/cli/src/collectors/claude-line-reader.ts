type Json = Record<string, unknown>;

/**
 * Parses one transcript line; null when it is not a JSON object (counted as malformed by the caller).
 * Only lines that pass the byte-level pre-filter get here (tool results never do), and on those V8's
 * `JSON.parse` beat a selective byte walker by ≈27% (docs/benchmarks.md, "What changed from `993e8e9` to `c533235`").
 */
export function readClaudeLine(buf: Buffer): Json | null {
  try {
    const parsed = JSON.parse(buf.toString("utf8")) as unknown;
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Json) : null;
  } catch {
    return null;
  }
}
