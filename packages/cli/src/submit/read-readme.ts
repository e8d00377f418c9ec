import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { MAX_DESCRIPTION_BYTES } from "@modu-arena/core";
import { CliError, EXIT } from "../errors";

export interface ProjectReadme {
  path: string;
  text: string;
  /** Size of the file on disk, before any truncation. */
  bytes: number;
  truncated: boolean;
}

/** Larger files are not read whole: only the first MAX_DESCRIPTION_BYTES can be sent anyway. */
const READ_LIMIT = MAX_DESCRIPTION_BYTES * 4;

/** README.md of the project folder, cut at MAX_DESCRIPTION_BYTES on a character boundary. */
export function readProjectReadme(dir: string): ProjectReadme {
  const path = join(dir, "README.md");
  let bytes: number;
  let buffer: Buffer;
  try {
    bytes = statSync(path).size;
    buffer = readFileSync(path).subarray(0, READ_LIMIT);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "EISDIR") {
      throw new CliError(`no README.md in ${dir}`, {
        exitCode: EXIT.usage,
        hint: "the README is what gets evaluated: write one (with a `## Local Validation` section) and run submit again",
      });
    }
    throw error;
  }
  const truncated = buffer.length > MAX_DESCRIPTION_BYTES;
  const text = truncateUtf8(buffer, MAX_DESCRIPTION_BYTES).replace(/^\uFEFF/, "");
  if (text.trim() === "") {
    throw new CliError(`${path} is empty`, {
      exitCode: EXIT.usage,
      hint: "describe the project, how to install, use and test it, then run submit again",
    });
  }
  return { path, text, bytes, truncated };
}

/** The longest prefix of at most `limit` bytes that does not split a UTF-8 character. */
export function truncateUtf8(buffer: Buffer, limit: number): string {
  if (buffer.length <= limit) return buffer.toString("utf8");
  let end = limit;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that would be cut.
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString("utf8");
}
