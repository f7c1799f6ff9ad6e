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
 *
 * The lookahead tightens the bound towards the real condition (C1: no action dependent on the
 * chosen one can run before it): at lookahead d, the action must also stay enabled, invisible
 * and commuting with every enabled action in every state reached by up to d steps of the
 * other actions. The bound can only fall as d grows; how fast it falls says how much of it a
 * sound reduction could keep.
 */
import { type BenchModel, type Step, commute, enabledSteps, keyer, loadDax, splitSection, walkFirst } from "./dax-dist.js";

/** Per action kind: how often it was enabled, visible, commuting with every other enabled action, and so through the whole lookahead. */
export interface KindCounts {
  fired: number;
  visible: number;
  commutesWithAll: number;
  passedLookahead: number;
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
  /** By lookahead d (0 up to the one asked for): `reducible` and `keptIfReduced` where the action also passed d steps of the others. */
  lookahead: { reducible: number; keptIfReduced: number }[];
  /**
   * Why actions that commuted in their own state failed the lookahead, by their kind: per kind
   * of the action that broke it (one that disabled it, did not commute with it, or after which it
   * was visible, "visible"), how many times.
   */
  blockers: Map<string, Map<string, number>>;
}

/** What a model must offer to be measured: the engine's Model contract but encoding. */
export type PorSubject = Pick<BenchModel, "initStates" | "actions" | "nextState" | "actionKind" | "actionKinds" | "properties">;

/** Walks the first `count` states of `model` breadth-first (states told apart by `keyOf`) and counts what an ample set of one could save in each. */
export function porPotential(model: PorSubject, keyOf: (s: unknown) => string, count: number, lookahead = 0): PorFigures {
  const kinds: KindCounts[] = model.actionKinds.map(() => ({ fired: 0, visible: 0, commutesWithAll: 0, passedLookahead: 0 }));
  const ahead = Array.from({ length: lookahead + 1 }, () => ({ reducible: 0, keptIfReduced: 0 }));
  const figures: PorFigures = { states: 0, branching: 0, reducible: 0, keptIfReduced: 0, kinds, lookahead: ahead, blockers: new Map() };
  walkFirst(model, keyOf, count, (s, enabled) => {
    figures.states++;
    figures.branching += enabled.length;
    const here = truths(model, s);
    /** The most steps of the others some invisible, commuting action passed; -1: none is. */
    let best = -1;
    for (const e of enabled) {
      const kind = model.actionKind(e.a);
      const k = kinds[kind];
      k.fired++;
      const visible = truths(model, e.next) !== here;
      if (visible) k.visible++;
      const commutes = enabled.every((f) => f === e || commute(model, keyOf, e, f));
      if (commutes) k.commutesWithAll++;
      if (visible || !commutes) continue;
      const name = model.actionKinds[kind];
      const blame = (by: string): void => {
        const of = figures.blockers.get(name) ?? new Map<string, number>();
        figures.blockers.set(name, of.set(by, (of.get(by) ?? 0) + 1));
      };
      const passed = stepsPassed(model, keyOf, s, enabled, e.a, lookahead, new Map(), blame);
      if (passed === lookahead) k.passedLookahead++;
      best = Math.max(best, passed);
    }
    const many = enabled.length > 1;
    for (let d = 0; d <= lookahead; d++) {
      const reduces = many && best >= d;
      if (reduces) ahead[d].reducible++;
      ahead[d].keptIfReduced += reduces ? 1 : enabled.length;
    }
  });
  figures.reducible = ahead[0].reducible;
  figures.keptIfReduced = ahead[0].keptIfReduced;
  return figures;
}

/**
 * How many steps of the other actions (at most `depth`) action `a`, invisible and commuting with
 * every other enabled action in `s`, stays so along every path from `s`: after each other enabled
 * action it must still be enabled, invisible and commuting with everything enabled there.
 * Actions are told apart by identity (the model lists the same objects each time, as the DAX
 * model does). `memo` holds, by state key, what was shown from a state already met: the steps
 * passed and how many were asked; fewer passed than asked is a failure that holds at any depth.
 */
function stepsPassed(
  model: PorSubject,
  keyOf: (s: unknown) => string,
  s: unknown,
  enabled: readonly Step[],
  a: unknown,
  depth: number,
  memo: Map<string, { passed: number; asked: number }>,
  blame: (by: string) => void,
): number {
  if (depth === 0) return 0;
  let passed = depth;
  for (const f of enabled) {
    if (f.a === a) continue;
    const known = memo.get(f.key);
    if (known !== undefined && (known.passed >= passed - 1 || known.passed < known.asked)) {
      passed = Math.min(passed, known.passed + 1);
      if (passed === 0) return 0;
      continue;
    }
    const after = enabledSteps(model, keyOf, f.next);
    const broke = whatBreaks(model, keyOf, f, after, a);
    if (broke !== undefined) blame(broke);
    const below = broke === undefined ? stepsPassed(model, keyOf, f.next, after, a, passed - 1, memo, blame) : -1;
    memo.set(f.key, { passed: below, asked: passed - 1 });
    passed = Math.min(passed, below + 1);
    if (passed === 0) return 0;
  }
  return passed;
}

/**
 * After step `f`, with `after` enabled there, what keeps action `a` from being fired alone: the
 * kind of `f` when it disabled `a`, "visible" when `a` now changes a property's truth, or the kind
 * of an action it does not commute with; undefined when nothing does.
 */
function whatBreaks(model: PorSubject, keyOf: (s: unknown) => string, f: Step, after: readonly Step[], a: unknown): string | undefined {
  const kindOf = (step: Step): string => model.actionKinds[model.actionKind(step.a)];
  const mine = after.find((g) => g.a === a);
  if (mine === undefined) return kindOf(f);
  if (truths(model, mine.next) !== truths(model, f.next)) return "visible";
  const other = after.find((g) => g !== mine && !commute(model, keyOf, mine, g));
  return other === undefined ? undefined : kindOf(other);
}

/** Prints, for the first `count` states of `variant` at `bounds`, how many an ample set of one could reduce (with each lookahead up to the one asked), and per action kind how often it is visible or commutes. */
export async function benchPorPotential(distRoot: string, spec: string): Promise<void> {
  const { variant, bounds, numbers } = splitSection("--por", spec, 2, 1);
  const [count, depth = 0] = numbers;
  const m = await loadDax(distRoot);
  const model = m.modelOf(variant, bounds);
  const { states, branching, kinds, lookahead, blockers } = porPotential(model, keyer(model, new m.Encoder(256)), count, depth);
  const pct = (n: number, of: number): string => `${of === 0 ? "-" : ((100 * n) / of).toFixed(1)}%`;
  console.log(`\npartial-order potential: the first ${states.toLocaleString("en-US")} states of ${variant} at ${bounds}, ${(branching / states).toFixed(2)} actions enabled per state`);
  console.log("  lookahead: steps of the other actions the one action must stay invisible, enabled and commuting through");
  console.log("  lookahead  states with such an action   successors kept if it alone were fired");
  lookahead.forEach(({ reducible, keptIfReduced }, d) => {
    console.log(`  ${String(d).padStart(9)}  ${`${reducible.toLocaleString("en-US")} (${pct(reducible, states)})`.padStart(25)}   ${pct(keptIfReduced, branching)} of ${branching.toLocaleString("en-US")}`);
  });
  console.log(`  per action kind: enabled, visible, commutes with all other enabled actions, and invisible and commuting through lookahead ${lookahead.length - 1}; what broke the lookahead most`);
  model.actionKinds.forEach((name, i) => {
    const k = kinds[i];
    const by = [...(blockers.get(name) ?? new Map<string, number>())].sort((x, y) => y[1] - x[1]);
    const total = by.reduce((n, [, c]) => n + c, 0);
    const top = by.slice(0, 3).map(([kind, c]) => `${kind} ${pct(c, total)}`).join(", ");
    if (k.fired > 0) console.log(`    ${name.padEnd(16)} ${String(k.fired).padStart(9)}  ${pct(k.visible, k.fired).padStart(6)}  ${pct(k.commutesWithAll, k.fired).padStart(6)}  ${pct(k.passedLookahead, k.fired).padStart(6)}  ${top}`);
  });
}
