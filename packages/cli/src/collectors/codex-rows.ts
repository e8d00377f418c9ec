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

/** One 32-bit word into both lanes. */
function mixWord(word: number): void {
  laneA = mixA(laneA, word);
  laneB = mixB(laneB, word);
}

/** A count or time: one word when it fits in 32 bits (most do), two otherwise. */
function mixNumber(value: number): void {
  if (value >= 0 && value < TWO_32) mixWord(value >>> 0);
  else {
    mixWord(value >>> 0);
    mixWord(Math.floor(value / TWO_32) >>> 0);
  }
}

/** A rollout names one model for most of its calls: its string is hashed once. */
let cachedModel: string | null = null;
let cachedModelWord = NO_MODEL;

function modelWord(model: string | null): number {
  if (model === null) return NO_MODEL;
  if (model !== cachedModel) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < model.length; i++) hash = Math.imul(hash ^ model.charCodeAt(i), 0x01000193);
    cachedModel = model;
    cachedModelWord = Math.imul(hash ^ model.length, 0x01000193) >>> 0;
  }
  return cachedModelWord;
}

/** The row's hash: timestamp, model, and the counters the log gave (uncached + cached input, output, reasoning). */
export function hashRow(call: AcceptedCall): number {
  laneA = 0x811c9dc5;
  laneB = 0x2545f491;
  mixNumber(call.timestamp);
  const tokens = call.tokens;
  mixNumber(tokens[0]);
  mixNumber(tokens[1]);
  mixNumber(tokens[2]);
  mixNumber(tokens[3]);
  mixNumber(call.reasoning);
  mixWord(modelWord(call.model));
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

/** 2^21: a row hash over this is its first lane (`finish(laneA)`), a well-mixed 32-bit slot hash. */
const LANE_B_SPAN = 2 ** 21;
const NO_OWNER = -1;

/**
 * Which file (a small integer) counted each row: open addressing over typed arrays, as rows are 53-bit
 * numbers that a `Map` would keep as heap numbers (measured 10× slower, with GC pauses).
 */
export class RowOwners {
  private rows: Float64Array;
  private owners: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 0) {
    let capacity = 64;
    while (capacity < expected * 2) capacity *= 2;
    this.rows = new Float64Array(capacity);
    this.owners = new Int32Array(capacity).fill(NO_OWNER);
    this.mask = capacity - 1;
  }

  private slotOf(row: number): number {
    let slot = (row / LANE_B_SPAN) & this.mask;
    while (this.owners[slot] !== NO_OWNER && this.rows[slot] !== row) slot = (slot + 1) & this.mask;
    return slot;
  }

  /** The owner of `row`, or -1 when no file counted it. */
  ownerOf(row: number): number {
    return this.owners[this.slotOf(row)]!;
  }

  /** Records `owner` for `row` unless a file already counted it. */
  claim(row: number, owner: number): void {
    const slot = this.slotOf(row);
    if (this.owners[slot] !== NO_OWNER) return;
    this.rows[slot] = row;
    this.owners[slot] = owner;
    if (++this.count * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const { rows, owners } = this;
    this.rows = new Float64Array(rows.length * 2);
    this.owners = new Int32Array(rows.length * 2).fill(NO_OWNER);
    this.mask = this.rows.length - 1;
    for (let i = 0; i < rows.length; i++) {
      if (owners[i] === NO_OWNER) continue;
      const slot = this.slotOf(rows[i]!);
      this.rows[slot] = rows[i]!;
      this.owners[slot] = owners[i]!;
    }
  }
}
