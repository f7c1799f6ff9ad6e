/** The cache of fingerprints met lately: a hit must mean the fingerprint was added and not evicted since. */
import { describe, expect, it } from "vitest";
import { RecentFingerprints } from "../../src/engine/recent.js";

describe("RecentFingerprints", () => {
  it("holds what was added until a fingerprint with the same slot evicts it, and never (0, 0)", () => {
    const r = new RecentFingerprints();
    expect(r.has(0, 0)).toBe(false);
    r.add(0, 0);
    expect(r.has(0, 0)).toBe(false);
    r.add(7, 0x12345);
    expect(r.has(7, 0x12345)).toBe(true);
    expect(r.has(8, 0x12345)).toBe(false);
    expect(r.has(-1 >>> 0, 5)).toBe(false);
    r.add(0xffffffff, 0xfffffff5);
    expect(r.has(-1, -11)).toBe(true);
    r.add(9, 0x12345 + (1 << 20));
    expect(r.has(7, 0x12345)).toBe(false);
    expect(r.has(9, 0x12345 + (1 << 20))).toBe(true);
    r.clear();
    expect(r.has(9, 0x12345 + (1 << 20))).toBe(false);
    expect(r.has(-1, -11)).toBe(false);
  });
});
