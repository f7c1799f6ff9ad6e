/**
 * Who holds which lock and who waits for which: the wait-for graph behind `no_deadlock` and
 * `operation_waits_on_another`. The locks that in-flight operations hold across steps are the
 * DAX entry locks (a fault from grab_mapping_entry to dax_unlock_entry; memory_failure from
 * dax_lock_page/dax_lock_folio to the unlock) and the AGF buffer lock (memory_failure's rmap
 * walk, fs/xfs/xfs_notify_failure.c:273-299 in 6.12.117). Every other step takes and drops what
 * it needs within the step. The step functions wait on exactly the locks listed here.
 */
import type { Ctx } from "./context.js";
import { type DaxState, FAULT, type Layout, MAPPING_NONE, MAPPING_SHARED, MF, TRUNC } from "./state.js";

/**
 * Whether the next step of process p's fault needs the AGF (the step then waits while another
 * operation holds it):
 * - a non-allocating fault's iomap_begin on a reflink-flagged inode: 6.12.117
 *   fs/xfs/xfs_iomap.c:1299-1300 (xfs_read_iomap_begin) -> xfs_reflink_trim_around_shared
 *   (fs/xfs/xfs_reflink.c:169-194) -> xfs_reflink_find_shared -> xfs_alloc_read_agf (:143), where
 *   the variant says reads do (`readFaultTakesAgf`); a write fault always does on such an inode
 *   (imap_needs_cow, fs/xfs/xfs_iomap.c:700-718 -> xfs_reflink_allocate_cow :832-834 -> trim);
 * - an allocating write: xfs_iomap_write_direct -> xfs_bmapi_write (allocation), or
 *   xfs_reflink_allocate_cow -> xfs_reflink_fill_cow_hole (CoW staging), under the entry lock;
 * - a CoW fault's iomap_end: xfs_dax_write_iomap_end -> xfs_reflink_end_cow (:932-949, the remap
 *   commits refcount and rmap intents), or after a failed copy xfs_reflink_cancel_cow_range
 *   (:945-946, frees the staging blocks).
 * A shared extent belongs only to reflink-flagged inodes (FICLONE flags both, xfs_reflink.c:1537).
 */
export function faultNeedsAgf({ v, L }: Ctx, s: DaxState, p: number): boolean {
  const phase = s[L.faultPhase + p];
  if (phase === FAULT.none) return false;
  if (phase === FAULT.cowMapped || phase === FAULT.cowFailed) return true;
  const slot = s[L.faultSlot + p] - 1;
  const reflinked = L.isReflinked(s, L.fileOf(slot));
  if (phase === FAULT.readLocked) return v.readFaultTakesAgf && reflinked;
  return L.bmapBlock(s, slot) < 0 || reflinked;
}

/** Node ids of the wait-for graph: process p's fault is p, memory_failure is procs, truncate is procs + 1. */
const mfNode = (L: Layout): number => L.procs;
const truncNode = (L: Layout): number => L.procs + 1;

/**
 * The operation holding the entry lock of a slot, or -1. A lock left held for ever by
 * memory_failure's unlock (`leakedLocks`) has no holder: waiting on it is no edge of the graph,
 * the wait just never ends (`no_leaked_entry_lock` reports the leak itself).
 */
function entryHolder(L: Layout, s: DaxState, slot: number): number {
  if (s[L.mfLocked] === slot + 1) return mfNode(L);
  for (let p = 0; p < L.procs; p++) if (L.faultSlotOf(s, p) === slot) return p;
  return -1;
}

/** The operation holding the AGF buffer lock across steps, or -1. */
function agfHolder(L: Layout, s: DaxState): number {
  return L.agfHeld(s) ? mfNode(L) : -1;
}

/**
 * The wait-for graph: out[n] is a bitmask of the operations whose locks operation n's next step
 * waits for. Faults wait as `faultNeedsAgf` says; memory_failure waits in dax_lock_page /
 * dax_lock_folio on the entry at ->index, in mf_dax_kill_procs -> dax_lock_mapping_entry on the
 * next rmap owner's entry (fs/dax.c:505-510: even an empty locked entry), and for the AGF when it
 * queries; truncate waits for the file's locked entries (dax_delete_mapping_entry) and for the
 * AGF (xfs_itruncate_extents).
 */
export function waitsFor(c: Ctx, s: DaxState): number[] {
  const out = new Array<number>(c.L.procs + 2);
  fillWaits(c, s, out);
  return out;
}

/** `waitsFor` written into `out` (procs + 2 entries), allocating nothing: the invariants ask it of every state. */
function fillWaits(c: Ctx, s: DaxState, out: number[]): void {
  const { L } = c;
  for (let n = 0; n < out.length; n++) out[n] = 0;
  const agf = agfHolder(L, s);
  // A fault's wait for the AGF is an edge only while an operation holds it.
  if (agf >= 0) for (let p = 0; p < L.procs; p++) if (faultNeedsAgf(c, s, p)) addEdge(out, p, agf);
  const M = mfNode(L);
  switch (s[L.mfPhase]) {
    case MF.lockPage: {
      const b = s[L.mfBlock] - 1;
      const m = s[L.pageMapping + b];
      const locksEntry = c.v.lookup === "page-mapping" && m !== MAPPING_NONE && m !== MAPPING_SHARED && L.isAlive(s, m - 1);
      if (locksEntry) addEdge(out, M, entryHolder(L, s, L.indexedSlot(s, b)));
      break;
    }
    case MF.lockWait: addEdge(out, M, entryHolder(L, s, s[L.mfWait] - 1)); break;
    case MF.queryRmap: addEdge(out, M, agf); break;
    case MF.killOwners: addEdge(out, M, entryHolder(L, s, L.nextOwner(s))); break;
  }
  const T = truncNode(L);
  if (s[L.truncPhase] === TRUNC.deleteEntries) {
    const f = s[L.truncFile] - 1;
    for (let o = 0; o < L.offsets; o++) addEdge(out, T, entryHolder(L, s, L.slot(f, o)));
  } else if (s[L.truncPhase] === TRUNC.freeBlocks) {
    addEdge(out, T, agf);
  }
}

/** Operation `from` waits for operation `to` (none when -1, or itself). */
function addEdge(out: number[], from: number, to: number): void {
  if (to >= 0 && to !== from) out[from] |= 1 << to;
}

/** The graph the invariants fill, one per number of processes: they run once per state, one at a time. */
const scratch: number[][] = [];

/** `waitsFor` into a graph reused from call to call: valid until the next call. */
function waitsForScratch(c: Ctx, s: DaxState): number[] {
  const n = c.L.procs + 2;
  const out = (scratch[n] ??= new Array<number>(n));
  fillWaits(c, s, out);
  return out;
}

/** Whether some in-flight operation waits for a lock another one holds. */
export function someoneWaits(c: Ctx, s: DaxState): boolean {
  if (c.L.oopsed(s)) return false;
  const out = waitsForScratch(c, s);
  for (let n = 0; n < out.length; n++) if (out[n] !== 0) return true;
  return false;
}

/** How many operations are in flight: faults, memory_failure, truncate (the nodes of the wait-for graph that can wait). */
function inFlightCount(L: Layout, s: DaxState): number {
  let n = (s[L.mfPhase] !== MF.none ? 1 : 0) + (s[L.truncPhase] !== TRUNC.none ? 1 : 0);
  for (let p = 0; p < L.procs; p++) if (s[L.faultPhase + p] !== FAULT.none) n++;
  return n;
}

/** Whether the wait-for graph has a cycle: those operations sleep on each other for ever. */
export function waitCycle(c: Ctx, s: DaxState): boolean {
  // A cycle needs two operations in flight, each waiting: most states have fewer.
  if (inFlightCount(c.L, s) < 2) return false;
  const out = waitsForScratch(c, s);
  for (let start = 0; start < out.length; start++) {
    let seen = 0;
    let frontier = out[start];
    while (frontier !== 0) {
      if ((frontier & (1 << start)) !== 0) return true;
      seen |= frontier;
      let next = 0;
      for (let n = 0; n < out.length; n++) if ((frontier & (1 << n)) !== 0) next |= out[n];
      frontier = next & ~seen;
    }
  }
  return false;
}
