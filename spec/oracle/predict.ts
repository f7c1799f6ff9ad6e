/**
 * The model's prediction for a conformance scenario: the scenario's events run through the
 * kernel variant's model one after another, the kernel finishing each (every interleaving of its
 * internal steps) before the next, and the set of observable outcomes of the quiet states.
 */
import { quiesce } from "../../src/engine/quiesce.js";
import { type DaxAction, type ActionKind, blockName, fileName, procName } from "../actions.js";
import type { Bounds } from "../bounds.js";
import { inFlight } from "../invariants.js";
import { buildModel } from "../model.js";
import { type DaxState, OUT, VIA } from "../state.js";
import { VARIANTS, type Variant } from "../variants.js";
import type { Scenario, ScenarioEvent } from "./scenario.js";

/** The kernels the oracle runs. */
export type Kernel = "6.1" | "6.12";

/** What a scenario run shows: signals per scenario process, PTEs still present at the poisoned offset, kernel lines. */
export interface Observed {
  /** "0 AR", "1 AO", "1 KILL", sorted. */
  readonly signals: readonly string[];
  /** Scenario processes that still map the poisoned page, sorted. */
  readonly keepsPte: readonly number[];
  /** "WARN associate", "WARN disassociate", "WARN truncate-busy", "OOPS", "SHUTDOWN", sorted. */
  readonly kernel: readonly string[];
  /** Every operation waits and none can run (a hung task). */
  readonly hung: boolean;
}

/** The model's prediction: the variant used and every outcome it allows. */
export interface Prediction {
  readonly variant: string;
  readonly bounds: Bounds;
  readonly outcomes: readonly Observed[];
}

/** The kernel's variant for a filesystem with or without the rmap btree. */
export function variantFor(kernel: Kernel, rmapbt: boolean): Variant {
  const id = `v${kernel}${rmapbt ? "" : "-normap"}`;
  const v = VARIANTS.find((x) => x.id === id);
  if (v === undefined) throw new Error(`no variant ${id}`);
  return v;
}

/** The internal steps: the kernel finishing what a user action started. */
const INTERNAL: ReadonlySet<ActionKind> = new Set<ActionKind>([
  "fault_map", "alloc_map", "cow_alloc", "cow_end", "truncate_delete", "truncate_free",
  "mf_lock", "mf_kill", "mf_unlock", "mf_query_rmap", "mf_kill_owner", "inodegc",
]);

/** Runs the scenario through the model of `kernel`'s variant. */
export function predict(s: Scenario, kernel: Kernel): Prediction {
  const variant = variantFor(kernel, s.mkfs.rmapbt);
  const order = modelOrder(s);
  const bounds = boundsFor(s);
  const model = buildModel(variant, bounds);
  const L = model.layout;
  const busy = (st: DaxState): boolean => inFlight(L, st) || st[L.inactive] !== 0;
  let states: DaxState[] = [...model.initStates()];
  for (const labels of setupLabels(s, order)) states = states.flatMap((st) => apply(model, st, [labels]));
  const hung: DaxState[] = [];
  let poisoned: number | undefined;
  const run = (from: DaxState[], events: readonly ScenarioEvent[]): DaxState[] => {
    let states = from;
    for (const e of events) {
      if ("poison" in e && states.length > 0) poisoned = poisonedBlock(model, states[0], order, e.poison);
      for (const step of eventSteps(s, order, e)) {
        const next: DaxState[] = [];
        for (const st of states) {
          for (const a of apply(model, st, step(st, model))) {
            const q = quiesce(model, a, (x) => INTERNAL.has(x.kind), busy);
            next.push(...q.quiet);
            hung.push(...q.stuck);
          }
        }
        states = next;
      }
    }
    return states;
  };
  // Signals and PTEs are what the processes see before they exit; an ending umount adds only kernel lines.
  const end = s.events.findIndex((e) => "umount" in e || "late_read" in e);
  const during = end < 0 ? s.events : s.events.slice(0, end);
  const teardown = end < 0 ? [] : s.events.slice(end);
  const outcomes = new Map<string, Observed>();
  const add = (o: Observed): void => void outcomes.set(JSON.stringify(o), o);
  for (const st of run(states, during)) {
    const seen = observe(model, st, order, poisoned, false);
    const after = teardown.length === 0 ? [st] : run([st], teardown);
    for (const t of after) add({ ...seen, kernel: observe(model, t, order, poisoned, false).kernel });
  }
  for (const st of hung) add(observe(model, st, order, poisoned, true));
  return { variant: variant.id, bounds, outcomes: [...outcomes.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

type DaxModel = ReturnType<typeof buildModel>;

/** The state after the first of `alternatives` that is enabled (a label list tried in order), or the state unchanged when none is. */
function apply(model: DaxModel, st: DaxState, alternatives: readonly (readonly string[])[]): DaxState[] {
  const candidates: DaxAction[] = [];
  model.actions(st, candidates);
  for (const labels of alternatives) {
    for (const label of labels) {
      const a = candidates.find((c) => model.actionLabel(c) === label);
      const next = a === undefined ? undefined : model.nextState(st, a);
      if (next !== undefined) return [next];
    }
  }
  return [st];
}

/** Scenario process i is model process order[i]: the model's early-kill processes come first. */
function modelOrder(s: Scenario): number[] {
  const early = s.procs.map((p, i) => [p, i] as const).filter(([p]) => p.kill === "early").map(([, i]) => i);
  const late = s.procs.map((p, i) => [p, i] as const).filter(([p]) => p.kill === "late").map(([, i]) => i);
  const order = new Array<number>(s.procs.length);
  [...early, ...late].forEach((scenarioIndex, modelIndex) => (order[scenarioIndex] = modelIndex));
  return order;
}

/** The bounds the scenario needs. */
export function boundsFor(s: Scenario): Bounds {
  const events = s.events;
  const methods = events.flatMap((e) => ("poison" in e ? [e.poison.method] : []));
  let via = 0;
  for (const m of methods) via |= m === "madvise" ? VIA.madvise : m === "media" ? VIA.media : VIA.corruptPfn;
  return {
    files: s.files.includes("B") ? 2 : 1,
    offsets: s.offsets,
    blocks: Math.min(8, s.offsets + 2),
    procs: s.procs.length,
    early: s.procs.filter((p) => p.kill === "early").length,
    pins: events.some((e) => "pin" in e) ? 1 : 0,
    poisons: Math.max(1, Math.min(3, methods.length)),
    cow: events.some((e) => "touch" in e && e.touch.mode === "write") ? 1 : 0,
    evict: events.some((e) => "unlink_close" in e || "umount" in e) ? 1 : 0,
    via: via === 0 ? VIA.media : via,
  };
}

/** munmap/mmap so each model process maps its scenario file (the model starts process i on file i mod files). */
function setupLabels(s: Scenario, order: readonly number[]): string[][] {
  const files = s.files.includes("B") ? 2 : 1;
  const out: string[][] = [];
  s.procs.forEach((p, i) => {
    const m = order[i];
    const initial = fileName(m % files);
    if (initial === p.maps) return;
    out.push([`munmap(${procName(m)},${initial})`], [`mmap(${procName(m)},${p.maps})`]);
  });
  return out.flat().map((l) => [l]);
}

/** An event as user actions one after another, each given as labels tried in order (it may depend on the state). */
function eventSteps(s: Scenario, order: readonly number[], e: ScenarioEvent): ((st: DaxState, model: DaxModel) => string[][])[] {
  if ("late_read" in e) {
    return s.procs.map((p, i) => () => [[`fault(${procName(order[i])},${p.maps}[${firstOffset(s, i)}])`]]);
  }
  if (!("umount" in e)) return [(st, model) => eventLabels(s, order, e, st, model)];
  const files = s.files.includes("B") ? ["A", "B"] : ["A"];
  const exits = s.procs.map((p, i) => () => [[`munmap(${procName(order[i])},${p.maps})`]]);
  const evicts = files.map((f) => () => [[`evict(${f})`]]);
  return [...exits, ...evicts];
}

/** The offset process i maps in the guest: the one it first touches or pins (0 when none). */
export function firstOffset(s: Scenario, i: number): number {
  for (const e of s.events) {
    if ("touch" in e && e.touch.proc === i) return e.touch.offset;
    if ("pin" in e && e.pin.proc === i) return e.pin.offset;
  }
  return 0;
}

/** The user action of an event, as labels tried in order. */
function eventLabels(s: Scenario, order: readonly number[], e: ScenarioEvent, st: DaxState, model: DaxModel): string[][] {
  const P = (i: number): string => procName(order[i]);
  const at = (i: number, offset: number): string => `${s.procs[i].maps}[${offset}]`;
  if ("clone" in e) return [[`reflink(${e.clone.src}->${e.clone.dst})`]];
  if ("touch" in e) {
    const slot = at(e.touch.proc, e.touch.offset);
    const p = P(e.touch.proc);
    return e.touch.mode === "read" ? [[`fault(${p},${slot})`]] : [[`cow_fault(${p},${slot})`, `alloc(${p},${slot})`, `fault(${p},${slot})`]];
  }
  if ("pin" in e) return [[`pin(${P(e.pin.proc)},${at(e.pin.proc, e.pin.offset)})`]];
  if ("truncate" in e) return [[`truncate_begin(${e.truncate})`]];
  if ("unlink_close" in e) return [[`evict(${e.unlink_close})`]];
  if ("umount" in e || "late_read" in e) return [];
  const { method, proc, file, offset } = e.poison;
  const slot = `${file}[${offset}]`;
  if (method === "madvise" && proc !== undefined) return [[`madvise(${P(proc)},${slot})`]];
  if (method === "media" && proc !== undefined) return [[`consume(${P(proc)},${slot})`]];
  const block = extentBlock(model, st, file, offset);
  if (block === undefined) return [];
  return [[method === "media" ? `scrub(${block})` : `inject(${block})`]];
}

/** The block an event poisons: the caller's PTE for madvise and a consumed error, else the extent's block (-1: none). */
function poisonedBlock(model: DaxModel, st: DaxState, order: readonly number[], p: Extract<ScenarioEvent, { poison: unknown }>["poison"]): number {
  const L = model.layout;
  const slot = L.slot(p.file.charCodeAt(0) - 65, p.offset);
  if (p.proc !== undefined && (p.method === "madvise" || p.method === "media")) return L.pteBlock(st, order[p.proc], slot);
  return st[L.bmap + slot] - 1;
}

/** The block file[offset]'s extent maps, as named in labels. */
function extentBlock(model: DaxModel, st: DaxState, file: string, offset: number): string | undefined {
  const L = model.layout;
  const f = file.charCodeAt(0) - 65;
  const b = st[L.bmap + L.slot(f, offset)];
  return b === 0 ? undefined : blockName(b - 1);
}

/** The observables of a state, in scenario process numbers. */
function observe(model: DaxModel, st: DaxState, order: readonly number[], poisoned: number | undefined, hung: boolean): Observed {
  const L = model.layout;
  const signals: string[] = [];
  const keepsPte: number[] = [];
  order.forEach((m, i) => {
    if (st[L.sigAR + m] !== 0) signals.push(`${i} AR`);
    if (st[L.sigAO + m] !== 0) signals.push(`${i} AO`);
    if (st[L.sigKill + m] !== 0) signals.push(`${i} KILL`);
    if (poisoned === undefined) return;
    for (let slot = 0; slot < L.slots; slot++) {
      if (L.pteBlock(st, m, slot) === poisoned) {
        keepsPte.push(i);
        break;
      }
    }
  });
  const out = st[L.outcome];
  const kernel: string[] = [];
  if (out & OUT.warnAssociate) kernel.push("WARN associate");
  if (out & OUT.warnDisassociate) kernel.push("WARN disassociate");
  if (out & OUT.warnTruncateBusy) kernel.push("WARN truncate-busy");
  if (out & OUT.oops) kernel.push("OOPS");
  if (out & OUT.fsShutdown) kernel.push("SHUTDOWN");
  return { signals: signals.sort(), keepsPte: keepsPte.sort(), kernel: kernel.sort(), hung };
}
