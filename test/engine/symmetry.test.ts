/**
 * Symmetry reduction in the engine, on a toy model whose counts are known: k counters that
 * each step may raise by one, up to `top`. Renaming the counters is a symmetry, so the orbits
 * are the multisets of values: C(top + k, k) of them against (top + 1)^k states.
 */
import { describe, expect, it } from "vitest";
import { Encoder } from "../../src/core/encoder.js";
import type { Model } from "../../src/core/model.js";
import { search } from "../../src/engine/index.js";
import { MAX_RENAMINGS, StateKey, renamingsOf } from "../../src/engine/symmetry.js";
import { byteCounters as plainCounters } from "./graph-recipe.js";

type Counters = readonly number[];

/** `k` counters below `top`; `always` fails when the first counter reaches `top` and the others are 0 (a shortest path of `top` steps). */
function counters(k: number, top: number, classes: readonly (readonly number[])[] = [Array.from({ length: k }, (_, i) => i)]): Model<Counters, number> {
  const encodeAll = (c: Counters, out: Encoder): void => {
    for (const v of c) out.u8(v);
  };
  return {
    initStates: () => [new Array<number>(k).fill(0)],
    actions: (_s, out) => {
      for (let i = 0; i < k; i++) out.push(i);
    },
    nextState: (s, i) => (s[i] < top ? s.map((v, j) => (j === i ? v + 1 : v)) : undefined),
    encode: encodeAll,
    decode: (bytes) => Array.from(bytes),
    properties: [
      { kind: "always", name: "no-lone-top", description: "", partner: "some-top", holds: (s) => !s.some((v, i) => v === top && s.every((w, j) => j === i || w === 0)) },
      { kind: "sometimes", name: "some-top", description: "", holds: (s) => s.includes(top) },
    ],
    actionLabel: (i) => `inc ${i}`,
    actionKind: () => 0,
    actionKinds: ["inc"],
    symmetry: {
      dimensions: [{ name: "counters", size: k, classes }],
      prepare: (perms) => perms[0],
      encodePermuted(s, perm, out) {
        const p = perm as Uint8Array;
        const t = new Array<number>(k);
        for (let i = 0; i < k; i++) t[p[i]] = s[i];
        encodeAll(t, out);
      },
    },
  };
}

const binomial = (n: number, r: number): number => (r === 0 ? 1 : (binomial(n - 1, r - 1) * n) / r);

describe("symmetry reduction", () => {
  it("counts the orbits: C(top + k, k) multisets against (top + 1)^k states", () => {
    for (const [k, top] of [[2, 5], [3, 4], [4, 3]]) {
      const full = search(counters(k, top), { stopWhenDecided: false });
      const folded = search(counters(k, top), { stopWhenDecided: false, symmetry: true });
      expect(full.stats.distinct).toBe((top + 1) ** k);
      expect(folded.stats.distinct).toBe(binomial(top + k, k));
      expect(folded.stats.renamings).toBe([1, 1, 2, 6, 24][k]);
      expect(full.stats.renamings).toBe(1);
    }
  });

  it("folds only within classes", () => {
    // Counters 0 and 1 alike, 2 apart: multisets of the first two times the third's values.
    const r = search(counters(3, 4, [[0, 1]]), { stopWhenDecided: false, symmetry: true });
    expect(r.stats.distinct).toBe(binomial(6, 2) * 5);
  });

  it("keeps verdicts and shortest lengths, and records concrete paths that replay", () => {
    const full = search(counters(3, 4), { stopWhenDecided: false });
    const folded = search(counters(3, 4), { stopWhenDecided: false, symmetry: true });
    expect(folded.verdicts.map((v) => v.kind)).toEqual(full.verdicts.map((v) => v.kind));
    const lengths = (r: typeof full): number[] => r.verdicts.map((v) => ("path" in v ? v.path.steps.length : -1));
    expect(lengths(folded)).toEqual(lengths(full));
    expect(lengths(folded)).toEqual([4, 4]);
    // The path is the concrete one the search took (counter 0 raised four times), not a canonical renaming.
    const v = folded.verdicts[0];
    expect("path" in v && v.path.labels).toEqual(["inc 0", "inc 0", "inc 0", "inc 0"]);
  });

  it("lists the identity first and every permutation within each class once", () => {
    const sym = counters(4, 1, [[0, 2], [1, 3]]).symmetry;
    if (sym === undefined) throw new Error("no symmetry");
    const all = renamingsOf(sym).map((r) => Array.from(r[0]).join(""));
    expect(all).toEqual(["0123", "0321", "2103", "2301"]);
  });

  it("refuses overlapping classes and groups too large to enumerate", () => {
    const bad = { ...counters(3, 1).symmetry!, dimensions: [{ name: "c", size: 3, classes: [[0, 1], [1, 2]] }] };
    expect(() => renamingsOf(bad)).toThrow(/disjoint/);
    const big = { ...counters(3, 1).symmetry!, dimensions: [{ name: "c", size: 8, classes: [[0, 1, 2, 3, 4, 5, 6, 7]] }] };
    expect(() => renamingsOf(big)).toThrow(new RegExp(`more than ${MAX_RENAMINGS}`));
  });

  it("sorts with the model's canonical form however large the group, where listing the renamings is refused", () => {
    // Eight counters: 8! = 40,320 renamings, more than may be listed; sorting the values is a canonical form.
    const plain = counters(8, 1);
    const sorted: Model<Counters, number> = {
      ...plain,
      symmetry: {
        ...plain.symmetry!,
        encodeCanonical(s, out) {
          const t = [...s].sort((a, b) => b - a);
          if (t.every((v, i) => v === s[i])) return false;
          for (const v of t) out.u8(v);
          return true;
        },
      },
    };
    const folded = search(sorted, { stopWhenDecided: false, symmetry: true });
    expect(folded.stats.distinct).toBe(binomial(1 + 8, 8));
    expect(folded.stats.renamings).toBe(40320);
    expect(() => search(plain, { stopWhenDecided: false, symmetry: true })).toThrow(new RegExp(`more than ${MAX_RENAMINGS}`));
  });
});

describe("states that are their own encoding (the model's ownEncoding)", () => {
  /** The counters as bytes, with or without ownEncoding, sorted by a canonical form or by trying renamings. */
  function byteCounters(k: number, top: number, own: boolean, canonical: boolean): Model<Uint8Array, number> {
    const base = counters(k, top);
    const sym = base.symmetry!;
    const { ownEncoding, ...plain } = plainCounters(k, top, [{ kind: "sometimes", name: "some-top", description: "", holds: (s) => s.includes(top) }]);
    return {
      ...plain,
      actionLabel: base.actionLabel,
      actionKind: base.actionKind,
      actionKinds: base.actionKinds,
      ...(own ? { ownEncoding } : {}),
      symmetry: {
        dimensions: sym.dimensions,
        prepare: sym.prepare,
        encodePermuted: (s, perm, out) => sym.encodePermuted(Array.from(s), perm, out),
        ...(canonical
          ? {
              encodeCanonical(s: Uint8Array, out: Encoder): boolean {
                const t = Uint8Array.from(s).sort().reverse();
                if (t.every((v, i) => v === s[i])) return false;
                out.bytes(t);
                return true;
              },
            }
          : {}),
      },
    };
  }

  it("gives the fingerprints, counts and paths of encoding them, with symmetry off, by renamings and by a canonical form", () => {
    for (const canonical of [false, true]) {
      for (const symmetry of [false, true]) {
        const run = (own: boolean) => search(byteCounters(3, 3, own, canonical), { stopWhenDecided: false, symmetry });
        const [copied, owned] = [run(false), run(true)];
        expect(owned.stats.distinct).toBe(symmetry ? binomial(6, 3) : 64);
        expect(owned.stats.distinct).toBe(copied.stats.distinct);
        expect(owned.stats.generated).toBe(copied.stats.generated);
        expect(owned.verdicts).toEqual(copied.verdicts);
      }
    }
  });

  it("fingerprints a state as encoding it does, on every path of StateKey", () => {
    const fpOwn = new Uint32Array(2);
    const fpEnc = new Uint32Array(2);
    for (const canonical of [false, true]) {
      const model = byteCounters(3, 3, true, canonical);
      for (const reduce of [false, true]) {
        const key = new StateKey(model, reduce);
        for (const s of [[0, 0, 0], [3, 1, 0], [0, 1, 3], [2, 2, 1]].map((v) => Uint8Array.from(v))) {
          key.fingerprintOwn(s, s, fpOwn);
          key.encode(s, new Encoder(4), fpEnc);
          expect(Array.from(fpOwn)).toEqual(Array.from(fpEnc));
        }
      }
    }
  });
});
