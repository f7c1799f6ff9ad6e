/**
 * What the filesystem does: FICLONE (reflink), truncate in three phases, and eviction of an
 * unlinked file. Each function returns the successor or undefined when not enabled.
 */
import {
  type Ctx, breakLayouts, deleteEntry, entriesLocked, fileBusy, fileMapped, hasBlocks, layoutBusy, releaseBlock, zapFile, zapSlot,
} from "./context.js";
import { copyState, type DaxState, TRUNC } from "./state.js";

/**
 * FICLONE src -> dst (xfs_reflink_remap_range): refused for DAX files in 4.18 ("Don't share DAX
 * file data for now"). Where allowed, xfs_reflink_remap_prep -> xfs_ilock2_io_mmap breaks the DAX
 * layouts of both files (xfs_mmaplock_two_inodes_and_break_dax_layout), then
 * xfs_flush_unmap_range -> truncate_pagecache_range deletes the destination's DAX entries
 * (trunc=true); each destination extent then points at the source's block and its old block
 * loses a reference. The source's entries and page->mapping stay (6.12.117 fs/xfs/xfs_reflink.c:1500-1550).
 * Both inodes get XFS_DIFLAG2_REFLINK (xfs_reflink_set_inode_flag, :1031-1082, called at :1537).
 * Faults of either file hold its MMAPLOCK shared, so reflink waits for them (`fileBusy`).
 */
export function reflink(c: Ctx, s: DaxState, src: number, dst: number): DaxState | undefined {
  const { v, L } = c;
  if (!v.reflink || L.shutdown(s) || !L.isAlive(s, src) || !L.isAlive(s, dst) || L.agfHeld(s)) return undefined;
  if (fileBusy(L, s, src) || fileBusy(L, s, dst) || !hasBlocks(L, s, src) || entriesLocked(L, s, dst)) return undefined;
  const t = copyState(s);
  if (!breakLayouts(c, s, t, src) || !breakLayouts(c, s, t, dst)) return undefined;
  t[L.reflinked] |= (1 << src) | (1 << dst);
  for (let o = 0; o < L.offsets; o++) {
    const d = L.slot(dst, o);
    zapSlot(L, t, d);
    deleteEntry(c, t, d, true);
    const old = L.bmapBlock(t, d);
    t[L.bmap + d] = t[L.bmap + L.slot(src, o)];
    releaseBlock(L, t, old);
  }
  return t;
}

/**
 * FICLONERANGE of one page within one file, src offset -> dst offset (xfs_reflink_remap_range
 * with inode_in == inode_out: xfs_ilock2_io_mmap locks the one inode once, 6.12.117
 * fs/xfs/xfs_inode.c:2751-2774). As FICLONE: break the file's layouts, delete the destination
 * offset's entry (trunc=true), point its extent at the source's block, drop a reference on its
 * old block, set XFS_DIFLAG2_REFLINK. Only with two offsets or more (`one-file` preset): it is
 * what tells an ->index design from a whole-mapping one.
 */
export function reflinkRange(c: Ctx, s: DaxState, f: number, src: number, dst: number): DaxState | undefined {
  const { v, L } = c;
  if (!v.reflink || L.shutdown(s) || !L.isAlive(s, f) || L.agfHeld(s) || fileBusy(L, s, f)) return undefined;
  const from = L.slot(f, src);
  const d = L.slot(f, dst);
  if (L.bmapBlock(s, from) < 0 || L.bmapBlock(s, from) === L.bmapBlock(s, d) || entriesLocked(L, s, f)) return undefined;
  const t = copyState(s);
  if (!breakLayouts(c, s, t, f)) return undefined;
  t[L.reflinked] |= 1 << f;
  zapSlot(L, t, d);
  deleteEntry(c, t, d, true);
  const old = L.bmapBlock(t, d);
  t[L.bmap + d] = t[L.bmap + from];
  releaseBlock(L, t, old);
  return t;
}

/**
 * Truncate to 0, phase 1 (xfs_vn_setattr -> xfs_break_layouts -> xfs_break_dax_layouts): with
 * the IOLOCK and MMAPLOCK held, dax_layout_busy_page() zaps every PTE of the file and waits
 * until no entry is locked and no page is pinned; but if no process maps the file it returns at
 * once and nothing is waited for (mapping_mapped(), 6.1.192 fs/dax.c:701). Faults now block.
 * Taking the MMAPLOCK exclusive waits for faults of the file in flight (`fileBusy`).
 */
export function truncateBegin(c: Ctx, s: DaxState, f: number): DaxState | undefined {
  const { L } = c;
  if (L.shutdown(s) || !L.isAlive(s, f) || s[L.truncFile] !== 0 || fileBusy(L, s, f) || !hasBlocks(L, s, f)) return undefined;
  const t = copyState(s);
  if (!breakLayouts(c, s, t, f)) return undefined;
  t[L.truncFile] = f + 1;
  t[L.truncPhase] = c.v.truncateDeletesEntriesFirst ? TRUNC.deleteEntries : TRUNC.freeBlocks;
  return t;
}

/** Phase 2 (truncate_setsize -> truncate_pagecache -> dax_delete_mapping_entry): waits for locked entries, then deletes every entry with trunc=true. */
export function truncateDelete(c: Ctx, s: DaxState): DaxState | undefined {
  const { L } = c;
  if (s[L.truncPhase] !== TRUNC.deleteEntries) return undefined;
  const f = s[L.truncFile] - 1;
  if (entriesLocked(L, s, f)) return undefined;
  const t = copyState(s);
  zapFile(L, t, f);
  for (let o = 0; o < L.offsets; o++) deleteEntry(c, t, L.slot(f, o), true);
  return nextTruncatePhase(c, t, TRUNC.deleteEntries);
}

/**
 * Phase 3 (xfs_itruncate_extents): unmap every extent (needs the AGF); a block whose refcount
 * reaches 0 is freed. With both forks empty the reflink flag goes (xfs_itruncate_clear_reflink_flags,
 * 6.12.117 fs/xfs/xfs_inode.c:975-989, called at :1066). Locks dropped.
 */
export function truncateFree(c: Ctx, s: DaxState): DaxState | undefined {
  const { L } = c;
  if (s[L.truncPhase] !== TRUNC.freeBlocks || L.agfHeld(s)) return undefined;
  const t = copyState(s);
  const f = t[L.truncFile] - 1;
  for (let o = 0; o < L.offsets; o++) {
    const slot = L.slot(f, o);
    const old = L.bmapBlock(t, slot);
    t[L.bmap + slot] = 0;
    releaseBlock(L, t, old);
  }
  t[L.reflinked] &= ~(1 << f);
  return nextTruncatePhase(c, t, TRUNC.freeBlocks);
}

/** After `done`: the other phase, in the order the variant truncates in, or the end (locks dropped). */
function nextTruncatePhase({ v, L }: Ctx, t: DaxState, done: number): DaxState {
  const last = v.truncateDeletesEntriesFirst ? TRUNC.freeBlocks : TRUNC.deleteEntries;
  if (done === last) {
    t[L.truncFile] = 0;
    t[L.truncPhase] = TRUNC.none;
  } else {
    t[L.truncPhase] = last;
  }
  return t;
}

/**
 * The last close of an unlinked file with no VMA left (evict -> truncate_inode_pages_final ->
 * dax_delete_mapping_entry(trunc=true), 6.12.117 fs/inode.c:721-725; 6.1.192 :702-706). Before
 * 6.15 nothing here waits for DMA pins (6.15 added dax_break_layout_final()). The inode is then
 * queued for inodegc (xfs_inode_mark_reclaimable -> xfs_inodegc_queue, XFS_NEED_INACTIVE,
 * 6.12.117 fs/xfs/xfs_icache.c:2134, :2200-2202) and still owns its blocks until `inodegc`.
 */
export function evict(c: Ctx, s: DaxState, f: number): DaxState | undefined {
  const { v, b: bounds, L } = c;
  if (bounds.evict === 0 || L.shutdown(s) || !L.isAlive(s, f) || fileBusy(L, s, f) || entriesLocked(L, s, f) || L.agfHeld(s)) return undefined;
  if (fileMapped(L, s, f)) return undefined;
  if (v.evictWaitsForPins && layoutBusy(c, s, f)) return undefined;
  const t = copyState(s);
  for (let o = 0; o < L.offsets; o++) deleteEntry(c, t, L.slot(f, o), true);
  t[L.alive] &= ~(1 << f);
  if (hasBlocks(L, t, f)) t[L.inactive] |= 1 << f;
  else t[L.reflinked] &= ~(1 << f);
  return t;
}

/**
 * The inodegc worker inactivates an evicted inode (xfs_inodegc_worker -> xfs_inactive ->
 * xfs_itruncate_extents, needing the AGF): its blocks are freed, a block still pinned for DMA
 * included. A shut-down filesystem frees nothing (the transaction fails with -EIO).
 */
export function inodegc(c: Ctx, s: DaxState, f: number): DaxState | undefined {
  const { L } = c;
  if ((s[L.inactive] & (1 << f)) === 0 || L.shutdown(s) || L.agfHeld(s)) return undefined;
  const t = copyState(s);
  for (let o = 0; o < L.offsets; o++) {
    const slot = L.slot(f, o);
    const old = L.bmapBlock(t, slot);
    t[L.bmap + slot] = 0;
    releaseBlock(L, t, old);
  }
  t[L.inactive] &= ~(1 << f);
  t[L.reflinked] &= ~(1 << f);
  return t;
}
