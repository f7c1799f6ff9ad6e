/**
 * Random walks over a model's enabled actions, for state spaces too large to exhaust. A walk is
 * a list of choices (natural numbers); at each step the choice picks among the enabled actions
 * modulo their count. fast-check generates the lists from a seed, so a run repeats exactly, and
 * shrinks the list of a failing walk (shorter lists, smaller choices) before daxmc's own shrinker.
 */
import fc from "fast-check";
import type { Model, Property } from "../core/model.js";

/** What to look for and how long to look. */
export interface SimulateOptions {
  readonly runs: number;
  readonly depth: number;
  readonly seed: number;
  /** The properties a walk stops at when violated (`always` and `deadlockFree` ones). */
  readonly targets: readonly string[];
  /** Stops the walks (Ctrl-C): the remaining runs return at once, uncounted. */
  readonly signal?: AbortSignal;
}

/** A violation a walk found, after fast-check's shrinking. */
export interface SimulatedViolation<A> {
  readonly property: string;
  readonly path: readonly A[];
  /** The length of the walk as first found, before shrinking. */
  readonly foundLength: number;
  /** Which run (1-based) found it. */
  readonly run: number;
  readonly shrinks: number;
}

/** What the walks covered, counting only the runs before a violation was found (not fast-check's shrinking replays). */
export interface SimulateResult<A> {
  readonly runs: number;
  readonly steps: number;
  /** Steps taken per action kind (indexed as `model.actionKinds`). */
  readonly kindSteps: readonly number[];
  /** Names of the `sometimes` properties some walk reached. */
  readonly reached: ReadonlySet<string>;
  readonly violation?: SimulatedViolation<A>;
  /** Whether the signal stopped the walks before `runs` were done. */
  readonly interrupted: boolean;
}

/** Runs the walks; stops at the first violation of a target and shrinks it. */
export function simulate<S, A>(model: Model<S, A>, opts: SimulateOptions): SimulateResult<A> {
  const targets = model.properties.filter((p) => p.kind !== "sometimes" && opts.targets.includes(p.name));
  const sometimes = model.properties.filter((p) => p.kind === "sometimes");
  const kindSteps = new Array<number>(model.actionKinds.length).fill(0);
  const reached = new Set<string>();
  let runs = 0;
  let steps = 0;
  let target: string | undefined;
  let found: { length: number; run: number } | undefined;
  const walk = (choices: readonly number[]): boolean => {
    if (opts.signal?.aborted === true && target === undefined) return true;
    const counting = target === undefined;
    if (counting) runs++;
    const result = walkOnce(model, choices, target === undefined ? targets : targets.filter((p) => p.name === target), (state, action) => {
      if (!counting) return;
      if (action !== undefined) {
        steps++;
        kindSteps[model.actionKind(action)]++;
      }
      for (const p of sometimes) if (!reached.has(p.name) && p.holds(state)) reached.add(p.name);
    });
    if (result === undefined) return true;
    if (target === undefined) {
      target = result.property;
      found = { length: result.path.length, run: runs };
    }
    return false;
  };
  const details = fc.check(fc.property(fc.array(fc.nat({ max: 0xffff }), { maxLength: opts.depth, size: "max" }), walk), {
    seed: opts.seed,
    numRuns: opts.runs,
  });
  if (!details.failed || details.counterexample === null || target === undefined || found === undefined) {
    return { runs, steps, kindSteps, reached, interrupted: runs < opts.runs };
  }
  const [choices] = details.counterexample;
  const final = walkOnce(model, choices, targets.filter((p) => p.name === target), () => {});
  if (final === undefined) throw new Error("fast-check's counterexample no longer fails when walked again");
  return {
    runs,
    steps,
    kindSteps,
    reached,
    violation: { property: target, path: final.path, foundLength: found.length, run: found.run, shrinks: details.numShrinks },
    interrupted: false,
  };
}

/** Walks one list of choices; returns the first target violated and the path to it, or undefined. */
export function walkOnce<S, A>(
  model: Model<S, A>,
  choices: readonly number[],
  targets: readonly Property<S>[],
  visit: (state: S, action: A | undefined) => void,
): { property: string; path: A[] } | undefined {
  const init = model.initStates()[0];
  const path: A[] = [];
  let state = init;
  visit(state, undefined);
  const violated = firstViolated(model, targets, state);
  if (violated !== undefined) return { property: violated, path };
  const candidates: A[] = [];
  const enabled: [A, S][] = [];
  for (let k = 0; k <= choices.length; k++) {
    candidates.length = 0;
    enabled.length = 0;
    model.actions(state, candidates);
    for (const a of candidates) {
      const next = model.nextState(state, a);
      if (next !== undefined) enabled.push([a, next]);
    }
    const stuck = enabled.length === 0 ? targets.find((p) => p.kind === "deadlockFree" && p.inFlight(state)) : undefined;
    if (stuck !== undefined) return { property: stuck.name, path };
    if (enabled.length === 0 || k === choices.length) return undefined;
    const [action, next] = enabled[choices[k] % enabled.length];
    path.push(action);
    state = next;
    visit(state, action);
    const v = firstViolated(model, targets, state);
    if (v !== undefined) return { property: v, path };
  }
  return undefined;
}

function firstViolated<S, A>(_model: Model<S, A>, targets: readonly Property<S>[], state: S): string | undefined {
  for (const p of targets) if (p.kind === "always" && !p.holds(state)) return p.name;
  return undefined;
}
