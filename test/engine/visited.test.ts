import fc from "fast-check";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
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

  it("holds 10.7 to 16 table bytes per state at every size up to 1e6 states, and bytes() is exact", () => {
    const n = 1_000_000;
    const { his, los } = keys(n);
    const v = new VisitedSet();
    let outside = 0;
    let low = Infinity;
    let high = 0;
    for (let i = 0; i < n; i++) {
      v.insert(his[i], los[i], i - 1, 0);
      if (i < 768) continue; // the first table, 1024 slots, is allowed to be emptier
      const perState = v.tableBytes() / (i + 1);
      low = Math.min(low, perState);
      high = Math.max(high, perState);
      if (perState > 16 || perState < 10.6) outside++;
    }
    expect(outside).toBe(0);
    expect(high).toBeLessThanOrEqual(16);
    expect(low).toBeGreaterThan(10.6);
    // The table after growing by half (rounded down) from 1024 slots 18 times: the first whose 3/4 holds 1e6 states.
    expect(v.tableBytes()).toBe(1_513_342 * 8);
    // Bytes held: the table and 16 in-memory trail chunks of 65,536 records x 16 bytes; none spilled yet.
    expect(v.bytes()).toBe(1_513_342 * 8 + 16 * 65536 * 16);
    expect(v.trailDiskBytes()).toBe(0);
    v.close();
  });

  it("spills the trail to an unlinked file and reads parents, actions and fingerprints back from it", () => {
    const n = 300_000;
    const { his, los } = keys(n);
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith("daxmc-trail-")).length;
    const v = new VisitedSet(undefined, 1);
    for (let i = 0; i < n; i++) v.insert(his[i], los[i], i === 0 ? NO_PARENT : i >>> 1, i & 0xffff);
    // One chunk stays in memory; the four full ones before it went to disk.
    expect(v.trailDiskBytes()).toBe(4 * 65536 * 16);
    expect(v.bytes()).toBe(v.tableBytes() + 65536 * 16);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith("daxmc-trail-")).length).toBe(before);
    let wrong = 0;
    for (let i = 0; i < n; i += 997) {
      if (v.parentOf(i) !== (i === 0 ? NO_PARENT : i >>> 1) || v.actionOf(i) !== (i & 0xffff)) wrong++;
      if (v.hiOf(i) !== his[i] || v.loOf(i) !== los[i]) wrong++;
    }
    expect(wrong).toBe(0);
    v.close();
    // Membership needs no trail.
    expect(v.has(his[5], los[5])).toBe(true);
  });

  it("records a shared search's states in the trail alone, one at a time or many across chunks and the spill, reading back as inserted ones", () => {
    const n = 200_000;
    const words = new Int32Array(new SharedArrayBuffer(n * 16));
    for (let i = 0; i < n; i++) words.set([i === 0 ? -1 : i >>> 1, i & 0xffff, i * 7 + 1, -i - 1], i * 4);
    const v = new VisitedSet(undefined, 1);
    v.record(NO_PARENT, 3, 0xffffffff, 5);
    // 70,000 then the rest: the first call crosses a chunk's end; with one chunk kept in memory, three of the four go to disk.
    v.recordAll(words.subarray(4), 70_000);
    v.recordAll(words.subarray(4 * 70_001), n - 70_001);
    expect([v.size, v.trailDiskBytes(), v.has(0xffffffff, 5)]).toEqual([n, 3 * 65536 * 16, false]);
    expect([v.parentOf(0), v.actionOf(0), v.hiOf(0), v.loOf(0)]).toEqual([NO_PARENT, 3, 0xffffffff, 5]);
    for (const i of [1, 65_535, 65_536, 70_000, 70_001, 131_072, n - 1]) {
      expect([v.parentOf(i), v.actionOf(i), v.hiOf(i), v.loOf(i)]).toEqual([i >>> 1, i & 0xffff, i * 7 + 1, (-i - 1) >>> 0]);
    }
    v.close();
  });

  it("lists every fingerprint once, the all-zero one included", () => {
    const v = new VisitedSet();
    const { his, los } = keys(5000);
    for (let i = 0; i < 5000; i++) v.insert(his[i], los[i], NO_PARENT, 0);
    expect(v.insert(0, 0, NO_PARENT, 0)).toBe(5000);
    expect(v.insert(0, 0, NO_PARENT, 0)).toBe(-1);
    expect(v.has(0, 0)).toBe(true);
    const seen = new Set<string>();
    v.forEachFingerprint((hi, lo) => seen.add(`${hi}:${lo}`));
    expect(seen.size).toBe(5001);
    for (let i = 0; i < 5000; i++) expect(seen.has(`${his[i]}:${los[i]}`)).toBe(true);
    expect(seen.has("0:0")).toBe(true);
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

  it("holds up to its capacity: 3/4 of a 2^29-slot table, or a smaller one it is given", () => {
    expect(VISITED_CAPACITY).toBe(402_653_184);
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
