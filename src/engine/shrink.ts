/**
 * Shrinking a counterexample: a shorter, simpler action path that still ends in a state
 * violating the same property under replay. Greedy and deterministic, in the order a reader
 * cares about: fewer steps (the first violating prefix, then chunks, then single steps; the
 * last step stays), then fewer and lower ids (processes, files, blocks), then fewer context
 * switches between lanes (operations interleaved). Every accepted change makes the measure
 * (length, distinct ids, id sum, switches) strictly smaller, so it ends, and never grows the path.
 */
import type { Model } from "../core/model.js";

/** What the shrinker needs besides the model: the target, and optional id and lane knowledge. */
export interface ShrinkTarget<S, A> {
  readonly model: Model<S, A>;
  /** The index of the initial state the path starts from. */
  readonly init: number;
  /** Whether a state violates the property the path must keep violating. */
  readonly violates: (state: S) => boolean;
  /** Ids an action names (`proc:0`); without it, ids are not shrunk. */
  readonly ids?: (action: A) => readonly string[];
  /** The path with ids substituted; without it, ids are not shrunk. */
  readonly rename?: (path: readonly A[], mapping: ReadonlyMap<string, string>) => readonly A[] | undefined;
  /** The lane of an action; without it, interleavings are not shrunk. */
  readonly lane?: (action: A) => string;
}

/** One accepted change: which pass made it, what it did, and the length after it. */
export interface ShrinkChange {
  readonly pass: "prefix" | "chunk" | "step" | "ids" | "interleaving";
  readonly what: string;
  readonly length: number;
}

/** The shrunk path with the states it passes through and the log of accepted changes. */
export interface ShrinkResult<S, A> {
  readonly path: readonly A[];
  readonly states: readonly S[];
  readonly changes: readonly ShrinkChange[];
  readonly measure: Measure;
  readonly before: Measure;
}

/** What the shrinker minimises, compared in this order. */
export interface Measure {
  readonly steps: number;
  readonly distinctIds: number;
  readonly idSum: number;
  readonly switches: number;
}

/**
 * The states of `path` from the initial state, or undefined when a step is not one of the
 * model's enabled candidates there (matched by label, as replay matches traces: a renamed
 * action the model would never list, such as a file reflinked onto itself, is refused).
 */
export function replayPath<S, A>(model: Model<S, A>, init: number, path: readonly A[]): S[] | undefined {
  const start = model.initStates()[init];
  if (start === undefined) return undefined;
  const states = [start];
  const candidates: A[] = [];
  let s = start;
  for (const a of path) {
    candidates.length = 0;
    model.actions(s, candidates);
    const label = model.actionLabel(a);
    const listed = candidates.find((c) => model.actionLabel(c) === label);
    const next = listed === undefined ? undefined : model.nextState(s, listed);
    if (next === undefined) return undefined;
    states.push(next);
    s = next;
  }
  return states;
}

/** The measure of a path. */
export function measureOf<S, A>(t: ShrinkTarget<S, A>, path: readonly A[]): Measure {
  const ids = new Set<string>();
  if (t.ids !== undefined) for (const a of path) for (const id of t.ids(a)) ids.add(id);
  let idSum = 0;
  for (const id of ids) idSum += idNumber(id);
  return { steps: path.length, distinctIds: ids.size, idSum, switches: switchesOf(t, path) };
}

/** Whether measure a is strictly smaller than b, lexicographically. */
export function smaller(a: Measure, b: Measure): boolean {
  const x = [a.steps, a.distinctIds, a.idSum, a.switches];
  const y = [b.steps, b.distinctIds, b.idSum, b.switches];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i];
  return false;
}

/** Shrinks `path`, which must replay and end in a violating state; undefined when it does not. */
export function shrink<S, A>(t: ShrinkTarget<S, A>, path: readonly A[]): ShrinkResult<S, A> | undefined {
  const states = replayPath(t.model, t.init, path);
  if (states === undefined || !t.violates(states[states.length - 1])) return undefined;
  const before = measureOf(t, path);
  const changes: ShrinkChange[] = [];
  let current: Candidate<S, A> = { path, states, measure: before };
  for (;;) {
    const next = firstImprovement(t, current);
    if (next === undefined) break;
    changes.push({ pass: next.pass, what: next.what, length: next.candidate.path.length });
    current = next.candidate;
  }
  return { path: current.path, states: current.states, changes, measure: current.measure, before };
}

interface Candidate<S, A> {
  readonly path: readonly A[];
  readonly states: readonly S[];
  readonly measure: Measure;
}

interface Proposal<A> {
  readonly pass: ShrinkChange["pass"];
  readonly what: string;
  readonly path: readonly A[];
}

/** The first proposal, in pass order, that replays, violates and has a smaller measure. */
function firstImprovement<S, A>(t: ShrinkTarget<S, A>, c: Candidate<S, A>): { pass: ShrinkChange["pass"]; what: string; candidate: Candidate<S, A> } | undefined {
  const prefix = firstViolatingPrefix(t, c);
  if (prefix !== undefined) return prefix;
  for (const proposals of [chunkDrops(t, c.path), renamings(t, c.path), regroupings(t, c.path)]) {
    for (const p of proposals) {
      const accepted = accept(t, c, p.path);
      if (accepted !== undefined) return { pass: p.pass, what: p.what, candidate: accepted };
    }
  }
  return undefined;
}

/** Cuts the path at the first state that already violates. */
function firstViolatingPrefix<S, A>(t: ShrinkTarget<S, A>, c: Candidate<S, A>): { pass: "prefix"; what: string; candidate: Candidate<S, A> } | undefined {
  for (let k = 0; k < c.states.length - 1; k++) {
    if (!t.violates(c.states[k])) continue;
    const path = c.path.slice(0, k);
    const dropped = c.path.length - k;
    return {
      pass: "prefix",
      what: `cut the last ${dropped} step(s): the state after step ${k} already violates`,
      candidate: { path, states: c.states.slice(0, k + 1), measure: measureOf(t, path) },
    };
  }
  return undefined;
}

function accept<S, A>(t: ShrinkTarget<S, A>, c: Candidate<S, A>, path: readonly A[]): Candidate<S, A> | undefined {
  const measure = measureOf(t, path);
  if (!smaller(measure, c.measure)) return undefined;
  const states = replayPath(t.model, t.init, path);
  if (states === undefined || !t.violates(states[states.length - 1])) return undefined;
  return { path, states, measure };
}

/** Paths up to this long try chunks of every size (a whole operation is rarely a power of two steps); longer ones halve. */
const EVERY_SIZE_UP_TO = 64;

/** Drops chunks, largest first, then single steps, latest first; the last step always stays. */
function* chunkDrops<S, A>(t: ShrinkTarget<S, A>, path: readonly A[]): Generator<Proposal<A>> {
  const body = path.length - 1;
  const next = (size: number): number => (body <= EVERY_SIZE_UP_TO ? size - 1 : size >> 1);
  for (let size = body <= EVERY_SIZE_UP_TO ? body : highestPowerOfTwo(body); size >= 1; size = next(size)) {
    for (let start = body - size; start >= 0; start--) {
      const label = size === 1
        ? `dropped step ${start + 1} (${t.model.actionLabel(path[start])})`
        : `dropped steps ${start + 1}-${start + size} (${path.slice(start, start + size).map((a) => t.model.actionLabel(a)).join(", ")})`;
      yield { pass: size === 1 ? "step" : "chunk", what: label, path: [...path.slice(0, start), ...path.slice(start + size)] };
    }
  }
}

/** Merges an id into a lower one of its kind, then moves a used id to a lower unused one. */
function* renamings<S, A>(t: ShrinkTarget<S, A>, path: readonly A[]): Generator<Proposal<A>> {
  if (t.ids === undefined || t.rename === undefined) return;
  const used = usedIds(t, path);
  for (const [kind, numbers] of used) {
    const sorted = [...numbers].sort((a, b) => a - b);
    for (const hi of [...sorted].reverse()) {
      for (const lo of sorted.filter((n) => n < hi)) {
        const renamed = t.rename(path, new Map([[`${kind}:${hi}`, `${kind}:${lo}`]]));
        if (renamed !== undefined) yield { pass: "ids", what: `merged ${kind} ${hi} into ${kind} ${lo}`, path: renamed };
      }
      for (let lo = 0; lo < hi; lo++) {
        if (numbers.has(lo)) continue;
        const renamed = t.rename(path, new Map([[`${kind}:${hi}`, `${kind}:${lo}`], [`${kind}:${lo}`, `${kind}:${hi}`]]));
        if (renamed !== undefined) yield { pass: "ids", what: `renamed ${kind} ${hi} to the unused ${kind} ${lo}`, path: renamed };
      }
    }
  }
}

/** Moves a step next to the previous (or the next) step of its lane, so fewer operations interleave. */
function* regroupings<S, A>(t: ShrinkTarget<S, A>, path: readonly A[]): Generator<Proposal<A>> {
  const lane = t.lane;
  if (lane === undefined) return;
  for (let i = 0; i < path.length; i++) {
    const l = lane(path[i]);
    const prev = lastIndexBefore(path, i, (a) => lane(a) === l);
    if (prev >= 0 && prev < i - 1) {
      yield { pass: "interleaving", what: `moved step ${i + 1} (${t.model.actionLabel(path[i])}) up to follow step ${prev + 1} of ${l}`, path: move(path, i, prev + 1) };
    }
    const next = firstIndexAfter(path, i, (a) => lane(a) === l);
    if (next > i + 1) {
      yield { pass: "interleaving", what: `moved step ${i + 1} (${t.model.actionLabel(path[i])}) down to precede step ${next + 1} of ${l}`, path: move(path, i, next - 1) };
    }
  }
}

function usedIds<S, A>(t: ShrinkTarget<S, A>, path: readonly A[]): Map<string, Set<number>> {
  const used = new Map<string, Set<number>>();
  for (const a of path) {
    for (const id of t.ids?.(a) ?? []) {
      const kind = id.slice(0, id.lastIndexOf(":"));
      const set = used.get(kind) ?? new Set<number>();
      set.add(idNumber(id));
      used.set(kind, set);
    }
  }
  return used;
}

function switchesOf<S, A>(t: ShrinkTarget<S, A>, path: readonly A[]): number {
  if (t.lane === undefined) return 0;
  let n = 0;
  for (let i = 1; i < path.length; i++) if (t.lane(path[i]) !== t.lane(path[i - 1])) n++;
  return n;
}

function idNumber(id: string): number {
  const n = Number(id.slice(id.lastIndexOf(":") + 1));
  return Number.isFinite(n) ? n : 0;
}

function move<A>(path: readonly A[], from: number, to: number): A[] {
  const out = [...path];
  const [a] = out.splice(from, 1);
  out.splice(to, 0, a);
  return out;
}

function lastIndexBefore<A>(path: readonly A[], i: number, p: (a: A) => boolean): number {
  for (let k = i - 1; k >= 0; k--) if (p(path[k])) return k;
  return -1;
}

function firstIndexAfter<A>(path: readonly A[], i: number, p: (a: A) => boolean): number {
  for (let k = i + 1; k < path.length; k++) if (p(path[k])) return k;
  return -1;
}

function highestPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return n < 1 ? 0 : p;
}
