/**
 * How much sleep sets could save on a model, measured before building them. Sleep sets are the
 * partial-order method that prunes transitions, not states: after a state has fired action a and
 * then b, and a and b commute there, the successor reached by b need not fire a again (that
 * state is reached by a then b). So every state is still reached, at its breadth-first depth,
 * and no property needs to be invisible to the pruned steps: what the ample sets of
 * por-potential.ts cannot take on this model (truncate, eviction and memory_failure() break
 * them) may still leave successor computations to save.
 *
 * The measurement runs the whole breadth-first search plainly and then with sleep sets, and
 * compares them: the states reached and the depth each is first reached at (which must be equal;
 * a difference means the scheme as measured loses something here) and the successors computed.
 * Independence is either tested in each state by firing both orders, or declared per pair of
 * actions as an engine would need it (and then checked in both orders wherever the search meets a
 * declared pair, counting the pairs that do not commute). A state met again before it is expanded
 * keeps the intersection of its sleep sets; one already expanded with a larger sleep set fires
 * the difference (Godefroid's state-caching rule), unless re-exploration is turned off, which a
 * breadth-first search with a declared relation does not need (README, Speed).
 */
import { type BenchModel, type Step, commute, enabledSteps, keyer, loadDax, splitSection } from "./dax-dist.js";

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
  /** Times a state already expanded was reached with a sleep set lacking some of its own, and fired those (or would have, without re-exploration). */
  reexplored: number;
  /** Pairs the `declared` relation called independent that do not commute where they met (0 when the relation is sound there). */
  declaredNotCommuting: number;
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

/** How the sleep search decides: whether it re-explores (default yes), and the independence relation an engine would declare (default: commuting where met). */
export interface SleepOptions {
  readonly reexplore?: boolean;
  /** Whether actions `b` and `e` are declared independent in `state` (where both are enabled); the search then uses this alone, and counts where it is wrong. */
  readonly declared?: (b: unknown, e: unknown, state: unknown) => boolean;
}

/** Runs the plain and the sleep-set search of `model` to the end (at most `cap` states each) and compares them. */
export function sleepPotential(model: SleepSubject, keyOf: (s: unknown) => string, cap: number, options: SleepOptions = {}): SleepFigures {
  const { reexplore = true, declared } = options;
  const kinds = model.actionKinds.map(() => ({ enabled: 0, computed: 0 }));
  const plain = plainDepths(model, keyOf, cap, kinds);
  const figures: SleepFigures = { states: plain.depths.size, statesWithSleep: 0, depthsDiffering: 0, enabled: plain.enabled, computed: 0, reexplored: 0, declaredNotCommuting: 0, kinds };
  const independent = (state: unknown, enabled: readonly Step[], b: unknown, e: Step): boolean => {
    if (declared === undefined) return commuteAt(model, keyOf, enabled, b, e);
    if (!declared(b, e.a, state)) return false;
    if (!commuteAt(model, keyOf, enabled, b, e)) figures.declaredNotCommuting++;
    return true;
  };
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
    if (reexplore) queue.push({ node, only: missing, base: sleep });
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
      reach(e.key, e.next, node.depth + 1, done.filter((b) => independent(node.state, enabled, b, e)));
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

/**
 * Whether action `b` and step `e`, among a state's `enabled` steps, stay enabled after each other
 * and reach the same state in both orders. False when `b` is not enabled here, which only a wrong
 * declaration can bring about (it let a step that disables `b` leave it asleep).
 */
function commuteAt(model: SleepSubject, keyOf: (s: unknown) => string, enabled: readonly Step[], b: unknown, e: Step): boolean {
  const first = enabled.find((f) => f.a === b);
  return first !== undefined && commute(model, keyOf, first, e);
}

/** An action as the DAX relations read it: its kind, and the process and file where it has them. */
type DaxStep = { readonly kind: string; readonly proc?: number; readonly file?: number };

/** Whether a DAX action is an mmap or munmap: the only steps these relations let fall asleep. */
const isMap = (a: DaxStep): boolean => a.kind === "mmap" || a.kind === "munmap";

/** DAX steps a process takes on its own (faults, mmap, munmap, pins), each naming the process in `proc`. */
const PROCESS_STEPS = new Set(["mmap", "munmap", "fault", "alloc", "cow_fault", "fault_map", "alloc_map", "cow_alloc", "cow_end", "pin"]);

/**
 * The simplest independence a DAX engine could declare: an mmap or munmap of one process and a
 * step of another process. mmap(p, f) reads f's liveness and p's VMAs and fault phase and writes
 * p's VMAs; munmap also zaps p's PTEs; the other process's fault, allocation, CoW and pin steps
 * read and write its own VMAs, PTEs and fault, the file's entries and extents and the pages, never
 * p's. Checked against both orders wherever the search meets such a pair.
 */
export function mmapOfOtherProcess(b: unknown, e: unknown): boolean {
  const x = b as DaxStep;
  const y = e as DaxStep;
  if (!PROCESS_STEPS.has(x.kind) || !PROCESS_STEPS.has(y.kind) || x.proc === y.proc) return false;
  return isMap(x) || isMap(y);
}

/**
 * Steps that read no VMA and whose zapping of PTEs commutes with munmap's, by a reading of spec/
 * checked in both orders where met. Not truncate_begin nor reflink: both break the DAX layouts
 * (`breakLayouts`), and dax_layout_busy_page() returns at once when no process maps the file
 * (mapping_mapped(), `busyScanSkipsUnmapped`), so an mmap can make them wait on a locked entry.
 * The first version of this list had both; `--sleep` found 3,072 pairs that did not commute at
 * v4.18 `tiny` (truncate_begin), 34,448 at reflink-singular (reflink), and states lost.
 */
const BLIND_TO_VMAS = new Set(["truncate_delete", "truncate_free", "mf_query_rmap"]);

/**
 * A wider declaration: an mmap or munmap and any other mmap or munmap, any step of another
 * process, or a later truncate phase or the rmap query. Not an mmap or munmap against the
 * process's own faults (mmap_lock), the start of a truncate or a reflink (they look at whether
 * the file is mapped), eviction (it waits for the last VMA) or memory_failure()'s collection of
 * processes (it reads every VMA).
 */
export function mmapOfAnyBlindStep(b: unknown, e: unknown): boolean {
  const pair = (m: DaxStep, o: DaxStep): boolean => isMap(m) && (isMap(o) || (PROCESS_STEPS.has(o.kind) && o.proc !== m.proc) || BLIND_TO_VMAS.has(o.kind));
  return pair(b as DaxStep, e as DaxStep) || pair(e as DaxStep, b as DaxStep);
}

/** Where a DAX state keeps each process's VMAs: one byte per process, bit f for file f (spec/state.ts `Layout.vmas`). */
export interface VmaLayout {
  readonly vmas: number;
  readonly procs: number;
}

/** The files whose DAX layouts a step breaks (dax_layout_busy_page() looks at whether each is mapped). */
function layoutsBroken(a: { kind: string; file?: number; src?: number; dst?: number }): number[] {
  if (a.kind === "truncate_begin" || a.kind === "reflink_range") return [a.file ?? -1];
  if (a.kind === "reflink") return [a.src ?? -1, a.dst ?? -1];
  return [];
}

/**
 * The wide declaration with a test of the state added: an mmap or munmap of file f by p and a step
 * that breaks DAX layouts (truncate_begin, reflink) commute when that step's files do not include
 * f, or while another process maps f: then mapping_mapped() is true in both orders, and the step
 * zaps PTEs, which mmap has none of and munmap removes too.
 */
export function mmapWhileMappedElsewhere(layout: VmaLayout): (b: unknown, e: unknown, state: unknown) => boolean {
  const mappedByOther = (s: Uint8Array, p: number, f: number): boolean => {
    for (let q = 0; q < layout.procs; q++) if (q !== p && (s[layout.vmas + q] & (1 << f)) !== 0) return true;
    return false;
  };
  return (b, e, state) => {
    if (mmapOfAnyBlindStep(b, e)) return true;
    const x = b as DaxStep;
    const y = e as DaxStep;
    const [m, o] = isMap(x) ? [x, y] : [y, x];
    if (!isMap(m) || m.proc === undefined || m.file === undefined) return false;
    const files = layoutsBroken(o);
    return files.length > 0 && (!files.includes(m.file) || mappedByOther(state as Uint8Array, m.proc, m.file));
  };
}

/**
 * Prints, for `variant` at `bounds` searched to the end (at most N states), the successors sleep
 * sets would compute against the plain search: with independence tested where met, with and
 * without re-exploration, and with each declared relation (`mmapOfOtherProcess`,
 * `mmapOfAnyBlindStep`, `mmapWhileMappedElsewhere`) alone, without re-exploration.
 */
export async function benchSleepPotential(distRoot: string, spec: string): Promise<void> {
  const { variant, bounds, numbers } = splitSection("--sleep", spec, 1, 1);
  const [cap = 2_000_000] = numbers;
  const m = await loadDax(distRoot);
  const model = m.modelOf(variant, bounds);
  const keyOf = keyer(model, new m.Encoder(256));
  const int = (n: number): string => n.toLocaleString("en-US");
  const pct = (n: number, of: number): string => `${of === 0 ? "-" : ((100 * n) / of).toFixed(1)}%`;
  console.log(`\nsleep-set potential: ${variant} at ${bounds}, symmetry off, each search to the end`);
  const runs: [string, SleepOptions][] = [
    ["commuting where met", {}],
    ["commuting where met, no re-exploration", { reexplore: false }],
    ["mmap/munmap vs another process, no re-exploration", { reexplore: false, declared: mmapOfOtherProcess }],
    ["mmap/munmap vs steps blind to VMAs, no re-exploration", { reexplore: false, declared: mmapOfAnyBlindStep }],
    ["the same, or vs breaking layouts while mapped elsewhere, no re-exploration", { reexplore: false, declared: mmapWhileMappedElsewhere((model as unknown as { layout: VmaLayout }).layout) }],
  ];
  let first: SleepFigures | undefined;
  for (const [label, options] of runs) {
    const started = performance.now();
    const f = sleepPotential(model, keyOf, cap, options);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (first === undefined) console.log(`  plain: ${int(f.states)} states, ${int(f.enabled)} successors computed`);
    first ??= f;
    const wrong = options.declared === undefined ? "" : `, ${int(f.declaredNotCommuting)} declared pairs not commuting`;
    const rex = `${int(f.reexplored)} ${options.reexplore === false ? "re-explorations skipped" : "re-explorations"}`;
    console.log(`  ${label}: ${int(f.statesWithSleep)} states, ${int(f.depthsDiffering)} first reached at another depth, ${int(f.computed)} computed (${pct(f.computed, f.enabled)}), ${rex}${wrong} (${seconds} s)`);
  }
  if (first === undefined) return;
  console.log("  per action kind (commuting where met): enabled, computed with sleep sets");
  model.actionKinds.forEach((name, i) => {
    const k = first.kinds[i];
    if (k.enabled > 0) console.log(`    ${name.padEnd(16)} ${String(k.enabled).padStart(9)}  ${pct(k.computed, k.enabled).padStart(6)}`);
  });
}
