import { describe, expect, it } from "vitest";
import { KNOWN_BEFORE, LOWERED, SLOT_WORDS, STORED_NOW, SharedTable } from "../../src/engine/shared-table.js";

describe("SharedTable", () => {
  it("stores a fingerprint once, keeping the least parent that found it", () => {
    const t = SharedTable.create(64);
    expect(t.insert(7, 9, 14)).toBe(STORED_NOW);
    const at = t.at;
    expect(t.leastAt(at)).toBe(14);
    expect(t.insert(7, 9, 14)).toBe(KNOWN_BEFORE);
    expect(t.insert(7, 9, 16)).toBe(KNOWN_BEFORE);
    expect(t.insert(7, 9, 12)).toBe(LOWERED);
    expect(t.at).toBe(at);
    expect(t.leastAt(at)).toBe(12);
    // Parent 0 is a real id, less than any other.
    expect(t.insert(7, 9, 0)).toBe(LOWERED);
    expect(t.insert(7, 9, 3)).toBe(KNOWN_BEFORE);
    expect(t.leastAt(at)).toBe(0);
  });

  it("tells apart fingerprints that share a first slot, and reads halves of 0 as 1", () => {
    const t = SharedTable.create(4);
    expect(t.insert(1, 5, 0)).toBe(STORED_NOW);
    expect(t.insert(2, 5, 0)).toBe(STORED_NOW);
    expect(t.insert(1, 5, 0)).toBe(KNOWN_BEFORE);
    expect(t.insert(0, 0, 0)).toBe(STORED_NOW);
    expect(t.insert(1, 1, 0)).toBe(KNOWN_BEFORE);
    expect([t.find(2, 5), t.find(0, 1), t.find(3, 5)]).toEqual([true, true, false]);
  });

  it("throws when every slot is taken", () => {
    const t = SharedTable.create(2);
    expect(t.insert(1, 1, 0)).toBe(STORED_NOW);
    expect(t.insert(2, 2, 0)).toBe(STORED_NOW);
    expect(() => t.insert(3, 3, 0)).toThrow(/level table of 2 slots filled up/);
    expect(t.find(3, 3)).toBe(false);
  });

  it("moves every slot, least parent and all, into a larger table in parts", () => {
    const small = SharedTable.create(16);
    const fps = Array.from({ length: 11 }, (_, i) => [i * 7 + 1, (i * 0x9e3779b9) >>> 0] as const);
    fps.forEach(([hi, lo], i) => small.insert(hi, lo, 100 + i));
    const big = SharedTable.create(24);
    big.moveFrom(small.t, 0, 5);
    big.moveFrom(small.t, 5, 16);
    expect(big.t.filter((_, w) => w % SLOT_WORDS === 0 && big.t[w] !== 0).length).toBe(11);
    fps.forEach(([hi, lo], i) => {
      expect(big.find(hi, lo)).toBe(true);
      expect(big.leastAt(big.at)).toBe(100 + i);
    });
  });
});
