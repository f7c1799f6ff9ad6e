/**
 * The DAX model's fast paths against the plain ones, on random walks of every variant and every
 * seeded bug: actionList (one shared list per set of open gates) lists what `actions` appends,
 * and nextStateInto (every step's first copy written into a state the search reuses) gives each
 * candidate the enabledness and successor of nextState, whatever the reused state held before,
 * with the steps after it allocating again.
 */
import { describe, expect, it } from "vitest";
import { MUTANTS, VARIANTS, buildModel, findVariant, mutantVariant } from "../../spec/index.js";
import type { Bounds, DaxAction, Variant } from "../../spec/index.js";
import { parseBounds } from "../../spec/bounds.js";
import { candidateActions } from "../../spec/actions.js";
import { copyState } from "../../spec/state.js";

/** Bounds from their text, which must parse. */
function bounds(text: string): Bounds {
  const b = parseBounds(text);
  if (b._tag !== "Right") throw new Error(`bad bounds ${text}`);
  return b.right;
}

const BOUNDS = ["tiny,evict=1,pins=1", "tiny,cow=1", "one-file"];
const WALKS = 4;
const STEPS = 25;

/** Candidates where nextStateInto and nextState disagree, and states where actionList and actions do, on random walks of `v` at bounds `text`; and how many were compared. */
function disagreements(v: Variant, text: string, seed: number): { compared: number; wrong: string[] } {
  const model = buildModel(v, bounds(text));
  let x = seed;
  const random = (n: number): number => {
    x = (x * 1103515245 + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const all = candidateActions(model.layout);
  const wrong: string[] = [];
  let compared = 0;
  for (let w = 0; w < WALKS; w++) {
    let s = model.initStates()[0];
    for (let k = 0; k < STEPS; k++) {
      const candidates: DaxAction[] = [];
      model.actions(s, candidates);
      // The gates leave out no enabled action of all the bounds' candidates, and keep their order.
      const listed = model.actionList!(s);
      const enabledIn = (list: readonly DaxAction[]): string[] => list.filter((a) => model.nextState(s, a) !== undefined).map((a) => model.actionLabel(a));
      if (listed.length !== candidates.length || listed.some((a, i) => a !== candidates[i]) || enabledIn(listed).join() !== enabledIn(model.layout.oopsed(s) ? [] : all).join()) {
        wrong.push(`the candidates of state ${k} of walk ${w}`);
      }
      const enabled = [];
      for (const a of candidates) {
        const reuse = new Uint8Array(s.length).fill(random(256));
        const into = model.nextStateInto!(s, a, reuse);
        const next = model.nextState(s, a);
        compared++;
        if (into !== (next !== undefined) || (next !== undefined && reuse.some((b, i) => b !== next[i]))) wrong.push(model.actionLabel(a));
        if (next !== undefined) enabled.push(next);
      }
      if (enabled.length === 0) break;
      s = enabled[random(enabled.length)];
    }
  }
  return { compared, wrong };
}

describe("the model's fast paths", () => {
  const designs: Variant[] = [...VARIANTS, ...MUTANTS.map((m) => mutantVariant(findVariant(m.variant)!, m))];

  it("lists the candidates of actions, and gives nextState's successor for each, on random walks of every design", () => {
    let compared = 0;
    designs.forEach((v, i) => {
      for (const text of BOUNDS) {
        const r = disagreements(v, text, i * 7 + text.length);
        expect(r.wrong, `${v.id} at ${text}`).toEqual([]);
        compared += r.compared;
      }
    });
    expect(compared).toBeGreaterThan(10_000);
  });

  it("leaves copyState allocating after a step, enabled or not", () => {
    const model = buildModel(VARIANTS[0], bounds("tiny"));
    const s = model.initStates()[0];
    const candidates: DaxAction[] = [];
    model.actions(s, candidates);
    const reuse = new Uint8Array(s.length);
    for (const a of candidates) {
      model.nextStateInto!(s, a, reuse);
      const copy = copyState(s);
      expect(copy).not.toBe(reuse);
      expect([...copy]).toEqual([...s]);
    }
  });
});
