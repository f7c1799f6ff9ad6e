/**
 * The properties' footprints (spec/footprints.ts) against their code: on states of random walks
 * of every variant, changing any byte a property does not declare leaves its answer unchanged,
 * and every step that changes an answer changes a byte the property declares. The engine skips
 * a property wherever a step changed none of its bytes, so a field missing here is a missed
 * violation there.
 */
import { describe, expect, it } from "vitest";
import type { Property } from "../../src/core/model.js";
import { Footprints } from "../../src/engine/footprints.js";
import { search } from "../../src/engine/index.js";
import { PRESETS, VARIANTS, buildModel } from "../../spec/index.js";
import type { Bounds, Variant } from "../../spec/index.js";
import { parseBounds } from "../../spec/bounds.js";
import { FIELDS, READS, fieldBytes } from "../../spec/footprints.js";
import type { DaxState } from "../../spec/state.js";

function bounds(text: string): Bounds {
  const b = parseBounds(text);
  if (b._tag !== "Right") throw new Error(`bad bounds ${text}`);
  return b.right;
}

const BOUNDS = ["tiny,evict=1,pins=1", "tiny,cow=1", "small", "full"];
const WALKS = 5;
const STEPS = 30;

/** The states of seeded random walks of `v` at bounds `b`, and each step's (parent, child) pair. */
function walks(v: Variant, b: Bounds, seed: number): { states: DaxState[]; steps: [DaxState, DaxState][] } {
  const model = buildModel(v, b);
  let x = seed;
  const random = (n: number): number => {
    x = (x * 1103515245 + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const states: DaxState[] = [];
  const steps: [DaxState, DaxState][] = [];
  for (let w = 0; w < WALKS; w++) {
    let s = model.initStates()[0];
    states.push(s);
    for (let k = 0; k < STEPS; k++) {
      const next = model.actionList!(s).map((a) => model.nextState(s, a)).filter((t): t is DaxState => t !== undefined);
      for (const t of next) steps.push([s, t]);
      if (next.length === 0) break;
      s = next[random(next.length)];
      states.push(s);
    }
  }
  return { states, steps };
}

/** Whether `p` answers `s` as it answers `t`, an error counting as an answer of its own. */
function answer(p: Property<DaxState>, s: DaxState): string {
  if (p.kind === "deadlockFree") return "n/a";
  try {
    return String(p.holds(s));
  } catch (e) {
    return `threw ${String(e)}`;
  }
}

/** Where a property's answer changes with a byte outside its footprint: "property byte value" for each. */
function readsOutside(props: readonly Property<DaxState>[], states: readonly DaxState[]): string[] {
  const wrong: string[] = [];
  for (const p of props) {
    if (p.kind === "deadlockFree" || p.reads === undefined) continue;
    const reads = new Set(p.reads);
    for (const s of states) {
      const before = answer(p, s);
      for (let k = 0; k < s.length; k++) {
        if (reads.has(k)) continue;
        for (const value of [s[k] ^ 1, 0, 0xff]) {
          const t = s.slice();
          t[k] = value;
          if (answer(p, t) !== before) wrong.push(`${p.name} byte ${k} value ${value}`);
        }
      }
    }
  }
  return [...new Set(wrong)];
}

/** Steps whose change of a property's answer the engine's Footprints would not see. */
function unseenChanges(props: readonly Property<DaxState>[], steps: readonly [DaxState, DaxState][]): string[] {
  const footprints = Footprints.of({ ...buildModel(VARIANTS[0], PRESETS.tiny), properties: props }, props)!;
  const wrong: string[] = [];
  for (const [s, t] of steps) {
    footprints.setParent(s);
    const changed = footprints.changed(t, undefined);
    props.forEach((p, i) => {
      if (((changed >>> i) & 1) === 0 && answer(p, s) !== answer(p, t)) wrong.push(p.name);
    });
  }
  return [...new Set(wrong)];
}

describe("property footprints", () => {
  it("name every byte of a state once, in layout order", () => {
    for (const preset of Object.values(PRESETS)) {
      const L = buildModel(VARIANTS[0], preset).layout;
      expect(fieldBytes(L, FIELDS)).toEqual([...Array(L.size).keys()]);
    }
  });

  it("are declared for every property but the engine's deadlock check", () => {
    const props = buildModel(VARIANTS[0], PRESETS.small).properties;
    expect(props.filter((p) => p.kind === "deadlockFree" || p.reads === undefined).map((p) => p.name)).toEqual(["no_stuck_state"]);
    expect(Object.keys(READS).sort()).toEqual(props.filter((p) => p.kind !== "deadlockFree").map((p) => p.name).sort());
  });

  for (const text of BOUNDS) {
    it(`cover what each property reads, for every variant at ${text}`, () => {
      let states = 0;
      let steps = 0;
      for (const [i, v] of VARIANTS.entries()) {
        const b = bounds(text);
        const model = buildModel(v, b);
        const walked = walks(v, b, 7 + i);
        states += walked.states.length;
        steps += walked.steps.length;
        expect(readsOutside(model.properties, walked.states), v.id).toEqual([]);
        expect(unseenChanges(model.properties, walked.steps), v.id).toEqual([]);
      }
      expect(states).toBeGreaterThan(VARIANTS.length * WALKS * 10);
      expect(steps).toBeGreaterThan(states);
    });
  }

  it("leave every variant's verdicts and counterexamples as evaluating every property gives them (tiny with one process)", () => {
    const b = bounds("tiny,procs=1");
    for (const v of VARIANTS) {
      const on = search(buildModel(v, b), {});
      const off = search(buildModel(v, b), { footprints: false });
      expect(on.verdicts, v.id).toEqual(off.verdicts);
      expect(on.stats.distinct, v.id).toBe(off.stats.distinct);
    }
  });

  it("a footprint missing a field is caught by both checks", () => {
    const v = VARIANTS.find((x) => x.id === "v4.18")!;
    const b = bounds("small");
    const model = buildModel(v, b);
    const L = model.layout;
    // page_owned, a walk's first fault makes true, declared to read the pins instead of ->mapping.
    const cut = model.properties.map((p) => (p.name === "page_owned" && p.kind === "sometimes" ? { ...p, reads: fieldBytes(L, ["pagePins"]) } : p));
    const walked = walks(v, b, 3);
    expect(readsOutside(cut, walked.states).some((w) => w.startsWith("page_owned byte"))).toBe(true);
    expect(unseenChanges(cut, walked.steps)).toContain("page_owned");
  });
});
