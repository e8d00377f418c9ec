import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/state/atomic-file";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(() => {
    dir = createTempHome("modu-atomic-");
  });
  afterEach(() => removeTempHome(dir));

  it("writes chunks in order, empty ones and views into larger buffers included, and leaves no temp file", () => {
    const big = Buffer.from("..middle..");
    const chunks = [Buffer.from("head|"), new Uint8Array(0), big.subarray(2, 8), Buffer.alloc(3), Buffer.from("|tail")];
    const path = join(dir, "sub", "file.bin");
    writeFileAtomic(path, chunks, 0o600, { durable: false });
    expect(readFileSync(path)).toEqual(
      Buffer.concat([Buffer.from("head|middle"), Buffer.alloc(3), Buffer.from("|tail")]),
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, "sub"))).toEqual(["file.bin"]);
  });

  it("writes megabytes of chunks whole", () => {
    const chunks = Array.from({ length: 40 }, (_, index) => Buffer.alloc(256 * 1024, index));
    const path = join(dir, "large.bin");
    writeFileAtomic(path, chunks);
    expect(readFileSync(path).equals(Buffer.concat(chunks))).toBe(true);
  });
});
