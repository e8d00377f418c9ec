/**
 * Identity of a billed row across rollout files (§2.5.2, ccusage's key): its time, model and counters.
 * A forked rollout whose parent is gone, or two files of one session, may hold the same rows: each counts
 * once. Kept per file as 53-bit hashes in a base64 Float64Array (8 bytes a row, no object per row).
 */
import type { AcceptedCall } from "./codex-rollout";

const TWO_32 = 2 ** 32;
const NO_MODEL = 0x9e3779b9;

function mixA(hash: number, value: number): number {
  return Math.imul(hash ^ value, 0x01000193);
}

function mixB(hash: number, value: number): number {
  const h = Math.imul(hash ^ value, 0xcc9e2d51);
  return Math.imul((h << 15) | (h >>> 17), 0x1b873593);
}

function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

let laneA = 0;
let laneB = 0;

function mixNumber(value: number): void {
  const low = value >>> 0;
  const high = Math.floor(value / TWO_32) >>> 0;
  laneA = mixA(mixA(laneA, low), high);
  laneB = mixB(mixB(laneB, low), high);
}

/** The row's hash: timestamp, model, and the counters the log gave (uncached + cached input, output, reasoning). */
export function hashRow(call: AcceptedCall): number {
  laneA = 0x811c9dc5;
  laneB = 0x2545f491;
  mixNumber(call.timestamp);
  for (let i = 0; i < 4; i++) mixNumber(call.tokens[i]!);
  mixNumber(call.reasoning);
  const model = call.model;
  if (model === null) mixNumber(NO_MODEL);
  else {
    for (let i = 0; i < model.length; i++) mixNumber(model.charCodeAt(i));
    mixNumber(model.length);
  }
  return finish(laneA) * 2 ** 21 + (finish(laneB) >>> 11);
}

export function decodeRows(text: string | undefined): Float64Array {
  if (!text) return new Float64Array(0);
  const bytes = Buffer.from(text, "base64");
  const rows = new Float64Array(bytes.length >> 3);
  new Uint8Array(rows.buffer).set(bytes.subarray(0, rows.length * 8));
  return rows;
}

/** `text`'s rows followed by `added`, encoded again. */
export function appendRows(text: string | undefined, added: readonly number[]): string | undefined {
  if (added.length === 0) return text;
  const old = decodeRows(text);
  const rows = new Float64Array(old.length + added.length);
  rows.set(old);
  rows.set(added, old.length);
  return Buffer.from(rows.buffer).toString("base64");
}
