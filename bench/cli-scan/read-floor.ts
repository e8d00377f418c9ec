/**
 * The floor under any scan of a tool's history in Node on this machine: start Node, read every byte of
 * every `.jsonl` file under a folder (4 MiB reads into one buffer, as the collectors read) and find every
 * newline, one `indexOf` per line as a line splitter must; nothing else (no filter, no parse, no state).
 * No collector written in Node can be faster; the runner times it beside ccusage in the same rounds.
 * Usage: read-floor.js <folder>   Prints {files, bytes, lines}.
 */
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";

const CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

function listJsonl(dir: string, into: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const child = join(dir, entry.name);
    if (entry.isDirectory()) listJsonl(child, into);
    else if (entry.name.endsWith(".jsonl")) into.push(child);
  }
  return into;
}

const folder = process.argv[2];
if (!folder) throw new Error("usage: read-floor.js <folder>");
const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
let bytes = 0;
let lines = 0;
const files = listJsonl(folder, []);
for (const file of files) {
  const fd = openSync(file, "r");
  try {
    for (let position = 0; ; ) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, position);
      position += read;
      bytes += read;
      const view = buffer.subarray(0, read);
      for (let at = view.indexOf(NEWLINE); at !== -1; at = view.indexOf(NEWLINE, at + 1)) lines++;
      if (read < CHUNK_BYTES) break;
    }
  } finally {
    closeSync(fd);
  }
}
console.log(JSON.stringify({ files: files.length, bytes, lines }));
