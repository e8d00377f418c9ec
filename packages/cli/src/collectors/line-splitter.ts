const NEWLINE = 0x0a;

/** Lines longer than this are skipped rather than buffered (huge snapshot lines must not blow the heap). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export type LineHandler = (line: Buffer) => void;
/** One line as a byte range of `chunk` (no newline): no per-line Buffer object for lines that are skipped. */
export type LineRangeHandler = (chunk: Buffer, start: number, end: number) => void;

/** Adapts a per-line Buffer handler to ranges. */
export function linesOf(onLine: LineHandler): LineRangeHandler {
  return (chunk, start, end) => onLine(chunk.subarray(start, end));
}

/**
 * Splits pushed byte chunks into complete lines without ever building one string of the whole input.
 * Only bytes up to the last newline are consumed; `consumed` is the byte count a cursor may resume from.
 */
export class LineSplitter {
  consumed = 0;
  oversizedLines = 0;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;

  constructor(private readonly onLine: LineRangeHandler) {}

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, 0);
    if (newline !== -1 && (this.carryBytes > 0 || this.skipping)) {
      this.finishCarriedLine(chunk.subarray(0, newline));
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    while (newline !== -1) {
      if (newline > start) this.onLine(chunk, start, newline);
      this.consumed += newline + 1 - start;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.carryRest(chunk.subarray(start));
  }

  /** Bytes after the last newline (an unfinished last line, left for the next run). */
  get pendingBytes(): number {
    return this.carryBytes;
  }

  /**
   * Hands the bytes after the last newline to `onLine` as one line, without consuming them (a cursor still
   * resumes before them). Nothing when there are none, or when the line was too long to keep.
   */
  flushUnfinished(onLine: LineRangeHandler): void {
    if (this.carryBytes === 0 || this.skipping) return;
    const line = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryBytes);
    onLine(line, 0, line.length);
  }

  private finishCarriedLine(head: Buffer): void {
    const lineBytes = this.carryBytes + head.length;
    if (!this.skipping) {
      const line = this.carry.length === 0 ? head : Buffer.concat([...this.carry, head], lineBytes);
      if (line.length > 0) this.onLine(line, 0, line.length);
    }
    this.consumed += lineBytes + 1;
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
  }

  private carryRest(rest: Buffer): void {
    this.carryBytes += rest.length;
    if (this.skipping) return;
    if (this.carryBytes > MAX_LINE_BYTES) {
      this.skipping = true;
      this.oversizedLines += 1;
      this.carry = [];
      return;
    }
    // Copy: the caller reuses its read buffer for the next chunk.
    this.carry.push(Buffer.from(rest));
  }
}
