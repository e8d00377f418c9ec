import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type OtlpExport, trimOtlpExport } from "./stub-model/otlp-sink";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/**
 * Writes `fixtures/otel/<name>.jsonl`, one export per line (compact, and a diff shows which export changed).
 * Only what carries usage is kept, so that the fixture stays small: log records with a token attribute (none
 * of 2 KB or more), token and cost metrics; never traces. Nothing is written when nothing carried usage.
 */
export function writeOtelFixture(name: string, exports: readonly OtlpExport[]): void {
  const kept = exports.flatMap((item) => {
    const trimmed = trimOtlpExport(item);
    return trimmed ? [trimmed] : [];
  });
  if (kept.length === 0) return;
  const path = join(FIXTURES, "otel", `${name}.jsonl`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kept.map((item) => `${JSON.stringify(item)}\n`).join(""));
}
