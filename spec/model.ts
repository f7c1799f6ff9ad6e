/** The DAX model for one variant and one set of bounds, as the engine's Model contract. */
import type { Encoder } from "../src/core/encoder.js";
import type { Model } from "../src/core/model.js";
import { ACTION_KINDS, type ActionKind, type DaxAction, actionLabel, candidateActions, describeAction, kindIndex } from "./actions.js";
import type { Bounds } from "./bounds.js";
import type { Ctx } from "./context.js";
import { ars, consume, inject, madvise, mfKill, mfKillOwner, mfLock, mfQueryRmap, mfUnlock, scrub } from "./failure-steps.js";
import { evict, inodegc, reflink, reflinkRange, truncateBegin, truncateDelete, truncateFree } from "./fs-steps.js";
import { properties } from "./invariants.js";
import { alloc, allocMap, cowAlloc, cowEnd, cowFault, fault, faultMap, mmap, munmap, pin, unpin } from "./process-steps.js";
import { type DaxState, FAULT, Layout, MF, TRUNC, VIA, copyNextInto, copyState } from "./state.js";
import type { Variant } from "./variants.js";
import { daxIndependence } from "./independence.js";
import { CandidateFacts } from "./candidate-facts.js";
import { KeyTable } from "./key-table.js";
import { daxSymmetry } from "./symmetry.js";
import { viewState } from "./view.js";

/** The successor of `s` under `a`, or undefined when `a` is not enabled. */
function step(c: Ctx, s: DaxState, a: DaxAction): DaxState | undefined {
  switch (a.kind) {
    case "mmap": return mmap(c, s, a.proc, a.file);
    case "munmap": return munmap(c, s, a.proc, a.file);
    case "fault": return fault(c, s, a.proc, a.slot);
    case "alloc": return alloc(c, s, a.proc, a.slot);
    case "cow_fault": return cowFault(c, s, a.proc, a.slot);
    case "fault_map": return faultMap(c, s, a.proc);
    case "alloc_map": return allocMap(c, s, a.proc, a.block);
    case "cow_alloc": return cowAlloc(c, s, a.proc, a.block);
    case "cow_end": return cowEnd(c, s, a.proc);
    case "pin": return pin(c, s, a.proc, a.slot);
    case "unpin": return unpin(c, s, a.block);
    case "reflink": return reflink(c, s, a.src, a.dst);
    case "truncate_begin": return truncateBegin(c, s, a.file);
    case "truncate_delete": return truncateDelete(c, s);
    case "truncate_free": return truncateFree(c, s);
    case "evict": return evict(c, s, a.file);
    case "scrub": return scrub(c, s, a.block);
    case "consume": return consume(c, s, a.proc, a.slot);
    case "mf_lock": return mfLock(c, s);
    case "mf_kill": return mfKill(c, s);
    case "mf_unlock": return mfUnlock(c, s);
    case "mf_query_rmap": return mfQueryRmap(c, s);
    case "mf_kill_owner": return mfKillOwner(c, s);
    case "reflink_range": return reflinkRange(c, s, a.file, a.src, a.dst);
    case "inodegc": return inodegc(c, s, a.file);
    case "madvise": return madvise(c, s, a.proc, a.slot);
    case "inject": return inject(c, s, a.block);
    case "ars": return ars(c, s, a.block);
    default: {
      const never: never = a;
      return never;
    }
  }
}

/** Whether each action kind can ever be enabled in a variant and bounds; kinds that cannot are not listed at all. */
const POSSIBLE: { readonly [K in ActionKind]: (c: Ctx) => boolean } = {
  mmap: () => true,
  munmap: () => true,
  fault: () => true,
  alloc: () => true,
  cow_fault: ({ v, b }) => v.daxCow && b.cow === 1,
  fault_map: () => true,
  alloc_map: () => true,
  cow_alloc: ({ v, b }) => v.daxCow && b.cow === 1,
  cow_end: ({ v, b }) => v.daxCow && b.cow === 1,
  pin: ({ b }) => b.pins > 0,
  unpin: ({ b }) => b.pins > 0,
  reflink: ({ v }) => v.reflink,
  truncate_begin: () => true,
  truncate_delete: () => true,
  truncate_free: () => true,
  evict: ({ b }) => b.evict === 1,
  scrub: ({ b }) => b.poisons > 0 && (b.via & VIA.media) !== 0,
  consume: ({ b }) => b.poisons > 0 && (b.via & VIA.media) !== 0,
  mf_lock: ({ v, b }) => v.lookup !== "rmap" && b.poisons > 0,
  mf_kill: ({ v, b }) => v.lookup === "page-mapping" && b.poisons > 0,
  mf_unlock: ({ v, b }) => v.lookup === "page-mapping" && b.poisons > 0,
  mf_query_rmap: ({ v, b }) => v.lookup === "rmap" && b.poisons > 0,
  mf_kill_owner: ({ v, b }) => v.lookup === "rmap" && b.poisons > 0,
  reflink_range: ({ v, b }) => v.reflink && b.offsets > 1,
  inodegc: ({ b }) => b.evict === 1,
  madvise: ({ b }) => b.poisons > 0 && (b.via & VIA.madvise) !== 0,
  inject: ({ b }) => b.poisons > 0 && (b.via & VIA.corruptPfn) !== 0,
  ars: ({ b }) => b.poisons > 0 && (b.via & VIA.ars) !== 0,
};

/** The gate of a kind no look at the state rules out. */
function OPEN(): boolean {
  return true;
}

/**
 * A cheap look at the state that rules a whole kind out: each gate mirrors a guard of the step
 * itself, so listing fewer candidates never changes the enabled set. A gate reads only the bytes
 * a list key holds (`CandidateLists`: mfPhase, truncPhase, poisonsLeft, inactive, faultPhase),
 * since it is evaluated once per key. A mapped type, so a new kind cannot be forgotten.
 */
const GATES: { readonly [K in ActionKind]: (L: Layout, s: DaxState) => boolean } = {
  mmap: OPEN,
  munmap: OPEN,
  fault: OPEN,
  alloc: OPEN,
  cow_fault: OPEN,
  fault_map: (L, s) => someFaultIn(L, s, FAULT.readLocked) || someFaultIn(L, s, FAULT.writeLocked),
  alloc_map: (L, s) => s[L.mfPhase] !== MF.killOwners && someFaultIn(L, s, FAULT.writeLocked),
  cow_alloc: (L, s) => s[L.mfPhase] !== MF.killOwners && someFaultIn(L, s, FAULT.writeLocked),
  cow_end: (L, s) => s[L.mfPhase] !== MF.killOwners && (someFaultIn(L, s, FAULT.cowMapped) || someFaultIn(L, s, FAULT.cowFailed)),
  pin: OPEN,
  unpin: OPEN,
  reflink: OPEN,
  truncate_begin: (L, s) => s[L.truncPhase] === TRUNC.none,
  truncate_delete: (L, s) => s[L.truncPhase] === TRUNC.deleteEntries,
  truncate_free: (L, s) => s[L.truncPhase] === TRUNC.freeBlocks,
  evict: OPEN,
  scrub: (L, s) => s[L.mfPhase] === MF.none && s[L.poisonsLeft] > 0,
  consume: (L, s) => s[L.mfPhase] === MF.none && s[L.poisonsLeft] > 0,
  mf_lock: (L, s) => s[L.mfPhase] === MF.lockPage || s[L.mfPhase] === MF.lockWait,
  mf_kill: (L, s) => s[L.mfPhase] === MF.killByMapping,
  mf_unlock: (L, s) => s[L.mfPhase] === MF.unlockPage,
  mf_query_rmap: (L, s) => s[L.mfPhase] === MF.queryRmap,
  mf_kill_owner: (L, s) => s[L.mfPhase] === MF.killOwners,
  reflink_range: OPEN,
  inodegc: (L, s) => s[L.inactive] !== 0,
  madvise: (L, s) => s[L.mfPhase] === MF.none && s[L.poisonsLeft] > 0,
  inject: (L, s) => s[L.mfPhase] === MF.none && s[L.poisonsLeft] > 0,
  ars: (L, s) => s[L.poisonsLeft] > 0,
};

/** Whether some process's fault is in a phase. */
function someFaultIn(L: Layout, s: DaxState, phase: number): boolean {
  for (let p = 0; p < L.procs; p++) if (s[L.faultPhase + p] === phase) return true;
  return false;
}

/** The candidates of one kind, with its gate. */
interface CandidateGroup {
  readonly gate: (L: Layout, s: DaxState) => boolean;
  readonly list: readonly DaxAction[];
}

/** The candidates of each kind that can occur in this model, in ACTION_KINDS order. */
function candidateGroups(c: Ctx): readonly CandidateGroup[] {
  const all = candidateActions(c.L);
  return ACTION_KINDS.filter((k) => POSSIBLE[k](c)).map((k) => ({ gate: GATES[k], list: all.filter((a) => a.kind === k) }));
}

/**
 * Which fault phases of its own process leave a process's step possibly enabled, each the first
 * test of the step: mmap, munmap and the starts of a fault wait while the process is inside a
 * fault (`inFault`, `lockEntry`); the later steps of a fault run in one phase each (`faultMap`,
 * `allocMap`, `cowAlloc`, `cowEnd`). A kind not listed is not gated by its process's phase.
 */
const PHASE_GATES: Readonly<Partial<Record<ActionKind, readonly number[]>>> = {
  mmap: [FAULT.none],
  munmap: [FAULT.none],
  fault: [FAULT.none],
  alloc: [FAULT.none],
  cow_fault: [FAULT.none],
  fault_map: [FAULT.readLocked, FAULT.writeLocked],
  alloc_map: [FAULT.writeLocked],
  cow_alloc: [FAULT.writeLocked],
  cow_end: [FAULT.cowMapped, FAULT.cowFailed],
};

/**
 * A candidate with what `build` tests of it: the state byte of its process's fault phase (-1: not
 * gated by it) with the phases that allow it as bits, and the facts bits it needs set and clear.
 */
interface TestedCandidate {
  readonly action: DaxAction;
  readonly phaseAt: number;
  readonly phases: number;
  readonly set: number;
  readonly clear: number;
}

/** Bits of a list key per process: its fault phase (FAULT.none to FAULT.cowFailed). */
const PHASE_BITS = 3;
/** Bits of a list key for memory_failure's phase (MF), truncate's phase (TRUNC) and the poison events left (at most 3). */
const MF_BITS = 3;
const TRUNC_BITS = 2;
const POISON_BITS = 2;
/** Most bits of a list key: a small integer, which KeyTable stores as key + 1 in an Int32Array. */
const KEY_BITS = 30;

/**
 * A state's candidates in the fixed ACTION_KINDS order, skipping kinds whose gate rules them out,
 * process steps their process's fault phase rules out, and candidates the state's facts rule out
 * (candidate-facts.ts): one list per key, built the first time that key is met and then shared,
 * so listing a state's candidates reads a few bytes, looks one key up and copies nothing. The key holds every byte
 * a gate reads (memory_failure's and truncate's phases, the poison events left, the inactive
 * inodes, each process's fault phase) and the facts: states with one key have the same gates
 * open, so the gates are evaluated once per key, on the first state met with it.
 */
class CandidateLists {
  private readonly byKey = new KeyTable<readonly DaxAction[]>();
  private readonly facts: CandidateFacts;
  /** Where the fault phases, then the facts, start in a key. */
  private readonly phasesAt: number;
  private readonly factsAt: number;
  /** The groups, each candidate with its tests worked out once: `build` runs for every new key, thousands of times in the first states. */
  private readonly tested: readonly { readonly gate: CandidateGroup["gate"]; readonly candidates: readonly TestedCandidate[] }[];

  constructor(
    private readonly L: Layout,
    groups: readonly CandidateGroup[],
  ) {
    this.phasesAt = MF_BITS + TRUNC_BITS + POISON_BITS + L.files;
    this.factsAt = this.phasesAt + PHASE_BITS * L.procs;
    if (this.factsAt > KEY_BITS) throw new RangeError(`candidate lists: keys of ${this.factsAt} bits, at most ${KEY_BITS}`);
    this.facts = new CandidateFacts(L, KEY_BITS - this.factsAt);
    this.tested = groups.map((g) => ({ gate: g.gate, candidates: g.list.map((a) => this.tests(a)) }));
  }

  /** What `build` tests of candidate `a`: PHASE_GATES as a mask of phases over its process's phase byte, and its facts masks. */
  private tests(a: DaxAction): TestedCandidate {
    const phases = PHASE_GATES[a.kind];
    const { set, clear } = this.facts.masks(a);
    if (phases === undefined) return { action: a, phaseAt: -1, phases: 0, set, clear };
    const mask = phases.reduce((m, phase) => m | (1 << phase), 0);
    return { action: a, phaseAt: this.L.faultPhase + (a as { readonly proc: number }).proc, phases: mask, set, clear };
  }

  /** The candidates of `s`. */
  of(s: DaxState): readonly DaxAction[] {
    const { L } = this;
    let key = s[L.mfPhase] | (s[L.truncPhase] << MF_BITS) | (s[L.poisonsLeft] << (MF_BITS + TRUNC_BITS)) | (s[L.inactive] << (MF_BITS + TRUNC_BITS + POISON_BITS));
    for (let p = 0; p < L.procs; p++) key |= s[L.faultPhase + p] << (this.phasesAt + PHASE_BITS * p);
    key |= this.facts.key(s) << this.factsAt;
    return this.byKey.get(key) ?? this.build(key, s);
  }

  /** The list for `key`, from `s`, the first state met with it; kept for the next state with the same key. */
  private build(key: number, s: DaxState): readonly DaxAction[] {
    const { L } = this;
    const facts = key >>> this.factsAt;
    const list: DaxAction[] = [];
    for (const group of this.tested) {
      if (!group.gate(L, s)) continue;
      for (const c of group.candidates) {
        if (c.phaseAt >= 0 && ((c.phases >>> s[c.phaseAt]) & 1) === 0) continue;
        if ((facts & c.set) === c.set && (facts & c.clear) === 0) list.push(c.action);
      }
    }
    this.byKey.add(key, list);
    return list;
  }
}

/** The initial state: file A holds data in blocks p1.. at every offset (written with write(2), so no DAX entry yet); every file exists; process i has file (i mod files) mmapped. */
export function initialState(L: Layout, b: Bounds): DaxState {
  const s = new Uint8Array(L.size);
  s[L.alive] = (1 << L.files) - 1;
  for (let o = 0; o < L.offsets; o++) s[L.bmap + L.slot(0, o)] = o + 1;
  for (let p = 0; p < L.procs; p++) s[L.vmas + p] = 1 << (p % L.files);
  s[L.poisonsLeft] = b.poisons;
  return s;
}

/** Builds the model of one variant at one set of bounds. */
export function buildModel(v: Variant, b: Bounds): Model<DaxState, DaxAction> & { readonly layout: Layout } {
  const L = new Layout(b);
  const c: Ctx = { v, b, L };
  const lists = new CandidateLists(L, candidateGroups(c));
  const none: readonly DaxAction[] = [];
  /** A state's candidates: none once the kernel oopsed. */
  const listOf = (s: DaxState): readonly DaxAction[] => (L.oopsed(s) ? none : lists.of(s));
  const init = initialState(L, b);
  return {
    layout: L,
    initStates: () => [init],
    actions(s, out) {
      out.push(...listOf(s));
    },
    actionList: listOf,
    nextState: (s, a) => step(c, s, a),
    nextStateInto(s, a, reuse) {
      copyNextInto(reuse);
      try {
        const t = step(c, s, a);
        if (t === undefined) return false;
        // A step that copied twice, or returned its state as it was.
        if (t !== reuse) reuse.set(t);
        return true;
      } finally {
        copyNextInto(undefined);
      }
    },
    encode: (s: DaxState, out: Encoder) => out.bytes(s),
    decode: (bytes) => copyState(bytes),
    decodeShared: (bytes) => bytes,
    ownEncoding: (s) => s,
    properties: properties(c),
    symmetry: daxSymmetry(L, b),
    independence: daxIndependence(L),
    actionLabel: (a) => actionLabel(L, a),
    actionKind: kindIndex,
    actionKinds: ACTION_KINDS,
    view: (s) => viewState(c, s),
    describeAction: (a) => describeAction(L, a),
  };
}
