import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BfsFrontier, DfsFrontier, type FrontierEntry } from "../../src/engine/frontier.js";

const entry = (): FrontierEntry => ({ id: -1, depth: -1, bytes: new Uint8Array(0) });

/** A push of `length` bytes derived from `seed`, or a pop. */
const op = fc.oneof(
  fc.record({ push: fc.constant(true as const), length: fc.nat({ max: 150 }), seed: fc.nat({ max: 255 }) }),
  fc.record({ push: fc.constant(false as const) }),
);

function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed + i * 7) & 0xff);
}

describe("BfsFrontier", () => {
  it("frees chunks the head has passed: memory follows the queue, not the history", () => {
    const chunk = 4096;
    const f = new BfsFrontier(chunk);
    const e = entry();
    const bytes = bytesOf(40, 1);
    const perEntry = 12 + 40;
    let peak = 0;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 1000; i++) f.push(bytes, i, round);
      for (let i = 0; i < 1000; i++) f.pop(e);
      peak = Math.max(peak, f.bytes());
    }
    // Plus the copy of the last popped entry: 40 bytes.
    expect(peak).toBeLessThanOrEqual(1000 * perEntry + 3 * chunk + 40);
    expect(f.bytes()).toBeLessThanOrEqual(2 * chunk + 40);
    for (let i = 0; i < 100_000; i++) f.push(bytes, i, 0);
    // A chunk wastes less than one entry at its end.
    expect(f.bytes()).toBeLessThanOrEqual((100_000 * perEntry * chunk) / (chunk - perEntry) + 2 * chunk);
    expect(f.bytes()).toBeGreaterThanOrEqual(100_000 * perEntry);
  });
});

describe("DfsFrontier", () => {
  it("pops in exactly the reverse order of pushes: 0..9 pushed come out 9..0", () => {
    const f = new DfsFrontier(64);
    for (let i = 0; i < 10; i++) f.push(bytesOf(i * 5, i), i, i + 100);
    const e = entry();
    const ids: number[] = [];
    const depths: number[] = [];
    while (f.pop(e)) {
      ids.push(e.id);
      depths.push(e.depth);
      expect(e.bytes).toEqual(bytesOf(e.id * 5, e.id));
    }
    expect(ids).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(depths).toEqual([109, 108, 107, 106, 105, 104, 103, 102, 101, 100]);
  });

  it("frees chunks emptied by pops: memory follows the stack, not the history", () => {
    const chunk = 4096;
    const f = new DfsFrontier(chunk);
    const e = entry();
    const bytes = bytesOf(40, 1);
    const perEntry = 12 + 40;
    // 78 entries fill a 4096-byte chunk (78 * 52 = 4056), so 1000 entries take 13 chunks.
    const chunksFor1000 = Math.ceil(1000 / Math.floor(chunk / perEntry));
    expect(chunksFor1000).toBe(13);
    let peak = 0;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 1000; i++) f.push(bytes, i, round);
      peak = Math.max(peak, f.bytes());
      for (let i = 0; i < 1000; i++) f.pop(e);
    }
    // The chunks of 1000 entries, the spare, and the copy of the last popped entry (its 40 bytes).
    expect(peak).toBe(chunksFor1000 * chunk + 40);
    expect(f.bytes()).toBe(chunk + 40);
    // A deep stack that grows and shrinks by one (a long path in DFS) stays where it is.
    for (let i = 0; i < 10_000; i++) f.push(bytes, i, i);
    const deep = f.bytes();
    for (let i = 0; i < 10_000; i++) {
      f.push(bytes, i, i);
      f.pop(e);
      f.pop(e);
      f.push(bytes, i, i);
    }
    expect(f.bytes()).toBe(deep);
    expect(f.size).toBe(10_000);
  });

  it("grows its pop copy for an entry longer than a chunk, and holds such entries", () => {
    const f = new DfsFrontier(64);
    const e = entry();
    f.push(bytesOf(1000, 3), 1, 2);
    f.push(bytesOf(10, 4), 5, 6);
    expect(f.pop(e)).toBe(true);
    expect(e).toEqual({ id: 5, depth: 6, bytes: bytesOf(10, 4) });
    expect(f.pop(e)).toBe(true);
    expect(e).toEqual({ id: 1, depth: 2, bytes: bytesOf(1000, 3) });
    expect(f.size).toBe(0);
  });
});

type Queued = { id: number; depth: number; bytes: Uint8Array };

/** Each frontier, its order (first-in or last-in first out) as a take from an array, and which of the first three states pushed it pops first. */
describe.each([
  ["BfsFrontier", "first-in first-out", BfsFrontier, (ref: Queued[]) => ref.shift(), 0],
  ["DfsFrontier", "last-in first-out", DfsFrontier, (ref: Queued[]) => ref.pop(), 2],
] as const)("%s", (_, order, Frontier, take, firstPopped) => {
  it(`is ${order}, with ids, depths and bytes intact, across chunks`, () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.constantFrom(64, 128, 1024), (ops, chunk) => {
        const f = new Frontier(chunk);
        const ref: Queued[] = [];
        const e = entry();
        ops.forEach((o, next) => {
          if (o.push) {
            const bytes = bytesOf(o.length, o.seed);
            f.push(bytes, next, next * 3);
            bytes.fill(0); // the frontier must have copied them
            ref.push({ id: next, depth: next * 3, bytes: bytesOf(o.length, o.seed) });
          } else {
            const want = take(ref);
            expect(f.pop(e)).toBe(want !== undefined);
            if (want !== undefined) expect(e).toEqual(want);
          }
          expect(f.size).toBe(ref.length);
        });
        for (let want = take(ref); want !== undefined; want = take(ref)) {
          expect(f.pop(e)).toBe(true);
          expect(e).toEqual(want);
        }
        expect(f.pop(e)).toBe(false);
        expect(f.size).toBe(0);
      }),
    );
  });

  it("a popped entry's bytes stay valid while states are pushed (over its place, for a stack), until the next pop", () => {
    const f = new Frontier(64);
    const e = entry();
    for (let round = 0; round < 50; round++) {
      // 52-byte entries: one per 64-byte chunk, so every pop moves to another chunk.
      for (let i = 0; i < 3; i++) f.push(bytesOf(40, round * 3 + i), round * 3 + i, 0);
      expect(f.pop(e)).toBe(true);
      const held = e.bytes;
      const copy = held.slice();
      for (let i = 0; i < 5; i++) f.push(bytesOf(40, 99 + i), 1000 + i, 0);
      expect(held).toEqual(copy);
      if (round === 0) expect(held).toEqual(bytesOf(40, firstPopped));
    }
  });

  it("rejects chunk sizes it cannot use", () => {
    expect(() => new Frontier(63)).toThrow(RangeError);
    expect(() => new Frontier(66)).toThrow(RangeError);
    expect(() => new Frontier(1.5)).toThrow(RangeError);
  });
});
