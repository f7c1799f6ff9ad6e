import { describe, expect, it } from "vitest";
import { SLOT_WORDS, SharedTable } from "../../src/engine/shared-table.js";
import { STORED_WORDS, StoredTable } from "../../src/engine/stored-table.js";

/** Eleven fingerprints, some with a half of 0. */
const FPS = Array.from({ length: 11 }, (_, i) => [i === 3 ? 0 : i * 7 + 1, i === 5 ? 0 : (i * 0x9e3779b9) >>> 0] as const);

describe("StoredTable", () => {
  it("puts a fingerprint once, reading halves of 0 as 1 as the level table does", () => {
    const t = StoredTable.create(8);
    expect(t.put(1, 5)).toBe(true);
    expect(t.put(2, 5)).toBe(true);
    expect(t.put(1, 5)).toBe(false);
    expect(t.put(0, 0)).toBe(true);
    expect(t.put(1, 1)).toBe(false);
    expect([t.has(2, 5), t.has(0, 1), t.has(3, 5), t.has(5, 1)]).toEqual([true, true, false, false]);
    expect(t.limit).toBe(6);
  });

  it("throws when a fingerprint is added to a full table", () => {
    const t = StoredTable.create(2);
    t.add(1, 1);
    t.add(2, 2);
    expect(() => t.add(3, 3)).toThrow(/stored states \(2 slots\) is full/);
    expect(t.has(3, 3)).toBe(false);
  });

  it("adds a level table's slots, and a smaller stored table's, in parts", () => {
    const level = SharedTable.create(16);
    FPS.forEach(([hi, lo], i) => level.insert(hi, lo, 100 + i));
    const small = StoredTable.create(16);
    small.addFrom(level.t, SLOT_WORDS, 0, 7);
    small.addFrom(level.t, SLOT_WORDS, 7, 16);
    const big = StoredTable.create(24);
    big.addFrom(small.t, STORED_WORDS, 0, 9);
    big.addFrom(small.t, STORED_WORDS, 9, 16);
    for (const t of [small, big]) {
      expect(t.t.filter((_, w) => w % STORED_WORDS === 0 && t.t[w] !== 0).length).toBe(11);
      for (const [hi, lo] of FPS) expect(t.has(hi, lo)).toBe(true);
      expect(t.has(4, 4)).toBe(false);
    }
  });
});
