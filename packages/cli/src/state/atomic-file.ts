import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writevSync,
} from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";

/** Writes every chunk in order (one `writev` call for all of them, repeated only after a short write). */
function writeChunks(fd: number, chunks: readonly Uint8Array[]): void {
  const pending = chunks.filter((chunk) => chunk.byteLength > 0);
  while (pending.length > 0) {
    let written = writevSync(fd, pending);
    while (pending.length > 0 && written >= pending[0]!.byteLength) written -= pending.shift()!.byteLength;
    if (written > 0) pending[0] = pending[0]!.subarray(written);
  }
}

/**
 * Writes through a temp file in the same folder, fsync, then rename: a reader (or a crash) sees the old
 * content or the new one, never half of it. Content given as chunks is written as they are, without
 * first copying them into one buffer.
 */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array | readonly Uint8Array[],
  mode = 0o600,
  options: { durable?: boolean } = {},
): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(temp, "w", mode);
  try {
    if (Array.isArray(content)) writeChunks(fd, content);
    else writeFileSync(fd, content as string | Uint8Array);
    // `durable: false` for files whose loss after a power cut is detected and repaired (see claude-state-store).
    if (options.durable !== false) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The same, asynchronously, so that many small files (the queue) can be flushed in parallel. */
export async function writeFileAtomicAsync(path: string, content: string, mode = 0o600): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "w", mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function writeJsonAtomic(path: string, value: unknown, mode = 0o600): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode);
}

/** The file's text, or `undefined` when it does not exist. */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Parsed JSON, `undefined` when missing; a corrupt file also reads as `undefined` (state can be rebuilt). */
export function readJsonIfValid(path: string): unknown {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
