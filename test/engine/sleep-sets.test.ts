/**
 * Sleep sets in the engine, on random products of small graphs: each component moves along its
 * own edges (steps of different components commute), and global steps read and write a few
 * components. With a correct relation the search stores the same states under the same ids,
 * so verdicts, paths and every count but `slept` equal the plain search's.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Encoder } from "../../src/core/encoder.js";
import type { Independence, Model } from "../../src/core/model.js";
import type { SearchResult } from "../../src/core/result.js";
import { BfsFrontier, DfsFrontier, search } from "../../src/engine/index.js";
import { QueuedMasks } from "../../src/engine/queued-masks.js";

type Vec = readonly number[];

/** A move of one component, or a global step: enabled where `when` matches, writing `set`. */
type Step =
  | { readonly kind: "local"; readonly comp: number; readonly from: number; readonly to: number }
  | { readonly kind: "global"; readonly when: readonly (readonly [number, number])[]; readonly set: readonly (readonly [number, number])[] };

interface Product {
  readonly values: number;
  readonly comps: number;
  readonly steps: readonly Step[];
  readonly bad: Vec;
  readonly target: Vec;
}

/** The components a step reads or writes. */
function touched(s: Step): number[] {
  return s.kind === "local" ? [s.comp] : [...s.when.map(([c]) => c), ...s.set.map(([c]) => c)];
}

/** Steps of no shared component commute: the relation a model of such a product would declare (or, `wrong`, globals with everything). */
function productIndependence(p: Product, wrong = false): Independence<Vec, number> {
  const bits = (c: number): number => {
    let m = 0;
    p.steps.forEach((s, i) => {
      if (s.kind === "local" && s.comp === c && i < 32) m |= 1 << i;
    });
    return m;
  };
  return {
    sleepBit: (a) => (p.steps[a].kind === "local" && a < 32 ? a : -1),
    sleepsAfter: (_s, a, _kind, done) => {
      const step = p.steps[a];
      if (wrong && step.kind === "global") return done;
      return touched(step).reduce((m, c) => m & ~bits(c), done);
    },
    renamedBy: [],
  };
}

function productModel(p: Product, independence?: Independence<Vec, number>): Model<Vec, number> {
  const same = (v: Vec, w: Vec): boolean => v.every((x, i) => x === w[i]);
  return {
    initStates: () => [new Array<number>(p.comps).fill(0)],
    actions: (_s, out) => {
      for (let i = 0; i < p.steps.length; i++) out.push(i);
    },
    nextState: (v, a) => {
      const s = p.steps[a];
      if (s.kind === "local") return v[s.comp] === s.from ? v.map((x, i) => (i === s.comp ? s.to : x)) : undefined;
      if (!s.when.every(([c, x]) => v[c] === x)) return undefined;
      const t = v.slice();
      for (const [c, x] of s.set) t[c] = x;
      return t;
    },
    encode: (v, out: Encoder) => {
      for (const x of v) out.u8(x);
    },
    decode: (bytes) => Array.from(bytes),
    properties: [
      { kind: "always", name: "not-bad", description: "", partner: "target", holds: (v) => !same(v, p.bad) },
      { kind: "sometimes", name: "target", description: "", holds: (v) => same(v, p.target) },
      { kind: "deadlockFree", name: "no-stuck", description: "", partner: "target", inFlight: (v) => v[0] !== 0 },
    ],
    actionLabel: (a) => `s${a}`,
    actionKind: (a) => (p.steps[a].kind === "local" ? 0 : 1),
    actionKinds: ["local", "global"],
    ...(independence === undefined ? {} : { independence }),
  };
}

const productArb: fc.Arbitrary<Product> = fc.record({ comps: fc.integer({ min: 1, max: 4 }), values: fc.integer({ min: 2, max: 4 }) }).chain(({ comps, values }) => {
  const comp = fc.nat({ max: comps - 1 });
  const value = fc.nat({ max: values - 1 });
  const pair = fc.tuple(comp, value);
  const local = fc.record({ kind: fc.constant("local" as const), comp, from: value, to: value });
  const global = fc.record({ kind: fc.constant("global" as const), when: fc.array(pair, { maxLength: 2 }), set: fc.array(pair, { minLength: 1, maxLength: 2 }) });
  const vec = fc.array(value, { minLength: comps, maxLength: comps });
  return fc.record({
    values: fc.constant(values),
    comps: fc.constant(comps),
    steps: fc.array(fc.oneof({ weight: 6, arbitrary: local }, { weight: 1, arbitrary: global }), { minLength: 4, maxLength: 24 }),
    bad: vec,
    target: vec,
  });
});

/** What must be equal with and without sleep sets: all but the times, the bytes and `slept`. */
function comparable(r: SearchResult): unknown {
  const { elapsedMs: _e, statesPerSecond: _s, visitedBytes: _v, slept: _z, ...stats } = r.stats;
  return { ...r, stats };
}

describe("sleep sets", () => {
  it("store the same states under the same ids: equal verdicts, paths and counts, on random products of graphs", () => {
    let slept = 0;
    let total = 0;
    fc.assert(
      fc.property(productArb, (p) => {
        const model = productModel(p, productIndependence(p));
        const plain = search(model, { stopWhenDecided: false });
        const reduced = search(model, { stopWhenDecided: false, por: true });
        expect(comparable(reduced)).toEqual(comparable(plain));
        expect(plain.stats.slept).toBe(0);
        slept += reduced.stats.slept;
        total += reduced.stats.generated;
      }),
      { numRuns: 300 },
    );
    // The products do put steps to sleep: the comparison above is not of two plain searches.
    // One run of 300 products put 1,681 of 7,481 successors to sleep (22%).
    expect(slept / total).toBeGreaterThan(0.05);
  });

  it("skip the second order of two independent moves: two components of two states each", () => {
    const p: Product = {
      values: 2,
      comps: 2,
      steps: [
        { kind: "local", comp: 0, from: 0, to: 1 },
        { kind: "local", comp: 1, from: 0, to: 1 },
      ],
      bad: [1, 1],
      target: [1, 1],
    };
    const r = search(productModel(p, productIndependence(p)), { stopWhenDecided: false, por: true });
    // s0 then s1 reaches (1,1); after s1 first, s0 is asleep.
    expect(r.stats).toMatchObject({ distinct: 4, generated: 4, slept: 1 });
    expect(r.verdicts[0]).toMatchObject({ kind: "violated", path: { labels: ["s0", "s1"] } });
  });

  it("lose states under a relation that is wrong, which is what the comparison catches", () => {
    // A global step that resets component 0 declared independent of component 0's move.
    // (0,0): s0 then s1 gives (0,1); s1 then s0 gives (1,1), which the wrong relation skips.
    const p: Product = {
      values: 2,
      comps: 2,
      steps: [
        { kind: "local", comp: 0, from: 0, to: 1 },
        { kind: "global", when: [[1, 0]], set: [[1, 1], [0, 0]] },
      ],
      bad: [9, 9],
      target: [9, 9],
    };
    const plain = search(productModel(p), { stopWhenDecided: false });
    const wrong = search(productModel(p, productIndependence(p, true)), { stopWhenDecided: false, por: true });
    expect(plain.stats.distinct).toBe(4);
    expect(wrong.stats.distinct).toBe(3);
  });

  it("are used only when asked, breadth-first, and where symmetry renames nothing a sleep bit names", () => {
    const p: Product = { values: 2, comps: 2, steps: [{ kind: "local", comp: 0, from: 0, to: 1 }, { kind: "local", comp: 1, from: 0, to: 1 }], bad: [9, 9], target: [9, 9] };
    const model = productModel(p, productIndependence(p));
    expect(search(model, { por: true }).stats.slept).toBe(1);
    expect(search(model, {}).stats.slept).toBe(0);
    expect(search(model, { por: true }, new DfsFrontier()).stats.slept).toBe(0);
    expect(search(model, { por: true }, new BfsFrontier()).stats.slept).toBe(1);
    const renamed = (renamedBy: string[], classes: number[][]): Model<Vec, number> => ({
      ...model,
      independence: { ...productIndependence(p), renamedBy },
      symmetry: {
        dimensions: [{ name: "comps", size: 2, classes }],
        prepare: (perms) => perms[0],
        encodePermuted: (v, perm, out) => {
          const q = perm as Uint8Array;
          const t = [0, 0];
          for (let i = 0; i < 2; i++) t[q[i]] = v[i];
          for (const x of t) out.u8(x);
        },
      },
    });
    expect(search(renamed(["comps"], [[0, 1]]), { por: true, symmetry: true }).stats.slept).toBe(0);
    expect(search(renamed(["comps"], [[0], [1]]), { por: true, symmetry: true }).stats.slept).toBe(1);
  });
});

describe("QueuedMasks", () => {
  it("gives back each state's mask in id order, across growth and the dropping of masks popped", () => {
    const sets = new QueuedMasks();
    let next = 0;
    let popped = 0;
    const mask = (id: number): number => (Math.imul(id, 2654435761) >>> 0) & 0xffff;
    // A queue whose length swings: bursts of records, then pops.
    for (let round = 0; round < 40; round++) {
      const burst = (round % 5) * 3000 + 17;
      for (let i = 0; i < burst; i++) sets.record(next, mask(next++));
      const pops = Math.min(next - popped, 2500 + (round % 3) * 2000);
      for (let i = 0; i < pops; i++) expect(sets.take(popped)).toBe(mask(popped++));
    }
    while (popped < next) expect(sets.take(popped)).toBe(mask(popped++));
  });

  it("refuses a record out of id order", () => {
    const sets = new QueuedMasks();
    sets.record(0, 1);
    expect(() => sets.record(2, 1)).toThrow(/state 2 recorded after 0/);
  });
});
