/**
 * 64-bit hashes of dedup keys (message ids, request ids, tool_use ids, prompt uuids) and an open-addressing
 * table of them. A big history holds ~10^5 such keys: as strings in objects they made every GC slower and
 * the state a 10 MB JSON; as two 32-bit halves in typed arrays they cost nothing to keep, save or load.
 * Two keys sharing all 64 bits (odds ~10^-9 for a million keys) would count as one.
 */

const hashed = new Uint32Array(2);

/** The key's hash: [high, low] halves, in a buffer reused by the next call. */
export function hashKey64(key: string): Uint32Array {
  // FNV-1a and a multiply-xorshift hash, over UTF-16 code units: independent enough for 64 bits.
  let high = 0x811c9dc5;
  let low = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    high = Math.imul(high ^ code, 0x01000193);
    low = Math.imul(low ^ code, 0x5bd1e995);
    low ^= low >>> 15;
  }
  low = Math.imul(low ^ (low >>> 13), 0xc2b2ae35);
  hashed[0] = high;
  hashed[1] = low ^ (low >>> 16);
  return hashed;
}

/** 16 hex digits: a call's identity in local reports (`dedupKey`). */
export function formatKey64(high: number, low: number): string {
  return (high >>> 0).toString(16).padStart(8, "0") + (low >>> 0).toString(16).padStart(8, "0");
}

const EMPTY = -1;

/** 64-bit keys to non-negative int32 values, linear probing; no deletion (dedup keys are never forgotten). */
export class KeyTable {
  private high: Uint32Array;
  private low: Uint32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.high = new Uint32Array(slots);
    this.low = new Uint32Array(slots);
    this.values = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
  }

  private slotOf(high: number, low: number): number {
    let slot = (Math.imul(high, 0x9e3779b1) ^ low) & this.mask;
    while (this.values[slot] !== EMPTY && (this.high[slot] !== high || this.low[slot] !== low)) {
      slot = (slot + 1) & this.mask;
    }
    return slot;
  }

  /** The value of the key, or -1. */
  get(high: number, low: number): number {
    return this.values[this.slotOf(high, low)]!;
  }

  set(high: number, low: number, value: number): void {
    if ((this.size + 1) * 2 > this.values.length) this.grow();
    const slot = this.slotOf(high, low);
    if (this.values[slot] === EMPTY) {
      this.size++;
      this.high[slot] = high;
      this.low[slot] = low;
    }
    this.values[slot] = value;
  }

  /** The table's slots as they are (saved and restored without re-inserting anything). */
  get slots(): { high: Uint32Array; low: Uint32Array; values: Int32Array } {
    return { high: this.high, low: this.low, values: this.values };
  }

  /** A table over saved slots; undefined when they cannot be one (a length that is not a power of two). */
  static fromSlots(high: Uint32Array, low: Uint32Array, values: Int32Array): KeyTable | undefined {
    const slots = values.length;
    if (slots < 16 || (slots & (slots - 1)) !== 0 || high.length !== slots || low.length !== slots) return undefined;
    const table = new KeyTable(0);
    table.high = high;
    table.low = low;
    table.values = values;
    table.mask = slots - 1;
    let size = 0;
    for (let slot = 0; slot < slots; slot++) if (values[slot] !== EMPTY) size++;
    // Probing must always reach an empty slot.
    if (size * 2 > slots) return undefined;
    table.size = size;
    return table;
  }

  forEach(visit: (high: number, low: number, value: number) => void): void {
    for (let slot = 0; slot < this.values.length; slot++) {
      const value = this.values[slot]!;
      if (value !== EMPTY) visit(this.high[slot]!, this.low[slot]!, value);
    }
  }

  private grow(): void {
    const { high, low, values } = this;
    this.high = new Uint32Array(values.length * 2);
    this.low = new Uint32Array(values.length * 2);
    this.values = new Int32Array(values.length * 2).fill(EMPTY);
    this.mask = values.length * 2 - 1;
    this.size = 0;
    for (let slot = 0; slot < values.length; slot++)
      if (values[slot] !== EMPTY) this.set(high[slot]!, low[slot]!, values[slot]!);
  }
}
