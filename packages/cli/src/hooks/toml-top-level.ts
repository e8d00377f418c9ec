/**
 * Just enough TOML to find a top-level key and read a string array, working on the raw text so that an
 * edit elsewhere keeps the user's formatting and comments byte for byte.
 */
export interface TopLevelEntry {
  key: string;
  /** Offset of the key's first character. */
  start: number;
  valueStart: number;
  /** Offset just after the value (before any trailing comment or newline). */
  end: number;
}

export interface TopLevelScan {
  entries: TopLevelEntry[];
  /** Offset of the first `[table]` header (where top-level keys end), or the text length. */
  firstTableAt: number;
}

class TomlScanError extends Error {}

function skipString(text: string, at: number): number {
  const quote = text[at]!;
  const triple = text.startsWith(quote.repeat(3), at);
  if (triple) {
    const close = text.indexOf(quote.repeat(3), at + 3);
    if (close < 0) throw new TomlScanError("unterminated multi-line string");
    let end = close + 3;
    while (text[end] === quote) end += 1;
    return end;
  }
  for (let index = at + 1; index < text.length; index += 1) {
    const char = text[index];
    if (char === "\\" && quote === '"') index += 1;
    else if (char === quote) return index + 1;
    else if (char === "\n") break;
  }
  throw new TomlScanError("unterminated string");
}

function skipValue(text: string, at: number): number {
  const open = text[at];
  if (open === '"' || open === "'") return skipString(text, at);
  if (open === "[" || open === "{") {
    const close = open === "[" ? "]" : "}";
    let index = at + 1;
    while (index < text.length) {
      const char = text[index]!;
      if (char === close) return index + 1;
      if (char === "#") index = text.indexOf("\n", index) < 0 ? text.length : text.indexOf("\n", index);
      else if (char === '"' || char === "'" || char === "[" || char === "{") index = skipValue(text, index);
      else index += 1;
    }
    throw new TomlScanError(`unclosed ${open}`);
  }
  let index = at;
  while (index < text.length && !/[\r\n#]/.test(text[index]!)) index += 1;
  return text.slice(at, index).trimEnd().length + at;
}

export function scanTopLevel(text: string): TopLevelScan | { error: string } {
  const entries: TopLevelEntry[] = [];
  let index = 0;
  try {
    while (index < text.length) {
      while (index < text.length && /[ \t\r\n]/.test(text[index]!)) index += 1;
      if (index >= text.length) break;
      const char = text[index]!;
      if (char === "#") {
        const newline = text.indexOf("\n", index);
        index = newline < 0 ? text.length : newline + 1;
        continue;
      }
      if (char === "[") return { entries, firstTableAt: index };
      const start = index;
      const quoted = char === '"' || char === "'";
      const keyEnd = quoted ? skipString(text, index) : text.indexOf("=", index);
      const equals = quoted ? text.indexOf("=", keyEnd) : keyEnd;
      if (equals < 0 || text.slice(start, equals).includes("\n")) throw new TomlScanError("a line without `=`");
      const rawKey = text.slice(start, quoted ? keyEnd : equals).trim();
      const key = quoted ? rawKey.slice(1, -1) : rawKey;
      let valueStart = equals + 1;
      while (text[valueStart] === " " || text[valueStart] === "\t") valueStart += 1;
      const end = skipValue(text, valueStart);
      entries.push({ key, start, valueStart, end });
      index = end;
    }
  } catch (error) {
    return { error: error instanceof TomlScanError ? error.message : String(error) };
  }
  return { entries, firstTableAt: text.length };
}

function unescapeBasic(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, code: string) => {
    if (code.length > 1) return String.fromCodePoint(Number.parseInt(code.slice(1), 16));
    return (
      ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\" } as Record<string, string>)[code] ?? code
    );
  });
}

/** `["a", 'b']` → `["a", "b"]`; undefined when the value is anything else. */
export function parseStringArray(value: string): string[] | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) return undefined;
  const items: string[] = [];
  let index = 1;
  const inner = trimmed;
  while (index < inner.length - 1) {
    const char = inner[index]!;
    if (/[\s,]/.test(char)) index += 1;
    else if (char === "#") index = inner.indexOf("\n", index) < 0 ? inner.length : inner.indexOf("\n", index);
    else if (char === '"' || char === "'") {
      if (inner.startsWith(char.repeat(3), index)) return undefined;
      const end = skipString(inner, index);
      const body = inner.slice(index + 1, end - 1);
      items.push(char === '"' ? unescapeBasic(body) : body);
      index = end;
    } else return undefined;
  }
  return items;
}

/** A TOML array of basic strings (JSON string escapes are valid TOML basic-string escapes). */
export function formatStringArray(items: string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
}
