import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../../src/engine/fingerprint.js";
import { NO_PARENT, VISITED_CAPACITY, VisitedSet } from "../../src/engine/visited.js";

/** Distinct, well-spread fingerprints: the fingerprint of i's u32 encoding. */
function keys(n: number): { his: Uint32Array; los: Uint32Array } {
  const his = new Uint32Array(n);
  const los = new Uint32Array(n);
  const out = new Uint32Array(2);
  const b = new Uint8Array(4);
  for (let i = 0; i < n; i++) {
    b[0] = i;
    b[1] = i >>> 8;
    b[2] = i >>> 16;
    b[3] = i >>> 24;
    fingerprint(b, out);
    his[i] = out[0];
    los[i] = out[1];
  }
  return { his, los };
}

describe("VisitedSet", () => {
  it("assigns ids 0, 1, 2, ..., rejects duplicates, and keeps parent and action, across 300k states", () => {
    const n = 300_000; // several 65536-state chunks and many table doublings
    const { his, los } = keys(n);
    const v = new VisitedSet();
    const parentFor = (i: number) => (i === 0 ? NO_PARENT : (i * 7919) % i);
    const actionFor = (i: number) => Math.imul(i, 0x9e3779b1) >>> 16;
    // Plain comparisons in the loops (millions of expect() calls would be slow); count misfits.
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      if (v.insert(his[i], los[i], parentFor(i), actionFor(i)) !== i) wrong++;
      if (i % 3 === 0 && v.insert(his[i], los[i], 0, 0) !== -1) wrong++;
      if (i % 1000 === 0 && v.insert(his[i >>> 1], los[i >>> 1], 0, 0) !== -1) wrong++;
    }
    expect(wrong).toBe(0);
    expect(v.size).toBe(n);
    for (let i = 0; i < n; i++) {
      if (v.insert(his[i], los[i], 1, 1) !== -1) wrong++;
      if (!v.has(his[i], los[i])) wrong++;
      if (v.parentOf(i) !== parentFor(i)) wrong++;
      if (v.actionOf(i) !== actionFor(i)) wrong++;
      if (v.hiOf(i) !== his[i] || v.loOf(i) !== los[i]) wrong++;
    }
    expect(wrong).toBe(0);
    expect(v.size).toBe(n);
  });

  it("tells apart fingerprints sharing one half, and equal low bits (probe chains)", () => {
    const v = new VisitedSet();
    // Same low half, different high halves: all land in one probe chain.
    for (let i = 0; i < 5000; i++) expect(v.insert(i, 42, NO_PARENT, 0)).toBe(i);
    // Same high half, low halves equal modulo table sizes up to 2^20.
    for (let i = 0; i < 4096; i++) expect(v.insert(7, ((i << 20) | 43) >>> 0, NO_PARENT, 0)).toBe(5000 + i);
    for (let i = 0; i < 5000; i++) expect(v.insert(i, 42, 0, 0)).toBe(-1);
    for (let i = 0; i < 4096; i++) expect(v.insert(7, ((i << 20) | 43) >>> 0, 0, 0)).toBe(-1);
    expect(v.has(5000, 42)).toBe(false);
    expect(v.has(8, 43)).toBe(false);
    // Values are taken as uint32: -1 and 0xffffffff are the same.
    expect(v.insert(-1, -1, NO_PARENT, 0)).toBe(9096);
    expect(v.insert(0xffffffff, 0xffffffff, 0, 0)).toBe(-1);
  });

  it("behaves like a Map keyed by the pair", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 20 })), { maxLength: 500 }), (pairs) => {
        const v = new VisitedSet();
        const ref = new Map<string, number>();
        for (const [hi, lo] of pairs) {
          const key = `${hi}:${lo}`;
          const id = v.insert(hi, lo, ref.size, lo);
          if (ref.has(key)) expect(id).toBe(-1);
          else {
            expect(id).toBe(ref.size);
            ref.set(key, id);
          }
        }
        expect(v.size).toBe(ref.size);
        for (const [key, id] of ref) {
          const [hi, lo] = key.split(":").map(Number);
          expect(v.has(hi, lo)).toBe(true);
          expect(v.actionOf(id)).toBe(lo);
          expect(v.parentOf(id)).toBe(id);
        }
      }),
    );
  });

  it("holds at most 32 bytes per state at 1e6 states, and bytes() is exact", () => {
    const n = 1_000_000;
    const { his, los } = keys(n);
    const v = new VisitedSet();
    const columnBytes = (count: number) => Math.ceil(count / 65536) * 65536 * 14;
    let overloaded = 0;
    for (let i = 0; i < n; i++) {
      v.insert(his[i], los[i], i - 1, 0);
      // Load factor at most 3/4: at least 4/3 of a 4-byte slot per state.
      if ((i & 1023) === 0 && (v.bytes() - columnBytes(i + 1)) * 3 < 16 * (i + 1)) overloaded++;
    }
    expect(overloaded).toBe(0);
    // 16 chunks of 65536 states x (8 + 4 + 2) bytes, and a 2^21-slot table of 4 bytes.
    expect(v.bytes()).toBe(16 * 65536 * 14 + 2 ** 21 * 4);
    expect(v.bytes() / n).toBeLessThanOrEqual(32);
  });

  it("tells apart fingerprints that share a slot, a tag, or both halves but one bit", () => {
    const v = new VisitedSet();
    const keysToTry: [number, number][] = [
      [1, 5], [2, 5], [0x08000001, 5], [0xf8000001, 5], [1, 5 + 4096], [0xffffffff, 0xffffffff], [0xfffffffe, 0xffffffff],
    ];
    keysToTry.forEach(([hi, lo], i) => expect(v.insert(hi, lo, 0, i)).toBe(i));
    keysToTry.forEach(([hi, lo], i) => {
      expect(v.insert(hi, lo, 0, 0)).toBe(-1);
      expect(v.has(hi, lo)).toBe(true);
      expect(v.actionOf(i)).toBe(i);
    });
    expect(v.has(3, 5)).toBe(false);
    expect(v.has(0x08000002, 5)).toBe(false);
  });

  it("rejects what it cannot store and ids it does not have", () => {
    const v = new VisitedSet();
    expect(() => v.insert(1, 2, NO_PARENT, 0x10000)).toThrow(/16 bits/);
    expect(v.insert(1, 2, NO_PARENT, 0xffff)).toBe(0);
    expect(() => v.parentOf(1)).toThrow(RangeError);
    expect(() => v.actionOf(-1)).toThrow(RangeError);
  });

  it("warm() changes nothing observable", () => {
    const { his, los } = keys(1000);
    const v = new VisitedSet();
    for (let i = 0; i < 500; i++) v.insert(his[i], los[i], NO_PARENT, 0);
    v.warm(los, 1000);
    for (let i = 0; i < 1000; i++) expect(v.insert(his[i], los[i], NO_PARENT, 0)).toBe(i < 500 ? -1 : i);
  });

  it("holds up to its capacity: what 27-bit ids address, or a smaller one it is given", () => {
    expect(VISITED_CAPACITY).toBe(2 ** 27 - 2);
    expect(new VisitedSet().capacity).toBe(VISITED_CAPACITY);
    const v = new VisitedSet(3);
    for (let i = 0; i < 3; i++) expect(v.insert(i, i, NO_PARENT, 0)).toBe(i);
    expect(() => v.insert(9, 9, NO_PARENT, 0)).toThrow(/full at 3 states/);
    // Full, it still tells stored fingerprints apart.
    expect(v.insert(1, 1, 0, 0)).toBe(-1);
    expect(v.size).toBe(3);
    for (const bad of [0, 1.5, VISITED_CAPACITY + 1, Number.NaN]) expect(() => new VisitedSet(bad)).toThrow(RangeError);
  });
});
