import {
  decodeRepeatedValue,
  decodeValue,
  includesBetween,
  KeySet,
  skipWhitespace,
  walkObject,
} from "./selective-json";

type Json = Record<string, unknown>;

/** Envelope fields the Claude handler reads; everything else on a line (tool results, snapshots) is skipped. */
const LINE_KEYS = new KeySet([
  "type",
  "sessionId",
  "timestamp",
  "cwd",
  "uuid",
  "requestId",
  "isSidechain",
  "isMeta",
  "isCompactSummary",
  "isApiErrorMessage",
  "agentId",
  "message",
]);
/** Line fields whose value is the same on most lines of a file (keys are the KeySet's own strings). */
const isRepeatedKey = (key: string) => key === "type" || key === "sessionId" || key === "cwd" || key === "agentId";
const MESSAGE_KEYS = new KeySet(["id", "model", "role", "usage", "content"]);
/** What `normalizeClaudeUsage` reads; the rest of `usage` (server tool use, tiers) is skipped. */
const USAGE_KEYS = new KeySet([
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
  "cache_creation",
]);
const CACHE_CREATION_KEYS = new KeySet(["ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"]);

/** Decodes only `keys` of the object at `start` (every usage line would otherwise go through JSON.parse). */
function readObjectKeys(buf: Buffer, start: number, keys: KeySet, nested?: KeySet): Json {
  const object: Json = {};
  walkObject(buf, start, keys, (key, valueStart, valueEnd) => {
    object[key] =
      nested && buf[valueStart] === 0x7b
        ? readObjectKeys(buf, valueStart, nested)
        : decodeValue(buf, valueStart, valueEnd);
  });
  return object;
}
const TOOL_USE = Buffer.from('"tool_use"');

function readMessage(buf: Buffer, start: number): Json {
  const message: Json = {};
  let content: [number, number] | null = null;
  walkObject(buf, start, MESSAGE_KEYS, (key, valueStart, valueEnd) => {
    if (key === "usage") {
      message.usage =
        buf[valueStart] === 0x7b
          ? readObjectKeys(buf, valueStart, USAGE_KEYS, CACHE_CREATION_KEYS)
          : decodeValue(buf, valueStart, valueEnd);
    } else if (key === "content") content = [valueStart, valueEnd];
    else
      message[key] =
        key === "id" ? decodeValue(buf, valueStart, valueEnd) : decodeRepeatedValue(buf, valueStart, valueEnd);
  });
  const bounds = content as [number, number] | null;
  // Content is decoded only where it matters: tool calls, and user lines (prompt vs tool result).
  if (bounds && (message.role === "user" || includesBetween(buf, TOOL_USE, bounds[0], bounds[1]))) {
    message.content = decodeValue(buf, bounds[0], bounds[1]);
  }
  return message;
}

/**
 * Reads a Claude Code transcript line without decoding the long strings the collector never uses
 * (thinking, text, tool results). Falls back to `JSON.parse` when the line is not what it expects;
 * returns null when the line is not a JSON object at all (counted as malformed by the caller).
 */
export function readClaudeLine(buf: Buffer): Json | null {
  try {
    const line: Json = {};
    const end = walkObject(buf, 0, LINE_KEYS, (key, start, valueEnd) => {
      if (key !== "message")
        line[key] = isRepeatedKey(key) ? decodeRepeatedValue(buf, start, valueEnd) : decodeValue(buf, start, valueEnd);
      else if (buf[start] === 0x7b) line.message = readMessage(buf, start);
    });
    if (skipWhitespace(buf, end) !== buf.length) throw new Error("trailing bytes");
    return line;
  } catch {
    try {
      const parsed = JSON.parse(buf.toString("utf8")) as unknown;
      return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Json) : null;
    } catch {
      return null;
    }
  }
}
