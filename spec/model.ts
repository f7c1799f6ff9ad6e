/** The DAX model for one variant and one set of bounds, as the engine's Model contract. */
import type { Encoder } from "../src/core/encoder.js";
import type { Model } from "../src/core/model.js";
import { ACTION_KINDS, type DaxAction, actionLabel, candidateActions, describeAction, kindIndex } from "./actions.js";
import type { Bounds } from "./bounds.js";
import type { Ctx } from "./context.js";
import { consume, mfKill, mfKillOwner, mfLock, mfQueryRmap, scrub } from "./failure-steps.js";
import { evict, reflink, truncateBegin, truncateDelete, truncateFree } from "./fs-steps.js";
import { properties } from "./invariants.js";
import { alloc, cowEnd, cowFault, fault, mmap, munmap, pin, unpin } from "./process-steps.js";
import { type DaxState, Layout, MF, TRUNC } from "./state.js";
import type { Variant } from "./variants.js";
import { viewState } from "./view.js";

/** The successor of `s` under `a`, or undefined when `a` is not enabled. */
function step(c: Ctx, s: DaxState, a: DaxAction): DaxState | undefined {
  switch (a.kind) {
    case "mmap": return mmap(c, s, a.proc, a.file);
    case "munmap": return munmap(c, s, a.proc, a.file);
    case "fault": return fault(c, s, a.proc, a.slot);
    case "alloc": return alloc(c, s, a.proc, a.slot, a.block);
    case "cow_fault": return cowFault(c, s, a.proc, a.slot, a.block);
    case "cow_end": return cowEnd(c, s);
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
    case "mf_query_rmap": return mfQueryRmap(c, s);
    case "mf_kill_owner": return mfKillOwner(c, s);
    default: {
      const never: never = a;
      return never;
    }
  }
}

/** Whether an action kind can ever be enabled in this variant and bounds (the others are not listed). */
function possible({ v, b }: Ctx, a: DaxAction): boolean {
  switch (a.kind) {
    case "cow_fault": case "cow_end": return v.daxCow && b.cow === 1;
    case "reflink": return v.reflink;
    case "evict": return b.evict === 1;
    case "pin": case "unpin": return b.pins > 0;
    case "scrub": case "consume": return b.poisons > 0;
    case "mf_lock": case "mf_kill": return v.lookup === "page-mapping" && b.poisons > 0;
    case "mf_query_rmap": case "mf_kill_owner": return v.lookup === "rmap" && b.poisons > 0;
    default: return true;
  }
}

/** Candidate actions grouped by kind, so `actions` can skip whole kinds that a cheap look at the state rules out. */
type Groups = Readonly<Record<DaxAction["kind"], readonly DaxAction[]>>;

function groupByKind(candidates: readonly DaxAction[]): Groups {
  const groups = Object.fromEntries(ACTION_KINDS.map((k) => [k, [] as DaxAction[]]));
  for (const a of candidates) groups[a.kind].push(a);
  return groups as unknown as Groups;
}

/**
 * Lists the candidates of `s` in the fixed ACTION_KINDS order, leaving out kinds that cannot be
 * enabled here (each skip mirrors a guard of the step itself, so the enabled set is unchanged).
 */
function listActions(L: Layout, g: Groups, s: DaxState, out: DaxAction[]): void {
  const push = (list: readonly DaxAction[]): void => {
    for (let i = 0; i < list.length; i++) out.push(list[i]);
  };
  const mf = s[L.mfPhase];
  const cow = s[L.cowSlot] !== 0;
  const trunc = s[L.truncPhase];
  push(g.mmap);
  push(g.munmap);
  push(g.fault);
  if (mf !== MF.killOwners) push(g.alloc);
  if (!cow && mf !== MF.killOwners) push(g.cow_fault);
  if (cow) push(g.cow_end);
  push(g.pin);
  push(g.unpin);
  push(g.reflink);
  if (trunc === TRUNC.none) push(g.truncate_begin);
  if (trunc === TRUNC.deleteEntries) push(g.truncate_delete);
  if (trunc === TRUNC.freeBlocks) push(g.truncate_free);
  push(g.evict);
  if (mf === MF.none && s[L.poisonsLeft] > 0) {
    push(g.scrub);
    push(g.consume);
  }
  if (mf === MF.lockPage) push(g.mf_lock);
  if (mf === MF.killByMapping) push(g.mf_kill);
  if (mf === MF.queryRmap) push(g.mf_query_rmap);
  if (mf === MF.killOwners) push(g.mf_kill_owner);
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
  const groups = groupByKind(candidateActions(L).filter((a) => possible(c, a)));
  const init = initialState(L, b);
  return {
    layout: L,
    initStates: () => [init],
    actions(s, out) {
      if (!L.oopsed(s)) listActions(L, groups, s, out);
    },
    nextState: (s, a) => step(c, s, a),
    encode: (s: DaxState, out: Encoder) => out.bytes(s),
    decode: (bytes) => bytes.slice(),
    properties: properties(c),
    actionLabel: (a) => actionLabel(L, a),
    actionKind: kindIndex,
    actionKinds: ACTION_KINDS,
    view: (s) => viewState(c, s),
    describeAction: (a) => describeAction(L, a),
  };
}
