import { describe, expect, it } from "vitest";
import { SharedTable } from "../../bench/shared-table.js";

/** A shared table of `slots` slots. */
const table = (slots: number): SharedTable => new SharedTable(new Int32Array(new SharedArrayBuffer(slots * 12)));

describe("SharedTable", () => {
  it("stores a fingerprint once, keeping the least parent of the level being built", () => {
    const t = table(64);
    // Level 1 starts at id 10: parents 10.. find states.
    expect(t.insert(7, 9, 14, 10)).toBe(1);
    const at = t.at;
    expect(t.t[at + 2]).toBe(14);
    expect(t.insert(7, 9, 14, 10)).toBe(0);
    expect(t.insert(7, 9, 16, 10)).toBe(0);
    expect(t.insert(7, 9, 12, 10)).toBe(2);
    expect(t.at).toBe(at);
    expect(t.t[at + 2]).toBe(12);
    // In the next level (from id 30) the state is an old one: nothing lowers it.
    expect(t.insert(7, 9, 30, 30)).toBe(0);
    expect(t.insert(7, 9, 5, 30)).toBe(0);
    expect(t.t[at + 2]).toBe(12);
  });

  it("tells apart fingerprints that share a first slot, and reads halves of 0 as 1", () => {
    const t = table(4);
    expect(t.insert(1, 5, 0, 0)).toBe(1);
    expect(t.insert(2, 5, 0, 0)).toBe(1);
    expect(t.insert(1, 5, 0, 0)).toBe(0);
    expect(t.insert(0, 0, 0, 0)).toBe(1);
    expect(t.insert(1, 1, 0, 0)).toBe(0);
  });

  it("throws, naming the fix, when full", () => {
    const t = table(2);
    expect(t.insert(1, 1, 0, 0)).toBe(1);
    expect(t.insert(2, 2, 0, 0)).toBe(1);
    expect(() => t.insert(3, 3, 0, 0)).toThrow(/full; raise N/);
  });
});
