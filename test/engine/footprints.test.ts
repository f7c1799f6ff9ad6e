/**
 * Property footprints: a breadth-first search skips a property on a state whose first step
 * changed no byte the property reads. Results must be those of evaluating every property on
 * every state; the evaluations must be fewer; and the skipping must really happen (a footprint
 * that leaves out a byte the property reads loses the violation).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Model, Property } from "../../src/core/model.js";
import { byteCounters } from "./graph-recipe.js";
import { DfsFrontier, search } from "../../src/engine/index.js";
import { ALL_CHANGED, Footprints } from "../../src/engine/footprints.js";

/** Counters (one byte each) counting to `top`; every property counts its evaluations in `calls`. */
function counters(k: number, top: number, props: readonly Property<Uint8Array>[]): { model: Model<Uint8Array, number>; calls: () => number } {
  let calls = 0;
  const counted = props.map((p): Property<Uint8Array> =>
    p.kind === "deadlockFree"
      ? p
      : {
          ...p,
          holds: (s) => {
            calls++;
            return p.holds(s);
          },
        },
  );
  const model = byteCounters(k, top, counted);
  return { model, calls: () => calls };
}

/** Counter `i` never reaches `at`, declared to read byte `reads`. */
const never = (i: number, at: number, reads: number): Property<Uint8Array> => ({
  kind: "always",
  name: `c${i}-below-${at}`,
  description: "",
  partner: `c${i}-at-${at}`,
  holds: (s) => s[i] < at,
  reads: [reads],
});
/** Counter `i` reaches `at`. */
const reaches = (i: number, at: number, reads?: number): Property<Uint8Array> => ({
  kind: "sometimes",
  name: `c${i}-at-${at}`,
  description: "",
  holds: (s) => s[i] === at,
  ...(reads === undefined ? {} : { reads: [reads] }),
});
/** Two counters are never both at `at`, reading both. */
const notBoth = (at: number): Property<Uint8Array> => ({
  kind: "always",
  name: `not-both-${at}`,
  description: "",
  partner: `c0-at-${at}`,
  holds: (s) => !(s[0] === at && s[1] === at),
  reads: [0, 1],
});

describe("footprints in the search", () => {
  it("give the results of evaluating every property on every state, with fewer evaluations", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), (k, top, at) => {
        const props = [never(0, at, 0), never(k - 1, at + 1, k - 1), notBoth(at), reaches(1, at, 1), reaches(0, top)];
        const on = counters(k, top, props);
        const off = counters(k, top, props);
        const a = search(on.model, { stopWhenDecided: false });
        const b = search(off.model, { stopWhenDecided: false, footprints: false });
        expect(a.verdicts).toEqual(b.verdicts);
        expect(a.stats.distinct).toBe(b.stats.distinct);
        expect(on.calls()).toBeLessThan(off.calls());
      }),
    );
  });

  it("skip for real: a footprint leaving out the byte a property reads loses its violation", () => {
    // Counter 1 reaches 2, but the property says it reads counter 0's byte: no step that moves counter 1 has it evaluated again.
    const wrong = { ...never(1, 2, 0) };
    const on = search(counters(2, 3, [wrong]).model, {});
    const off = search(counters(2, 3, [wrong]).model, { footprints: false });
    expect(off.verdicts[0].kind).toBe("violated");
    expect(on.verdicts[0].kind).not.toBe("violated");
  });

  it("are off where they cannot apply: counting states, or a depth-first search", () => {
    const wrong = { ...never(1, 2, 0) };
    expect(search(counters(2, 3, [wrong]).model, { countStates: true }).verdicts[0].kind).toBe("violated");
    expect(search(counters(2, 3, [wrong]).model, {}, new DfsFrontier()).verdicts[0].kind).toBe("violated");
  });
});

describe("Footprints", () => {
  const props = [never(0, 1, 0), reaches(1, 1), never(2, 1, 5)];
  /** A model whose states are their own encodings, as footprints need. */
  const own = byteCounters(1, 1, []);

  it("marks what reads a changed byte, and what has no footprint always", () => {
    const f = Footprints.of(own, props)!;
    f.setParent(new Uint8Array(8));
    expect(f.changed(new Uint8Array(8), undefined)).toBe(0b010);
    expect(f.changed(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0), undefined)).toBe(0b011);
    expect(f.changed(Uint8Array.of(0, 0, 0, 0, 0, 9, 0, 0), undefined)).toBe(0b110);
    // Byte 7 is past every footprint: read by none of them.
    expect(f.changed(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 9), undefined)).toBe(0b010);
    expect(f.changed(new Uint8Array(9), undefined)).toBe(ALL_CHANGED);
  });

  it("reads whole words as it reads bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), (parent, flips, misalign) => {
        const reads = (i: number): Property<Uint8Array> => ({ kind: "always", name: `p${i}`, description: "", partner: "", holds: () => true, reads: [(i * 7) % 41, (i * 3) % 41] });
        const f = Footprints.of(own, Array.from({ length: 12 }, (_, i) => reads(i)))!;
        const child = parent.slice();
        for (const x of flips) child[x % child.length] ^= 1 + (x % 255);
        // The parent from an odd offset, as a popped state may be.
        const shift = misalign % 4;
        const held = new Uint8Array(parent.length + shift);
        held.set(parent, shift);
        f.setParent(held.subarray(shift));
        const bytewise = f.changed(child, undefined);
        expect(f.changed(child, new Uint32Array(child.buffer, 0, child.length >>> 2))).toBe(bytewise);
      }),
    );
  });

  it("are none with no footprint declared, more than 32 properties, or states that are not their own encodings", () => {
    expect(Footprints.of(own, props)).toBeDefined();
    expect(Footprints.of(own, [reaches(0, 1)])).toBeUndefined();
    expect(Footprints.of(own, Array.from({ length: 33 }, () => never(0, 1, 0)))).toBeUndefined();
    const { ownEncoding: _, ...encoded } = own;
    expect(Footprints.of(encoded, props)).toBeUndefined();
  });
});
