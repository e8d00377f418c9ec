import { isUsableTime } from "./timestamps";

/**
 * Dates a file's records in order: a record without a usable time of its own takes the nearest earlier one
 * seen in the file, else the file's mtime. Counts how many were dated that way.
 */
export class RecordClock {
  undated = 0;

  /** `last`: the latest time read before this part of the file (NaN when none); `fallback`: the file's mtime. */
  constructor(
    public last: number,
    private readonly fallback: number,
  ) {}

  /** `own` (NaN when the record has none) when usable, else the nearest earlier time, else the fallback. */
  resolve(own: number): number {
    if (isUsableTime(own)) {
      this.last = own;
      return own;
    }
    return isUsableTime(this.last) ? this.last : this.fallback;
  }

  /** `resolve`, counting a record dated from its neighbours. */
  date(own: number): number {
    if (!isUsableTime(own)) this.undated++;
    return this.resolve(own);
  }

  /** Notes the time of a line that is no record (a prompt, metadata): a later undated record may take it. */
  see(own: number): number {
    if (isUsableTime(own)) this.last = own;
    return own;
  }
}
