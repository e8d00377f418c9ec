import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Bytes of every file below `dir`. */
export function measureTreeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    total += entry.isDirectory() ? measureTreeBytes(full) : statSync(full).size;
  }
  return total;
}
