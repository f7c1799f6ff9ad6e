/** What every step needs: the variant, the bounds and the state layout, plus helpers shared by steps. */
import type { Bounds } from "./bounds.js";
import { disassociate } from "./page-owner.js";
import { type DaxState, FAULT, type Layout, OUT } from "./state.js";
import type { Variant } from "./variants.js";

/** The fixed parameters of one model instance. */
export interface Ctx {
  readonly v: Variant;
  readonly b: Bounds;
  readonly L: Layout;
}

/** Whether collect_procs collects p for the memory_failure in flight: every task in 4.19, else early-kill tasks and `current` (task_early_kill). */
export function collects({ v, b, L }: Ctx, t: DaxState, p: number): boolean {
  return v.collectsEveryTask || (v.collectsEarlyKill && p < b.early) || p === t[L.mfConsumer] - 1;
}

/** Whether the kernel promises p a signal for the memory_failure in flight (what `poison_reaches_every_mapping` checks): as `collects`, whatever a seeded bug turned off. */
export function owed({ v, b, L }: Ctx, t: DaxState, p: number): boolean {
  return v.collectsEveryTask || p < b.early || p === t[L.mfConsumer] - 1;
}

/** unmap_mapping_range() over one (file, offset): every process's PTE there is zapped. */
export function zapSlot(L: Layout, s: DaxState, slot: number): void {
  for (let p = 0; p < L.procs; p++) L.setPte(s, p, slot, -1);
}

/** unmap_mapping_range() over a whole file. */
export function zapFile(L: Layout, s: DaxState, f: number): void {
  for (let o = 0; o < L.offsets; o++) zapSlot(L, s, L.slot(f, o));
}

/** dax_delete_mapping_entry(): disassociate the entry's page and remove the entry. */
export function deleteEntry(c: Ctx, s: DaxState, slot: number, trunc: boolean): void {
  const e = c.L.entryBlock(s, slot);
  if (e < 0) return;
  disassociate(c.v, c.L, s, e, c.L.fileOf(slot), trunc);
  s[c.L.entry + slot] = 0;
}

/** Whether a block is in the CoW fork of an in-flight copy-on-write fault (rmap owner XFS_RMAP_OWN_COW). */
export function isCowStaging(L: Layout, s: DaxState, block: number): boolean {
  for (let p = 0; p < L.procs; p++) {
    const phase = s[L.faultPhase + p];
    if ((phase === FAULT.cowMapped || phase === FAULT.cowFailed) && s[L.faultBlock + p] === block + 1) return true;
  }
  return false;
}

/** A block the allocator may hand out: no extent and no CoW fork holds it. */
export function isFree(L: Layout, s: DaxState, block: number): boolean {
  return L.refcount(s, block) === 0 && !isCowStaging(L, s, block);
}

/** After a block lost an extent: free it if nothing else holds it, noting a page still pinned for DMA. */
export function releaseBlock(L: Layout, s: DaxState, block: number): void {
  if (block < 0 || !isFree(L, s, block)) return;
  if (s[L.pagePins + block] > 0) s[L.outcome] |= OUT.freedPinned;
}

/**
 * Whether a truncate (IOLOCK and MMAPLOCK exclusive) or a fault (MMAPLOCK shared, held around the
 * whole of dax_iomap_fault: 6.12.117 fs/xfs/xfs_file.c:1436-1438, :1461-1470) holds file f's
 * locks, so that truncate, reflink (xfs_ilock2_io_mmap) and eviction wait.
 */
export function fileBusy(L: Layout, s: DaxState, f: number): boolean {
  return s[L.truncFile] === f + 1 || L.faultingFile(s, f);
}

/** Whether some process has file f mmapped (mapping_mapped()). */
export function fileMapped(L: Layout, s: DaxState, f: number): boolean {
  for (let p = 0; p < L.procs; p++) if ((s[L.vmas + p] & (1 << f)) !== 0) return true;
  return false;
}

/**
 * xfs_break_dax_layouts() -> dax_layout_busy_page(): before 6.15 it returns at once when no
 * process maps the file (`busyScanSkipsUnmapped`: mapping_mapped(), 6.1.192 fs/dax.c:701), so
 * nothing is waited for; otherwise every PTE of the file is zapped and it waits for locked
 * entries and pinned pages. Returns false while it would wait; zaps `t` when it goes through.
 */
export function breakLayouts(c: Ctx, s: DaxState, t: DaxState, f: number): boolean {
  const { v, L } = c;
  if (v.busyScanSkipsUnmapped && !fileMapped(L, s, f)) return true;
  if (layoutBusy(c, s, f)) return false;
  zapFile(L, t, f);
  if (v.breakLayoutsDeletesEntries) {
    for (let o = 0; o < L.offsets; o++) if (!L.entryLocked(s, L.slot(f, o))) deleteEntry(c, t, L.slot(f, o), true);
  }
  return true;
}

/**
 * dax_layout_busy_page_range()'s scan, entry by entry: a locked entry is waited for, then its
 * page checked for an extra reference (dax_busy_page; a DMA pin). With 6.15's
 * `busyScanSkipsLockedEntries` (6be3e21d25ca, fixed by dd59137bfe70 in 6.16-rc1)
 * get_unlocked_entry() returns the next present entry instead, so the locked entry's page is
 * never checked. The scan is one step here: the xarray lock it drops between entries lets other
 * operations in, which the model does not interleave.
 */
export function layoutBusy({ v, L }: Ctx, s: DaxState, f: number): boolean {
  for (let o = 0; o < L.offsets; o++) {
    const slot = L.slot(f, o);
    if (L.entryLocked(s, slot)) {
      if (v.busyScanSkipsLockedEntries) continue;
      return true;
    }
    const e = L.entryBlock(s, slot);
    if (e >= 0 && s[L.pagePins + e] > 0) return true;
  }
  return false;
}

/** Whether any entry of file f is locked by an in-flight operation. */
export function entriesLocked(L: Layout, s: DaxState, f: number): boolean {
  for (let o = 0; o < L.offsets; o++) if (L.entryLocked(s, L.slot(f, o))) return true;
  return false;
}

/** Whether file f's extent map has any block. */
export function hasBlocks(L: Layout, s: DaxState, f: number): boolean {
  for (let o = 0; o < L.offsets; o++) if (L.bmapBlock(s, L.slot(f, o)) >= 0) return true;
  return false;
}
