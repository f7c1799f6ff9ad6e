/**
 * How much sleep sets could save on a model, measured before building them. Sleep sets are the
 * partial-order method that prunes transitions, not states: after a state has fired action a and
 * then b, and a and b commute there, the successor reached by b need not fire a again (that
 * state is reached by a then b). So every state is still reached, at its breadth-first depth,
 * and no property needs to be invisible to the pruned steps: what the ample sets of
 * por-potential.ts cannot take on this model (truncate, eviction and memory_failure() break
 * them) may still leave successor computations to save.
 *
 * The measurement runs the whole breadth-first search twice, once plain and once with sleep
 * sets, and compares them: the states reached and their depths (which must be equal; a
 * difference would mean the scheme as measured is unsound here) and the successors computed.
 * Independence is tested in each state by firing both orders (a real implementation would need
 * it declared per action kind, which is what costs); a state met again keeps the intersection of
 * its sleep sets, and one already expanded with a larger sleep set fires the difference
 * (Godefroid's state-caching rule), so the count is of a sound scheme, not an optimistic one.
 */
import { type BenchModel, type Step, enabledSteps, keyer, loadDax, splitSection } from "./dax-dist.js";

/** What a model must offer to be measured. */
export type SleepSubject = Pick<BenchModel, "initStates" | "actions" | "nextState" | "actionKind" | "actionKinds">;

/** What `sleepPotential` counts. */
export interface SleepFigures {
  /** Distinct states of the plain search. */
  states: number;
  /** Distinct states reached with sleep sets (equal to `states` when sound here). */
  statesWithSleep: number;
  /** States the sleep search first reached at another depth than the plain one (0 when sound here). */
  depthsDiffering: number;
  /** Enabled actions summed over the states: the successors the plain search computes. */
  enabled: number;
  /** Successors the sleep search computed, re-explorations included. */
  computed: number;
  /** Times a state already expanded was reached with a sleep set lacking some of its own, and fired those. */
  reexplored: number;
  /** By index into `actionKinds`: enabled (plain), and computed with sleep sets. */
  kinds: { enabled: number; computed: number }[];
}

/** A state of the sleep search. */
interface SleepNode {
  readonly state: unknown;
  /** Steps from the start where first reached: what a breadth-first engine records. */
  readonly depth: number;
  /** Actions asleep here: enabled, and reached through another order already. */
  sleep: unknown[];
  expanded: boolean;
}

/** A state to expand: all its actions not asleep, or (a re-exploration) only `only`, with children asleep on what `base` and they commute with. */
interface Task {
  readonly node: SleepNode;
  readonly only?: readonly unknown[];
  readonly base?: readonly unknown[];
}

/** Runs the plain and the sleep-set search of `model` to the end (at most `cap` states each) and compares them. */
export function sleepPotential(model: SleepSubject, keyOf: (s: unknown) => string, cap: number): SleepFigures {
  const kinds = model.actionKinds.map(() => ({ enabled: 0, computed: 0 }));
  const plain = plainDepths(model, keyOf, cap, kinds);
  const figures: SleepFigures = { states: plain.depths.size, statesWithSleep: 0, depthsDiffering: 0, enabled: plain.enabled, computed: 0, reexplored: 0, kinds };
  const nodes = new Map<string, SleepNode>();
  const queue: Task[] = [];
  const reach = (key: string, state: unknown, depth: number, sleep: unknown[]): void => {
    const node = nodes.get(key);
    if (node === undefined) {
      if (nodes.size >= cap) throw new RangeError(`sleepPotential: more than ${cap} states`);
      const fresh: SleepNode = { state, depth, sleep, expanded: false };
      nodes.set(key, fresh);
      queue.push({ node: fresh });
      return;
    }
    const missing = node.sleep.filter((b) => !sleep.includes(b));
    if (missing.length === 0) return;
    node.sleep = node.sleep.filter((b) => sleep.includes(b));
    if (!node.expanded) return;
    figures.reexplored++;
    queue.push({ node, only: missing, base: sleep });
  };
  for (const s of model.initStates()) reach(keyOf(s), s, 0, []);
  for (let i = 0; i < queue.length; i++) {
    const { node, only, base } = queue[i];
    const enabled = enabledSteps(model, keyOf, node.state);
    const asleep = only === undefined ? node.sleep : [];
    node.expanded = true;
    const done: unknown[] = [...(base ?? asleep)];
    for (const e of enabled) {
      if (only === undefined ? asleep.includes(e.a) : !only.includes(e.a)) continue;
      figures.computed++;
      kinds[model.actionKind(e.a)].computed++;
      reach(e.key, e.next, node.depth + 1, done.filter((b) => commuteAt(model, keyOf, enabled, b, e)));
      if (only === undefined) done.push(e.a);
    }
  }
  figures.statesWithSleep = nodes.size;
  for (const [key, node] of nodes) if (plain.depths.get(key) !== node.depth) figures.depthsDiffering++;
  return figures;
}

/** The plain breadth-first search: each state's depth, and the enabled actions summed (also per kind, into `kinds`). */
function plainDepths(model: SleepSubject, keyOf: (s: unknown) => string, cap: number, kinds: { enabled: number }[]): { depths: Map<string, number>; enabled: number } {
  const depths = new Map<string, number>();
  const queue: { state: unknown; depth: number }[] = [];
  for (const s of model.initStates()) {
    depths.set(keyOf(s), 0);
    queue.push({ state: s, depth: 0 });
  }
  let enabled = 0;
  for (let i = 0; i < queue.length; i++) {
    const { state, depth } = queue[i];
    for (const e of enabledSteps(model, keyOf, state)) {
      enabled++;
      kinds[model.actionKind(e.a)].enabled++;
      if (depths.has(e.key)) continue;
      if (depths.size >= cap) throw new RangeError(`sleepPotential: more than ${cap} states`);
      depths.set(e.key, depth + 1);
      queue.push({ state: e.next, depth: depth + 1 });
    }
  }
  return { depths, enabled };
}

/** Whether action `b` and step `e`, both among a state's `enabled` steps, stay enabled after each other and reach the same state in both orders. */
function commuteAt(model: SleepSubject, keyOf: (s: unknown) => string, enabled: readonly Step[], b: unknown, e: Step): boolean {
  const first = enabled.find((f) => f.a === b);
  if (first === undefined) throw new Error(`sleepPotential: an action asleep in a state is not enabled there (${String(b)})`);
  const be = model.nextState(first.next, e.a);
  if (be === undefined) return false;
  const eb = model.nextState(e.next, b);
  return eb !== undefined && keyOf(be) === keyOf(eb);
}

/** Prints, for `variant` at `bounds` searched to the end (at most N states), the successors sleep sets would compute against the plain search, per action kind. */
export async function benchSleepPotential(distRoot: string, spec: string): Promise<void> {
  const { variant, bounds, numbers } = splitSection("--sleep", spec, 1, 1);
  const [cap = 2_000_000] = numbers;
  const m = await loadDax(distRoot);
  const model = m.modelOf(variant, bounds);
  const started = performance.now();
  const f = sleepPotential(model, keyer(model, new m.Encoder(256)), cap);
  const seconds = (performance.now() - started) / 1000;
  const int = (n: number): string => n.toLocaleString("en-US");
  const pct = (n: number, of: number): string => `${of === 0 ? "-" : ((100 * n) / of).toFixed(1)}%`;
  console.log(`\nsleep-set potential: ${variant} at ${bounds}, symmetry off, both searches to the end (${seconds.toFixed(1)} s)`);
  console.log(`  states: ${int(f.states)} plain, ${int(f.statesWithSleep)} with sleep sets, ${int(f.depthsDiffering)} first reached at another depth`);
  console.log(`  successors computed: ${int(f.enabled)} plain, ${int(f.computed)} with sleep sets (${pct(f.computed, f.enabled)}), ${int(f.reexplored)} re-explorations`);
  console.log("  per action kind: enabled, computed with sleep sets");
  model.actionKinds.forEach((name, i) => {
    const k = f.kinds[i];
    if (k.enabled > 0) console.log(`    ${name.padEnd(16)} ${String(k.enabled).padStart(9)}  ${pct(k.computed, k.enabled).padStart(6)}`);
  });
}
