/**
 * The DAX independence relation (spec/independence.ts) against both orders: on the states of
 * random walks in every variant and every seeded bug, wherever it calls an mmap or munmap and
 * another enabled step commuting, each must stay enabled after the other and both orders must
 * reach the same state. The engine's sleep sets are only as sound as this relation.
 */
import { describe, expect, it } from "vitest";
import { MUTANTS, PRESETS, VARIANTS, buildModel, findVariant, mutantVariant } from "../../spec/index.js";
import type { Bounds, DaxAction, DaxState, Variant } from "../../spec/index.js";
import { parseBounds } from "../../spec/bounds.js";

/** The bounds walked: each step kind a declared pair can involve (reflink_range at one-file, CoW, pins, eviction). */
const BOUNDS: readonly string[] = ["tiny", "tiny,evict=1,pins=1", "tiny,cow=1", "one-file", "tiny,procs=3"];

const WALKS = 10;
const STEPS = 30;

/** A small deterministic generator, so a failure replays. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const same = (a: DaxState | undefined, b: DaxState | undefined): boolean =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/** Pairs the relation calls commuting that do not commute, on random walks of `v` at `bounds`; and how many declared pairs were checked. */
function wrongPairs(v: Variant, bounds: Bounds, seed: number): { checked: number; wrong: string[] } {
  const model = buildModel(v, bounds);
  const ind = model.independence!;
  const random = prng(seed);
  const wrong: string[] = [];
  let checked = 0;
  for (let w = 0; w < WALKS; w++) {
    let s = model.initStates()[0];
    for (let k = 0; k < STEPS; k++) {
      const candidates: DaxAction[] = [];
      model.actions(s, candidates);
      const enabled = candidates.map((a) => ({ a, next: model.nextState(s, a) })).filter((e): e is { a: DaxAction; next: DaxState } => e.next !== undefined);
      if (enabled.length === 0) break;
      for (const m of enabled) {
        const bit = ind.sleepBit(m.a);
        if (bit < 0) continue;
        for (const o of enabled) {
          if (o.a === m.a) continue;
          const done = (1 << bit) >>> 0;
          const kept = ind.sleepsAfter(s, o.a, model.actionKind(o.a), done);
          expect(kept & ~done).toBe(0);
          if (kept === 0) continue;
          checked++;
          if (!same(model.nextState(o.next, m.a), model.nextState(m.next, o.a))) {
            wrong.push(`${model.actionLabel(m.a)} and ${model.actionLabel(o.a)}`);
          }
        }
      }
      s = enabled[Math.floor(random() * enabled.length)].next;
    }
  }
  return { checked, wrong };
}

describe("the DAX independence relation", () => {
  for (const b of BOUNDS) {
    const bounds = parseBounds(b);
    if (bounds._tag !== "Right") throw new Error(`bad bounds ${b}`);
    it(`commutes where it says so, in every variant at ${b}`, () => {
      let checked = 0;
      for (const [i, v] of VARIANTS.entries()) {
        const r = wrongPairs(v, bounds.right, 1000 * i + 7);
        expect(r.wrong.slice(0, 3), v.id).toEqual([]);
        checked += r.checked;
      }
      // Each variant's walks meet declared pairs: the check above is not empty.
      expect(checked).toBeGreaterThan(VARIANTS.length * 100);
    });
  }
  it("commutes where it says so in every seeded bug, at tiny and with CoW, eviction and pins", () => {
    for (const [i, mutant] of MUTANTS.entries()) {
      const v = mutantVariant(findVariant(mutant.variant)!, mutant);
      for (const b of [PRESETS.tiny, { ...PRESETS.tiny, cow: 1, evict: 1, pins: 1 }]) {
        const r = wrongPairs(v, b, 31 * i + 3);
        expect(r.wrong.slice(0, 3), mutant.id).toEqual([]);
        expect(r.checked).toBeGreaterThan(50);
      }
    }
  });
  it("gives each mmap and munmap a bit of its own, 32 at the most processes and files", () => {
    const model = buildModel(findVariant("v6.12")!, { ...PRESETS.tiny, files: 4, procs: 4, early: 1, blocks: 4 });
    const acts: DaxAction[] = [];
    model.actions(model.initStates()[0], acts);
    const bits = acts.filter((a) => a.kind === "mmap" || a.kind === "munmap").map((a) => model.independence!.sleepBit(a));
    expect(bits.sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(acts.filter((a) => a.kind !== "mmap" && a.kind !== "munmap").every((a) => model.independence!.sleepBit(a) === -1)).toBe(true);
  });
});
