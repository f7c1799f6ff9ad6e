/**
 * How much a partial-order reduction could save on a model at most, measured before building
 * one: on the first N states of a breadth-first walk, for each enabled action, whether it is
 * visible (changes the truth of some property: an `always` or `sometimes` predicate, or the
 * in-flight test of deadlock freedom) and whether it commutes with every other enabled action
 * (each stays enabled after the other, and both orders reach the same state). A reduction that
 * explores one action instead of all (an ample set of one) needs, in that state at least, an
 * invisible action commuting with all the others; these are necessary conditions checked on
 * the states met, not sufficient ones (soundness needs independence in every future state and
 * a cycle proviso), so the figures bound what any such scheme could gain from above.
 */
import { type BenchModel, type Step, keyer, loadDax, walkFirst } from "./dax-dist.js";

/** Per action kind: how often it was enabled, visible, and commuting with every other enabled action. */
export interface KindCounts {
  fired: number;
  visible: number;
  commutesWithAll: number;
}

/** The truth of every property predicate in `s`, as a string of 0s and 1s. */
function truths(model: PorSubject, s: unknown): string {
  return model.properties.map((p) => ((p.kind === "deadlockFree" ? p.inFlight(s) : p.holds(s)) ? "1" : "0")).join("");
}

/** What `porPotential` counts over the states it walks. */
export interface PorFigures {
  states: number;
  /** Enabled actions, summed over the states. */
  branching: number;
  /** States with more than one enabled action, one of them invisible and commuting with every other. */
  reducible: number;
  /** Successors left if each reducible state fired that one action alone. */
  keptIfReduced: number;
  /** By index into `actionKinds`. */
  kinds: KindCounts[];
}

/** What a model must offer to be measured: the engine's Model contract but encoding. */
export type PorSubject = Pick<BenchModel, "initStates" | "actions" | "nextState" | "actionKind" | "actionKinds" | "properties">;

/** Walks the first `count` states of `model` breadth-first (states told apart by `keyOf`) and counts what an ample set of one could save in each. */
export function porPotential(model: PorSubject, keyOf: (s: unknown) => string, count: number): PorFigures {
  const kinds: KindCounts[] = model.actionKinds.map(() => ({ fired: 0, visible: 0, commutesWithAll: 0 }));
  const figures: PorFigures = { states: 0, branching: 0, reducible: 0, keptIfReduced: 0, kinds };
  walkFirst(model, keyOf, count, (s, enabled) => {
    figures.states++;
    figures.branching += enabled.length;
    const here = truths(model, s);
    let oneWillDo = false;
    for (const e of enabled) {
      const k = kinds[model.actionKind(e.a)];
      k.fired++;
      const visible = truths(model, e.next) !== here;
      if (visible) k.visible++;
      const commutes = enabled.every((f) => f === e || commute(model, keyOf, e, f));
      if (commutes) k.commutesWithAll++;
      if (!visible && commutes) oneWillDo = true;
    }
    const reduces = oneWillDo && enabled.length > 1;
    if (reduces) figures.reducible++;
    figures.keptIfReduced += reduces ? 1 : enabled.length;
  });
  return figures;
}

/** Prints, for the first `count` states of `variant` at `bounds`, how many an ample set of one could reduce, and per action kind how often it is visible or commutes. */
export async function benchPorPotential(distRoot: string, spec: string): Promise<void> {
  const [variant, bounds, count] = spec.split(",");
  const m = await loadDax(distRoot);
  const model = m.modelOf(variant, bounds);
  const { states, branching, reducible, keptIfReduced, kinds } = porPotential(model, keyer(model, new m.Encoder(256)), Number(count));
  const pct = (n: number, of: number): string => `${of === 0 ? "-" : ((100 * n) / of).toFixed(1)}%`;
  console.log(`\npartial-order potential: the first ${states.toLocaleString("en-US")} states of ${variant} at ${bounds}, ${(branching / states).toFixed(2)} actions enabled per state`);
  console.log(`  states with an invisible action commuting with every other enabled one: ${reducible.toLocaleString("en-US")} (${pct(reducible, states)})`);
  console.log(`  successors kept if each such state fired that action alone: ${pct(keptIfReduced, branching)} of ${branching.toLocaleString("en-US")}`);
  console.log("  per action kind: enabled, visible, commutes with all other enabled actions");
  model.actionKinds.forEach((name, i) => {
    const k = kinds[i];
    if (k.fired > 0) console.log(`    ${name.padEnd(16)} ${String(k.fired).padStart(9)}  ${pct(k.visible, k.fired).padStart(6)}  ${pct(k.commutesWithAll, k.fired).padStart(6)}`);
  });
}

/** Whether `e` and `f`, both enabled in one state, stay enabled after each other and reach the same state in both orders. */
function commute(model: PorSubject, keyOf: (s: unknown) => string, e: Step, f: Step): boolean {
  const ef = model.nextState(e.next, f.a);
  if (ef === undefined) return false;
  const fe = model.nextState(f.next, e.a);
  if (fe === undefined) return false;
  return keyOf(ef) === keyOf(fe);
}
