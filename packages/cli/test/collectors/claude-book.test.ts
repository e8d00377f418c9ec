import { describe, expect, it } from "vitest";
import { type CallSighting, ClaudeBook, COUNTED } from "../../src/collectors/claude-book";
import { decodeBook, encodeBook } from "../../src/collectors/claude-state-store";
import { hashKey64, KeyTable } from "../../src/collectors/key-table";

const halves = (key: string): [number, number] => {
  const hash = hashKey64(key);
  return [hash[0]!, hash[1]!];
};

function sighting(messageId: string, sessionId: string, output: number, overrides: Partial<CallSighting> = {}) {
  const [messageHigh, messageLow] = halves(messageId);
  const [requestHigh, requestLow] = halves(`req_${messageId}`);
  return {
    messageHigh,
    messageLow,
    hasRequest: true,
    requestHigh,
    requestLow,
    sessionId,
    sidechain: false,
    counted: true,
    timestamp: 1_000 + output,
    model: "claude-sonnet-4-5",
    tokens: [10, output, 0, 100],
    ...overrides,
  } satisfies CallSighting;
}

describe("key table", () => {
  it("keeps every key through growth, answers -1 for the others, and survives its own slots", () => {
    const table = new KeyTable(4);
    const keys = Array.from({ length: 20_000 }, (_, index) => `t:toolu_${index.toString(36)}`);
    for (const [index, key] of keys.entries()) table.set(...halves(key), index);
    table.set(...halves(keys[7]!), 70_000);
    expect(table.size).toBe(keys.length);
    for (const [index, key] of keys.entries()) expect(table.get(...halves(key))).toBe(index === 7 ? 70_000 : index);
    expect(table.get(...halves("t:absent"))).toBe(-1);
    const { high, low, values } = table.slots;
    const copy = KeyTable.fromSlots(high.slice(), low.slice(), values.slice())!;
    expect(copy.size).toBe(keys.length);
    expect(copy.get(...halves(keys[19_999]!))).toBe(19_999);
    let visited = 0;
    copy.forEach(() => {
      visited++;
    });
    expect(visited).toBe(keys.length);
    // Slots that are not a power of two, or too full to probe, are refused.
    expect(KeyTable.fromSlots(new Uint32Array(24), new Uint32Array(24), new Int32Array(24))).toBeUndefined();
    expect(KeyTable.fromSlots(new Uint32Array(16), new Uint32Array(16), new Int32Array(16).fill(3))).toBeUndefined();
  });
});

describe("claude book", () => {
  it("keeps the largest copy of a call, moves tokens when a main copy replaces a sidechain one", () => {
    const book = new ClaudeBook();
    const touched = new Set<string>();
    expect(book.mergeCall(sighting("m1", "s1", 5), touched)).toBe(0);
    expect(book.mergeCall(sighting("m1", "s1", 3), touched)).toBe(-1);
    expect(book.mergeCall(sighting("m1", "s1", 9), touched)).toBe(0);
    expect(book.sessions.s1!.tokens).toEqual([10, 9, 0, 100]);
    // A sidechain copy under another request, then the main copy in another session.
    book.mergeCall(sighting("m2", "s1", 4, { sidechain: true, requestLow: 1 }), touched);
    expect(book.sessions.s1!.tokens).toEqual([20, 13, 0, 200]);
    book.mergeCall(sighting("m2", "s2", 6), touched);
    expect(book.sessions.s1!.tokens).toEqual([10, 9, 0, 100]);
    expect(book.sessions.s2!.tokens).toEqual([10, 6, 0, 100]);
    expect(book.copies.count).toBe(2);
  });

  it("survives thousands of calls through its binary file, also from an unaligned buffer", () => {
    const book = new ClaudeBook();
    const touched = new Set<string>();
    for (let call = 0; call < 5_000; call++) book.mergeCall(sighting(`msg_${call}`, `s${call % 7}`, call), touched);
    for (let key = 0; key < 3_000; key++) book.markSeen(...halves(`t:${key}`), `s${key % 5}`);
    const bytes = Buffer.concat(encodeBook(book));
    const unaligned = Buffer.alloc(bytes.length + 1).subarray(1);
    bytes.copy(unaligned);
    for (const source of [bytes, unaligned]) {
      const loaded = decodeBook(source, [...book.names], structuredClone(book.sessions))!;
      expect(loaded.copies.count).toBe(5_000);
      expect(loaded.calls.get(...halves("msg_4321"))).toBe(4321);
      expect(loaded.copies.tokensOf(4321)).toEqual([10, 4321, 0, 100]);
      expect(loaded.copies.flags[4321]! & COUNTED).toBe(COUNTED);
      expect(loaded.markSeen(...halves("t:2999"), "s0")).toBe(false);
      expect(loaded.markSeen(...halves("t:3000"), "s0")).toBe(true);
      // It grows on from there: a new call is appended and found.
      loaded.mergeCall(sighting("msg_new", "s1", 1), touched);
      expect(loaded.calls.get(...halves("msg_new"))).toBe(5_000);
      expect(loaded.sessions).toEqual({ ...book.sessions, s1: loaded.sessions.s1 });
    }
    const torn = Buffer.from(bytes);
    torn[torn.length >> 1] = torn[torn.length >> 1]! ^ 1;
    expect(decodeBook(torn, book.names, book.sessions)).toBeUndefined();
  });

  it("counts a revision for every change to its copies and tables, and none for a sighting that changes nothing", () => {
    const book = new ClaudeBook();
    const touched = new Set<string>();
    const changes = (act: () => unknown) => {
      const before = book.revision;
      act();
      return book.revision - before;
    };
    expect(changes(() => book.mergeCall(sighting("msg_1", "s1", 5), touched))).toBeGreaterThan(0); // new call
    expect(changes(() => book.mergeCall(sighting("msg_1", "s1", 5), touched))).toBe(0); // same copy again
    expect(changes(() => book.mergeCall(sighting("msg_1", "s1", 3), touched))).toBe(0); // smaller copy
    expect(changes(() => book.mergeCall(sighting("msg_1", "s1", 9), touched))).toBeGreaterThan(0); // grown
    expect(changes(() => book.mergeCall(sighting("msg_1", "s1", 9, { counted: false }), touched))).toBeGreaterThan(0);
    const side = { sidechain: true };
    expect(changes(() => book.mergeCall(sighting("msg_2", "s1", 4, side), touched))).toBeGreaterThan(0);
    expect(changes(() => book.mergeCall(sighting("msg_2", "s2", 4, { requestHigh: 1 }), touched))).toBeGreaterThan(0);
    expect(changes(() => book.mergeCall(sighting("msg_3", "s1", 4), touched))).toBeGreaterThan(0);
    // A sidechain copy of a main call changes nothing, unless it was seen under a root owned elsewhere.
    expect(changes(() => book.mergeCall(sighting("msg_3", "s1", 4, { ...side, requestHigh: 2 }), touched))).toBe(0);
    const owned = { ...side, requestHigh: 3, counted: false };
    expect(changes(() => book.mergeCall(sighting("msg_3", "s1", 4, owned), touched))).toBeGreaterThan(0);
    expect(changes(() => book.markSeen(1, 2, "s1"))).toBe(1);
    expect(changes(() => book.markSeen(1, 2, "s1"))).toBe(0);
  });
});
