import { describe, expect, it } from "vitest";
import type { AcceptedCall } from "../../src/collectors/codex-rollout";
import { appendRows, decodeRows, hashRow, RowOwners } from "../../src/collectors/codex-rows";

const call: AcceptedCall = {
  timestamp: 1772442010000,
  model: "gpt-5.2-codex",
  tokens: [3000, 400, 0, 6000],
  reasoning: 250,
};
const rowOf = (change: Partial<AcceptedCall>) => hashRow({ ...call, ...change });

describe("codex row hashes", () => {
  it("tell rows apart by time, model and every counter, and are safe integers", () => {
    const rows = [
      rowOf({}),
      rowOf({ timestamp: call.timestamp + 1 }),
      rowOf({ model: "gpt-5.2-codex-mini" }),
      rowOf({ model: null }),
      rowOf({ tokens: [3001, 400, 0, 6000] }),
      rowOf({ tokens: [3000, 401, 0, 6000] }),
      rowOf({ tokens: [3000, 400, 1, 6000] }),
      rowOf({ tokens: [3000, 400, 0, 6001] }),
      rowOf({ reasoning: 251 }),
      rowOf({ tokens: [2 ** 40 + 3000, 400, 0, 6000] }),
    ];
    expect(new Set(rows).size).toBe(rows.length);
    expect(rowOf({})).toBe(rows[0]);
    for (const row of rows) expect(Number.isSafeInteger(row)).toBe(true);
  });

  it("are kept as base64 and appended without losing earlier ones", () => {
    const first = appendRows(undefined, [rowOf({}), 2 ** 52 + 1]);
    expect(appendRows(first, [])).toBe(first);
    const both = appendRows(first, [7]);
    expect([...decodeRows(both)]).toEqual([rowOf({}), 2 ** 52 + 1, 7]);
    expect([...decodeRows(undefined)]).toEqual([]);
  });

  it("keep the first file to claim a row, through the table's growth", () => {
    const owners = new RowOwners();
    const rows = Array.from({ length: 5000 }, (_, i) => rowOf({ timestamp: call.timestamp + i }));
    rows.forEach((row, i) => {
      owners.claim(row, i % 7);
    });
    rows.forEach((row, i) => {
      owners.claim(row, 99);
      expect(owners.ownerOf(row)).toBe(i % 7);
    });
    expect(owners.ownerOf(rowOf({ model: "never-seen" }))).toBe(-1);
    // rows equal in their first lane (the slot) and different in the second still tell apart
    owners.claim(2 ** 21 * 12345 + 1, 3);
    owners.claim(2 ** 21 * 12345 + 2, 4);
    expect([owners.ownerOf(2 ** 21 * 12345 + 1), owners.ownerOf(2 ** 21 * 12345 + 2)]).toEqual([3, 4]);
  });
});
