/**
 * The model's candidate lists (spec/model.ts CandidateLists, spec/candidate-facts.ts): one list
 * per key of a state's gate bytes and facts, built from the first state met with that key. On the
 * first states of a breadth-first search of every design, the list leaves out no enabled action
 * of all the bounds' candidates and keeps their order; the facts leave few disabled ones in.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MUTANTS, VARIANTS, buildModel, findVariant, mutantVariant } from "../../spec/index.js";
import type { Bounds, DaxAction, DaxState, Variant } from "../../spec/index.js";
import { parseBounds } from "../../spec/bounds.js";
import { candidateActions } from "../../spec/actions.js";
import { KeyTable } from "../../spec/key-table.js";

/** Bounds from their text, which must parse. */
function bounds(text: string): Bounds {
  const b = parseBounds(text);
  if (b._tag !== "Right") throw new Error(`bad bounds ${text}`);
  return b.right;
}

/** The first `cap` states of a breadth-first search of `v` at `text`, and the model. */
function firstStates(v: Variant, text: string, cap: number): { model: ReturnType<typeof buildModel>; states: DaxState[] } {
  const model = buildModel(v, bounds(text));
  const seen = new Set<string>();
  const states: DaxState[] = [];
  let level = model.initStates();
  while (level.length > 0 && states.length < cap) {
    const next: DaxState[] = [];
    for (const s of level) {
      if (states.length >= cap) break;
      states.push(s);
      for (const a of model.actionList!(s)) {
        const t = model.nextState(s, a);
        const key = t === undefined ? "" : Buffer.from(t).toString("latin1");
        if (t !== undefined && !seen.has(key)) {
          seen.add(key);
          next.push(t);
        }
      }
    }
    level = next;
  }
  return { model, states };
}

describe("candidate lists", () => {
  const designs: Variant[] = [...VARIANTS, ...MUTANTS.map((m) => mutantVariant(findVariant(m.variant)!, m))];

  it("leave out no enabled candidate, in order, on the first 2,000 states of every design at small and full", () => {
    for (const v of designs) {
      for (const text of ["small", "full"]) {
        const { model, states } = firstStates(v, text, 2_000);
        const all = candidateActions(model.layout);
        const labels = all.map((a) => model.actionLabel(a));
        const wrong: string[] = [];
        for (const s of states) {
          const listed = model.actionList!(s);
          const enabled = (list: readonly DaxAction[]): DaxAction[] => list.filter((a) => model.nextState(s, a) !== undefined);
          const order = listed.map((a) => labels.indexOf(model.actionLabel(a)));
          if (order.some((i, k) => i < 0 || (k > 0 && i <= order[k - 1]))) wrong.push("order");
          const want = model.layout.oopsed(s) ? [] : enabled(all);
          if (enabled(listed).map((a) => model.actionLabel(a)).join() !== want.map((a) => model.actionLabel(a)).join()) wrong.push(Buffer.from(s).toString("hex"));
        }
        expect(wrong.slice(0, 3), `${v.id} at ${text}`).toEqual([]);
      }
    }
  });

  it("list few disabled candidates: v4.18 at full, first 20,000 states", () => {
    const { model, states } = firstStates(findVariant("v4.18")!, "full", 20_000);
    let listed = 0;
    let enabled = 0;
    for (const s of states) {
      for (const a of model.actionList!(s)) {
        listed++;
        if (model.nextState(s, a) !== undefined) enabled++;
      }
    }
    // Pinned. Before the facts (gates and fault phases only) these states listed 563,775 candidates.
    expect({ states: states.length, listed, enabled }).toEqual({ states: 20_000, listed: 194_893, enabled: 152_793 });
  });
});

describe("KeyTable", () => {
  it("finds what a Map finds, through growth", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 30 - 1 }), fc.integer()), { maxLength: 3000 }), fc.array(fc.integer({ min: 0, max: 2 ** 30 - 1 }), { maxLength: 50 }), (pairs, probes) => {
        const table = new KeyTable<number>();
        const map = new Map<number, number>();
        for (const [k, v] of pairs) {
          if (map.has(k)) continue;
          map.set(k, v);
          table.add(k, v);
        }
        for (const k of [...map.keys(), ...probes]) expect(table.get(k)).toBe(map.get(k));
      }),
      { numRuns: 60 },
    );
  });
});
