/**
 * Design variants: each row of the verdict matrix is one small declaration of which kernel
 * mechanisms are in force. Ids are CLI names and file names: they stay stable.
 */

/** How dax_associate_entry()/dax_disassociate_entry() record a page's owner. */
export type PageOwnership =
  /** page->mapping/page->index, one owner (v4.17+ fs/dax.c dax_associate_entry). */
  | "singular"
  /** page->share with the PAGE_MAPPING_DAX_SHARED marker, shared on any fault of a shared extent (6.2-6.14 fs/dax.c dax_page_share_get). */
  | "share-marker";

/** How memory_failure() finds the processes that map a poisoned pmem page. */
export type FailureLookup =
  /** memory_failure_dev_pagemap() trusts page->mapping/page->index (4.19 dax_lock_page + collect_procs; 6.x mf_generic_kill_procs). */
  | "page-mapping"
  /** dax_holder_notify_failure() -> xfs_dax_notify_failure() walks the rmap btree, mf_dax_kill_procs() per owner (5.19+, rmapbt=1). */
  | "rmap";

/**
 * What the unlock at the end of memory_failure's page->mapping path does when it re-reads
 * ->mapping/->index and they name another entry than the one it locked.
 */
export type UnlockOtherEntry =
  /** 6.x dax_unlock_page/dax_unlock_folio -> dax_unlock_entry: stores the cookie there, then BUG_ON(!dax_is_locked(old)) (6.1.192 fs/dax.c:290-301; 6.12.117 :276-287). */
  | "bug"
  /** 4.19 dax_unlock_mapping_entry(page) -> unlock_mapping_entry: WARN_ON_ONCE on an entry that is not locked, and return; the locked entry stays locked. */
  | "warn-leak";

/** What history or the real kernels say a variant should give, and where that comes from. */
export interface Expectation {
  readonly fails: readonly string[];
  readonly source: string;
}

/** One design variant. */
export interface Variant {
  readonly id: string;
  /** The kernel version and configuration it models. */
  readonly kernel: string;
  readonly summary: string;
  /** xfs_reflink_remap_range() accepts DAX files (4.18 refused: "Don't share DAX file data for now"). */
  readonly reflink: boolean;
  readonly ownership: PageOwnership;
  /** A write fault on a shared extent copies on write (xfs_reflink_allocate_cow + xfs_reflink_end_cow for DAX, 5.19+). */
  readonly daxCow: boolean;
  readonly lookup: FailureLookup;
  /**
   * A non-allocating fault's ->iomap_begin reads the AGF on a reflink-flagged inode, under the
   * entry lock: 6.12.117 fs/xfs/xfs_iomap.c:1299-1300 trims around shared extents for every DAX
   * inode (xfs_reflink_trim_around_shared -> xfs_reflink_find_shared -> xfs_alloc_read_agf,
   * fs/xfs/xfs_reflink.c:143); 6.1.192 :1257-1258 only for IOMAP_REPORT, so there read faults
   * never take it. False for the 4.18-based variants, which have no DAX reflink trim.
   */
  readonly readFaultTakesAgf: boolean;
  /**
   * The unlock re-reads ->mapping after the kill (6.1.192 fs/dax.c:dax_unlock_page :478-487,
   * 6.12.117 dax_unlock_folio :470-479, 4.19 dax_unlock_mapping_entry(page)): NULL or the marker
   * is dereferenced (mapping->host) on every version; another entry is this.
   */
  readonly unlockOtherEntry: UnlockOtherEntry;
  /** Eviction waits for pinned DAX pages (dax_break_layout_final, 6.15); false in every variant before. */
  readonly evictWaitsForPins: boolean;
  /** What history, the real kernels and the sources predict, with where each claim comes from; the matrix shows where the model agrees. */
  readonly expected: Expectation;
}

/** Pins outlive munmap and nothing waits for them on eviction or on truncate of an unmapped file, in every kernel before 6.15. */
const PIN_FAMILY = ["no_warn_truncate_busy", "no_free_while_pinned"];
const PIN_SOURCE =
  "history: eviction, and truncate of a file no process maps, do not wait for DMA pins before 6.15 (dax_break_layout_final; dax_layout_busy_page returns at once when !mapping_mapped, 6.1.192 fs/dax.c:701)";

export const VARIANTS: readonly Variant[] = [
  {
    id: "v4.18",
    kernel: "Linux 4.18 fs/dax.c + the 4.19 dax memory_failure (mm/memory-failure.c memory_failure_dev_pagemap)",
    summary: "2018 as merged: singular page->mapping/index, reflink of DAX files refused",
    reflink: false,
    ownership: "singular",
    daxCow: false,
    lookup: "page-mapping",
    readFaultTakesAgf: false,
    unlockOtherEntry: "warn-leak",
    evictWaitsForPins: false,
    expected: {
      fails: PIN_FAMILY,
      source: PIN_SOURCE,
    },
  },
  {
    id: "reflink-singular",
    kernel: "Linux 4.18/4.19 with the reflink refusal removed and nothing else changed",
    summary: "the seed thread's question: shared blocks, but one page->mapping",
    reflink: true,
    ownership: "singular",
    daxCow: false,
    lookup: "page-mapping",
    readFaultTakesAgf: false,
    unlockOtherEntry: "warn-leak",
    evictWaitsForPins: false,
    expected: {
      fails: ["no_oops", "no_warn_associate", "no_warn_disassociate", "owner_lookup_complete", "poison_reaches_every_mapping", ...PIN_FAMILY],
      source: "history: Jan Kara's objection in the 2018 thread; seen: the fs/dax.c:380 and :404 WARNs and the unsignalled injector on 6.1 with rmapbt=0, whose read faults behave this way; hypothesis (source review 1.2, confirmed in the sources, not reproduced): memory_failure holds the entry ->mapping named, a truncate or reflink onto the page's other owner clears ->mapping (dax_disassociate_entry, after its WARN), and the unlock re-reads it and dereferences NULL->host (4.19 dax_unlock_mapping_entry(page); 6.1.192 fs/dax.c:478-487); " + PIN_SOURCE,
    },
  },
  {
    id: "v6.12",
    kernel: "Linux 6.12 (Debian 6.12.117), XFS with reflink=1,rmapbt=1",
    summary: "page->share + PAGE_MAPPING_DAX_SHARED, shared on any fault, memory_failure through the rmap btree",
    reflink: true,
    ownership: "share-marker",
    daxCow: true,
    lookup: "rmap",
    readFaultTakesAgf: true,
    unlockOtherEntry: "bug",
    evictWaitsForPins: false,
    expected: {
      fails: ["no_warn_associate", "no_warn_disassociate", "owner_lookup_complete", "share_count_exact", "poison_reaches_every_mapping", "no_deadlock", "no_stuck_state", ...PIN_FAMILY],
      source: "seen: read-fault scenarios signal every early-kill mapper with no WARN (kernel-oracle.md); hypothesis (design note, 'notify_failure + CoW in flight'), supported by 6.12.117 fs/xfs/xfs_notify_failure.c and fs/dax.c but not reproduced: a CoW staging block is an XFS_RMAP_OWN_COW owner the rmap walk cannot name, and the walk holds the AGF (xfs_notify_failure.c:273-299) while sleeping on an entry lock (fs/dax.c:505-510); hypothesis (source review 1.1, confirmed in the sources, not reproduced): any fault of a reflink-flagged file holds its entry lock (fs/dax.c:1741-1782) while xfs_read_iomap_begin reads the AGF (fs/xfs/xfs_iomap.c:1299-1300 -> xfs_reflink.c:143), so plain read faults and the walk wait on each other, and when every process is inside such a fault nothing can run (no_stuck_state); hypothesis (source review 1.3, confirmed in the sources, not reproduced): a CoW fault whose copy from a block in badblocks fails has already inserted its entry for the new block (fs/dax.c:1691 before :1693-1697), and xfs_dax_write_iomap_end(written=0) frees that block (fs/xfs/xfs_iomap.c:945-946) while the entry points at it; reallocated to another file, dax_associate_entry WARNs, a later disassociate WARNs, and the page's share count misses the stale entry; " + PIN_SOURCE,
    },
  },
  {
    id: "v6.12-normap",
    kernel: "Linux 6.12 (Debian 6.12.117), XFS with reflink=1,rmapbt=0",
    summary: "xfs_dax_notify_failure returns -EOPNOTSUPP; mf_generic_kill_procs meets the 0x1 marker",
    reflink: true,
    ownership: "share-marker",
    daxCow: true,
    lookup: "page-mapping",
    readFaultTakesAgf: true,
    unlockOtherEntry: "bug",
    evictWaitsForPins: false,
    expected: {
      fails: ["no_oops", "no_warn_associate", "no_warn_disassociate", "owner_lookup_complete", "share_count_exact", ...PIN_FAMILY],
      source: "seen: NULL pointer dereference at 0x1 in dax_lock_folio from memory_failure (kernel-oracle.md): a page carrying the marker names no owner; hypothesis (source review 1.3, confirmed in the sources, not reproduced): a CoW fault whose copy from a block in badblocks fails has already inserted its entry for the new block (fs/dax.c:1691 before :1693-1697), and xfs_dax_write_iomap_end(written=0) frees that block (fs/xfs/xfs_iomap.c:945-946) while the entry points at it; reallocated to another file, dax_associate_entry WARNs, a later disassociate WARNs, and the page's share count misses the stale entry; " + PIN_SOURCE,
    },
  },
];

/** The variant with this id, if any. */
export function findVariant(id: string): Variant | undefined {
  return VARIANTS.find((v) => v.id === id);
}
