/**
 * Design variants: each row of the verdict matrix is one small declaration of which kernel
 * mechanisms are in force. Ids are CLI names and file names: they stay stable.
 */

/** How dax_associate_entry()/dax_disassociate_entry() record a page's owner. */
export type PageOwnership =
  /** page->mapping/page->index, one owner (v4.17+ fs/dax.c dax_associate_entry). */
  | "singular"
  /** page->share with the PAGE_MAPPING_DAX_SHARED marker, shared on any fault of a shared extent (6.2-6.14 fs/dax.c dax_page_share_get). */
  | "share-marker"
  /**
   * The PAGE_MAPPING_DAX_COW marker with page->index as the count, set only by a copy-on-write
   * fault (6.0-6.1: dax_associate_entry(..., cow) with cow = dax_fault_is_cow(), IOMAP_WRITE and
   * IOMAP_F_SHARED, 6.1.192 fs/dax.c:843-847, :364-383); a read fault of a shared extent is a
   * singular association, so the last faulter overwrites page->mapping (WARN at :380).
   */
  | "cow-marker"
  /**
   * 6.15+ folio->share without a marker (Alistair Popple's series, cbe298d82cf7 "fs/dax: remove
   * PAGE_MAPPING_DAX_SHARED mapping flag"): a shared association of an unowned folio makes a
   * regular owner; of an owned one, dax_folio_make_shared sets ->mapping = NULL, ->share = 1, then
   * ->share++ (torvalds/linux fs/dax.c @ 00c010e130e5 :441-469, :367-379); dax_folio_put
   * pre-decrements and clears ->mapping at 0 (:381-419). A shared folio reads as ->mapping NULL.
   */
  | "folio-share";

/** How memory_failure() finds the processes that map a poisoned pmem page. */
export type FailureLookup =
  /** memory_failure_dev_pagemap() trusts page->mapping/page->index (4.19 dax_lock_page + collect_procs; 6.x mf_generic_kill_procs). */
  | "page-mapping"
  /** dax_holder_notify_failure() -> xfs_dax_notify_failure() walks the rmap btree, mf_dax_kill_procs() per owner (6.0+, rmapbt=1; merged for 6.0-rc1, not 5.19). */
  | "rmap"
  /**
   * Dan Williams' alternative in the 2018 thread (shared/seeds/): no ->index; "teach the rmap
   * code to search the entire ->mapping" for the pfn. Never written as code: the model gives it
   * the simplest locking, one walk of the mapping's entries under its xarray lock (a spinlock).
   */
  | "whole-mapping";

/** What dax_lock_page() does after it slept on the locked entry that ->mapping/->index named. */
export type LockAfterSleep =
  /** Re-read ->mapping and ->index and start again, touching nothing of the old mapping (4.19.y after "dax: Do not access a freed inode", its commit id not verified here; wait_entry_unlocked, 6.1.192 fs/dax.c:449-456). */
  | "revalidate"
  /** 4.19.0: retake the old mapping's xa_lock before re-reading, a use after free when the inode was evicted meanwhile; otherwise start again. */
  | "touch-freed"
  /** A seeded bug: lock the entry it slept on without re-reading ->mapping and ->index. */
  | "no-recheck";

/**
 * What the unlock at the end of memory_failure's page->mapping path does when it re-reads
 * ->mapping/->index and they name another entry than the one it locked.
 */
export type UnlockOtherEntry =
  /** 6.x dax_unlock_page/dax_unlock_folio -> dax_unlock_entry: stores the cookie there, then BUG_ON(!dax_is_locked(old)) (6.1.192 fs/dax.c:290-301; 6.12.117 :276-287). */
  | "bug"
  /** 4.19 dax_unlock_mapping_entry(page) -> unlock_mapping_entry: WARN_ON_ONCE on an entry that is not locked, and return; the locked entry stays locked. */
  | "warn-leak";

/** Where an expected verdict comes from: a commit or thread (`history`), the kernels run under QEMU (`seen`, kernel-oracle.md), or a reading of the sources (`hypothesis`). */
export type EvidenceKind = "history" | "seen" | "hypothesis";

/** The verdict a variant should give on one invariant at the default bounds, and where that comes from. */
export interface Expected {
  readonly verdict: "violated" | "holds" | "vacuous";
  readonly kind: EvidenceKind;
  readonly source: string;
}

/** Per invariant, what a variant should give: the claims made, and what every other invariant should give. */
export interface Expectation {
  readonly claims: Readonly<Record<string, Expected>>;
  readonly otherwise: Expected;
}

const violated = (kind: EvidenceKind, source: string): Expected => ({ verdict: "violated", kind, source });
const vacuous = (kind: EvidenceKind, source: string): Expected => ({ verdict: "vacuous", kind, source });
const holds = (kind: EvidenceKind, source: string): Expected => ({ verdict: "holds", kind, source });

/** One design variant. */
export interface Variant {
  readonly id: string;
  /** The kernel version and configuration it models. */
  readonly kernel: string;
  readonly summary: string;
  /** xfs_reflink_remap_range() accepts DAX files (4.18 refused: "Don't share DAX file data for now"). */
  readonly reflink: boolean;
  readonly ownership: PageOwnership;
  /** A write fault on a shared extent copies on write (xfs_reflink_allocate_cow + xfs_reflink_end_cow for DAX, 6.0+; merged for 6.0-rc1, not 5.19). */
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
  /** dax_lock_page()/dax_lock_folio() give up on a NULL ->mapping (6.1.192 fs/dax.c:442, 6.12.117 :434); 4.19.0 as released did not (fixed by c93db7bb6ef3). */
  readonly lockChecksNullMapping: boolean;
  /** dax_page_share_put() returns the count after the decrement, `--page->share` (6.12.117 fs/dax.c:348), so the last sharer clears the marker. */
  readonly sharePutReturnsNew: boolean;
  /** collect_procs collects early-kill tasks, not only `current` (task_early_kill, 6.12.117 mm/memory-failure.c:592). */
  readonly collectsEarlyKill: boolean;
  /** Truncate deletes the DAX entries (truncate_setsize, 6.12.117 fs/xfs/xfs_iops.c:900) before it frees the blocks (xfs_itruncate_extents, :969). */
  readonly truncateDeletesEntriesFirst: boolean;
  /** dax_associate_entry() sets page->index (4.19 "filesystem-dax: Set page->index", the patch of the seed thread); false where the owner is the whole mapping. */
  readonly recordsIndex: boolean;
  /**
   * collect_procs() collects every task with a VMA over the page, early-kill or not: 4.19
   * memory_failure_dev_pagemap() sets MF_ACTION_REQUIRED | MF_MUST_KILL for every dax page and
   * passes force_early, and task_early_kill(tsk, 1) then returned any task with an mm (until
   * 30c9cf492704 "mm,hwpoison: send SIGBUS to PF_MCE_EARLY processes on action required events",
   * 5.12). False: only early-kill tasks and `current` (6.12.117 mm/memory-failure.c:592-606).
   */
  readonly collectsEveryTask: boolean;
  /**
   * A collected task whose VMA has no present PTE at the address is kept with addr_valid = 0
   * (4.19 add_to_kill: dev_pagemap_mapping_shift() returns 0) and kill_procs(forcekill) sends it
   * SIGKILL; fixed by 3d7fed4ad8cc "mm/memory-failure: poison read receives SIGKILL instead of
   * SIGBUS if mmaped more than once" (5.4, 4.19.81); 6.x __add_to_kill drops it (6.12.117
   * mm/memory-failure.c:448-486).
   */
  readonly killsVmaWithoutPte: boolean;
  /** What dax_lock_page() does after sleeping on a locked entry. */
  readonly lockAfterSleep: LockAfterSleep;
  /** dax_disassociate_entry() WARNs on another owner and on truncating a busy page (6.12.117 fs/dax.c:390, :396); 6.15's dax_folio_put checks neither (fs/dax.c @ 00c010e130e5 :471-483). */
  readonly disassociateWarns: boolean;
  /** dax_folio_put() of a singly owned order-0 folio clears ->mapping but keeps ->index, which is ->share: the folio then reads as shared (fs/dax.c @ 00c010e130e5 :394-397; 7.3.4 clears it in dax_folio_reset_order, :402-403). Visible only with two offsets or more. */
  readonly staleShareAfterPut: boolean;
  /** Breaking layouts (truncate, hole punch, reflink of both inodes) deletes every DAX entry of the file once nothing is busy: dax_break_layout -> dax_delete_mapping_range (fs/dax.c @ 00c010e130e5 :952-978, :900-928; bde708f1a65d, 6.15). */
  readonly breakLayoutsDeletesEntries: boolean;
  /** dax_layout_busy_page() returns at once when no process maps the file (mapping_mapped(), 6.1.192 fs/dax.c:701; 6.12.117 :689), so truncate of an unmapped file waits for no pin; 6.15 removed the test. */
  readonly busyScanSkipsUnmapped: boolean;
  /** The busy-page scan skips a locked entry's page (6.15: 6be3e21d25ca; fixed by dd59137bfe70, 6.16-rc1). */
  readonly busyScanSkipsLockedEntries: boolean;
  /** What history, the real kernels and the sources predict per invariant, with where each claim comes from; the matrix marks every cell that disagrees. */
  readonly expected: Expectation;
}

/** Pins outlive munmap and nothing waits for them on eviction or on truncate of an unmapped file, in every kernel before 6.15. */
const PIN_SOURCE =
  "eviction, and truncate of a file no process maps, do not wait for DMA pins before 6.15 (dax_break_layout_final; dax_layout_busy_page returns at once when !mapping_mapped, 6.1.192 fs/dax.c:701)";
const PIN_FAMILY: Readonly<Record<string, Expected>> = {
  no_warn_truncate_busy: violated("history", PIN_SOURCE),
  no_free_while_pinned: violated("history", PIN_SOURCE),
};
/** The 6.x collection rules (__add_to_kill drops a task without a present PTE) never signal a PTE that disagrees with its entry. */
const NO_SPURIOUS_6X = vacuous("hypothesis", "the 6.x collection rules never leave a PTE that disagrees with its offset's entry (6.12.117 mm/memory-failure.c:448 __add_to_kill)");
/** Without page->share there is no marker to count. */
const NO_MARKER = vacuous("hypothesis", "singular page->mapping: no page ever carries the shared marker");

/** The behaviour every variant so far shares, each switch cited where it is declared; seeded bugs (spec/mutants.ts) turn one off. */
const AS_FIXED = {
  lockChecksNullMapping: true,
  sharePutReturnsNew: true,
  collectsEarlyKill: true,
  truncateDeletesEntriesFirst: true,
  recordsIndex: true,
  collectsEveryTask: false,
  killsVmaWithoutPte: false,
  lockAfterSleep: "revalidate",
  busyScanSkipsUnmapped: true,
  busyScanSkipsLockedEntries: false,
  disassociateWarns: true,
  staleShareAfterPut: false,
  breakLayoutsDeletesEntries: false,
} as const;

/**
 * 6.15 (Alistair Popple's fs-dax page refcount series, 6.15-rc1): folio->share without a marker;
 * the busy scan no longer skips unmapped files (cee91fa13a8e; fs/dax.c @ 00c010e130e5 :776) and
 * waits for pins, then deletes every entry (bde708f1a65d); eviction waits for pins
 * (dax_break_layout_final, :980-999, called from xfs_fs_evict_inode, 0e2f80afcfa6); the scan's
 * wait_entry_unlocked_exclusive uses xas_pause, which skips the entry it waited on (:260,
 * 6be3e21d25ca; fixed by dd59137bfe70 in 6.16). Read faults still trim under the AGF
 * (7.3.4 fs/xfs/xfs_iomap.c:2213-2214), and the rmap walk still kills under it
 * (7.3.4 fs/xfs/xfs_notify_failure.c:305-339).
 */
const V615 = {
  reflink: true,
  ownership: "folio-share",
  daxCow: true,
  readFaultTakesAgf: true,
  unlockOtherEntry: "bug",
  evictWaitsForPins: true,
  ...AS_FIXED,
  busyScanSkipsUnmapped: false,
  busyScanSkipsLockedEntries: true,
  disassociateWarns: false,
  staleShareAfterPut: true,
  breakLayoutsDeletesEntries: true,
} as const;

/** Source review 1.3: a CoW fault whose copy fails leaves its entry on the block xfs_dax_write_iomap_end frees. */
const FAILED_COPY =
  "source review 1.3, confirmed in the sources, not reproduced: a CoW fault whose copy from a block in badblocks fails has already inserted its entry for the new block (6.12.117 fs/dax.c:1691 before :1693-1697), and xfs_dax_write_iomap_end(written=0) frees that block (fs/xfs/xfs_iomap.c:945-946) while the entry points at it; reallocated to another file, dax_associate_entry WARNs, a later disassociate WARNs, and the page's share count misses the stale entry";

/** 6.1 (Debian 6.1.192): DAX CoW and notify_failure arrived in 6.0; read faults never take the AGF; the CoW count post-decrements. */
const V61 = {
  reflink: true,
  ownership: "cow-marker",
  daxCow: true,
  readFaultTakesAgf: false,
  evictWaitsForPins: false,
  unlockOtherEntry: "bug",
  ...AS_FIXED,
  sharePutReturnsNew: false,
} as const;
/** 6.1.192 fs/dax.c:401 `if (page->index-- > 0) continue;`: the last sharer's put keeps the COW marker on an unowned page. */
const POST_DECREMENT = "6.1.192 fs/dax.c:401 dax_disassociate_entry keeps PAGE_MAPPING_DAX_COW while `page->index-- > 0`, a post-decrement: after the last entry goes the page still carries the marker";

/** 4.19.0's memory_failure oopses where 4.19.y does not. */
const V419_OOPS =
  "4.19.0 dax_lock_mapping_entry(page) passed page->mapping to dax_mapping() unchecked (fixed by c93db7bb6ef3 \"dax: Check page->mapping isn't NULL\") and, after sleeping on a locked entry, retook the old mapping's xa_lock although the inode may have been freed (fixed by \"dax: Do not access a freed inode\", paired with it in the SUSE 4.12 backports bsc#1120054/bsc#1120055); both in 4.20 and 4.19.y";
/** 4.19's collection signals processes that do not map the page at that address. */
const V419_SIGKILL =
  "4.19 add_to_kill kept a task whose VMA had no present PTE (dev_pagemap_mapping_shift() == 0: \"Unable to find user space address\", addr_valid = 0) and kill_procs(forcekill = MF_MUST_KILL, set for every dax page by memory_failure_dev_pagemap) sent it SIGKILL (\"forcibly killing\"), until 3d7fed4ad8cc (5.4, backported to 4.19.81); later kernels drop such a task in __add_to_kill (6.12.117 mm/memory-failure.c:448-486)";

/** 4.18's association with the 4.19 memory_failure through page->mapping; reflink of DAX files refused. */
const V418 = {
  reflink: false,
  ownership: "singular",
  daxCow: false,
  lookup: "page-mapping",
  readFaultTakesAgf: false,
  unlockOtherEntry: "warn-leak",
  evictWaitsForPins: false,
  ...AS_FIXED,
} as const;

/** Dan Williams' whole-mapping alternative on 4.18: ->mapping only, no DAX CoW. */
const WHOLE_MAPPING = {
  ownership: "singular",
  daxCow: false,
  lookup: "whole-mapping",
  readFaultTakesAgf: false,
  unlockOtherEntry: "warn-leak",
  evictWaitsForPins: false,
  ...AS_FIXED,
  recordsIndex: false,
} as const;

/** Nothing in the whole-mapping design without DAX CoW holds one lock while it waits for another. */
const NO_WAITS = vacuous("hypothesis", "no operation waits on another's lock: the whole-mapping search sleeps on no entry, 4.18 faults take no AGF under the entry lock, and truncate, reflink and eviction wait for faults through the MMAPLOCK before they start");

/** 6.15+: pins are waited for by every break of layouts, but only through the file's own entries. */
const PIN_BEHIND_ENTRY =
  "a GUP pin taken through a PTE outlives the entry it came through: once a CoW fault moves the file's entry to its new block, no entry maps the pinned old page, so dax_break_layout's scan of the file's entries (fs/dax.c @ 00c010e130e5 :798-817) cannot see it, and reflink, truncate or inodegc frees the block while DMA may still run";
/** 6.15 removed both WARNs of dax_disassociate_entry. */
const NO_DISASSOCIATE_WARN = holds("hypothesis", "dax_disassociate_entry -> dax_folio_put checks neither the owner nor a busy page any more (fs/dax.c @ 00c010e130e5 :471-483; the WARNs of 6.12.117 :390, :396 went with the 6.15 series)");
/** 6.15 reflink and truncate delete every entry of both files, so no stale count survives them. */
const SHARE_COUNT_615 = holds("hypothesis", "refutes the design note's 2-step share_count_exact hypothesis: reflink breaks the layouts of both inodes and deletes all their DAX entries (xfs_mmaplock_two_inodes_and_break_dax_layout -> dax_break_layout -> dax_delete_mapping_range, bde708f1a65d; 7.3.4 fs/xfs/xfs_inode.c:2748-2784), so no page faulted before a reflink keeps an entry, and the entry a failed CoW copy leaves is deleted by the next break of the file's layouts");
const DEADLOCK_615 = violated("hypothesis", "the 6.12 cycle is unchanged: read faults of reflink-flagged inodes still trim under the AGF while holding the entry lock (7.3.4 fs/xfs/xfs_iomap.c:2213-2214 -> xfs_reflink.c:153), and the rmap walk still kills under the AGF, sleeping in dax_lock_mapping_entry (7.3.4 fs/xfs/xfs_notify_failure.c:305-339)");
const STUCK_615 = violated("hypothesis", "the same cycle, seen globally: every process sleeps in such a fault while the rmap walk sleeps on one of their entries");
/** What 6.15 and upstream, rmapbt=1, should give. */
const RMAP_615: Readonly<Record<string, Expected>> = {
  no_free_while_pinned: violated("hypothesis", PIN_BEHIND_ENTRY),
  no_warn_truncate_busy: NO_DISASSOCIATE_WARN,
  no_warn_disassociate: NO_DISASSOCIATE_WARN,
  no_warn_associate: violated("hypothesis", FAILED_COPY),
  entry_matches_extent: violated("hypothesis", FAILED_COPY),
  sole_owner_exact: violated("hypothesis", FAILED_COPY),
  share_count_exact: SHARE_COUNT_615,
  owner_lookup_complete: violated("hypothesis", "a CoW staging block is an XFS_RMAP_OWN_COW owner the rmap walk cannot name (7.3.4 fs/xfs/xfs_notify_failure.c:87-93)"),
  poison_reaches_every_mapping: violated("hypothesis", "poison in a CoW staging block shuts XFS down and nobody is signalled (7.3.4 fs/xfs/xfs_notify_failure.c:87-93, :358-362)"),
  no_deadlock: DEADLOCK_615,
  no_stuck_state: STUCK_615,
  no_spurious_signal: NO_SPURIOUS_6X,
  no_leaked_entry_lock: vacuous("hypothesis", "->mapping cannot move under memory_failure here: the rmap walk does not use it, reflink is refused or the marker oopses first, and a fault of the poisoned page fails on its badblock"),
};
/** What 6.15 and upstream, rmapbt=0, should give. */
const NORMAP_615: Readonly<Record<string, Expected>> = {
  ...RMAP_615,
  no_oops: holds("hypothesis", "confirms the design note: a shared folio has ->mapping NULL, so dax_lock_folio returns 0 and mf_generic_kill_procs returns -EBUSY instead of oopsing on a marker (fs/dax.c @ 00c010e130e5 :514-518; 7.3.4 mm/memory-failure.c:1777-1779)"),
  owner_lookup_complete: violated("hypothesis", "a shared folio's ->mapping is NULL (dax_folio_make_shared, fs/dax.c @ 00c010e130e5 :367-379): mf_generic_kill_procs names no owner at all"),
  poison_reaches_every_mapping: violated("hypothesis", "confirms the design note: a missed kill instead of 6.12's oops: dax_lock_folio gives up on the shared folio and nobody is signalled (7.3.4 mm/memory-failure.c:1777-1779)"),
  no_deadlock: holds("hypothesis", "nothing holds the AGF across steps without the rmap walk"),
  no_stuck_state: holds("hypothesis", "nothing holds the AGF across steps without the rmap walk"),
};

/** What both whole-mapping variants should give, whether or not they reflink. */
const WHOLE_MAPPING_CLAIMS: Readonly<Record<string, Expected>> = {
  ...PIN_FAMILY,
  share_count_exact: NO_MARKER,
  no_spurious_signal: NO_SPURIOUS_6X,
  no_leaked_entry_lock: vacuous("hypothesis", "the whole-mapping search holds no entry lock across steps, so no unlock can go astray"),
  no_deadlock: NO_WAITS,
  no_stuck_state: NO_WAITS,
};

export const VARIANTS: readonly Variant[] = [
  {
    id: "v4.18",
    kernel: "Linux 4.18 fs/dax.c (page->mapping, with the 4.19 page->index) + the 4.19 dax memory_failure as fixed in 4.19.y (the NULL check of c93db7bb6ef3, no freed-inode access after \"dax: Do not access a freed inode\"), collecting by the 6.x rules (early-kill and current, present PTEs only): the design as its authors meant it, not one release",
    summary: "2018 as merged: singular page->mapping/index, reflink of DAX files refused",
    ...V418,
    expected: {
      claims: {
        ...PIN_FAMILY,
        no_warn_associate: vacuous("history", "4.18 fs/xfs/xfs_reflink.c xfs_reflink_remap_range refuses DAX files (\"Don't share DAX file data for now\"), so no page is reachable from a second (file, offset)"),
        no_warn_disassociate: vacuous("history", "reflink of DAX files refused in 4.18, so no page is mapped by two entries"),
        share_count_exact: NO_MARKER,
        no_spurious_signal: NO_SPURIOUS_6X,
        no_leaked_entry_lock: vacuous("hypothesis", "->mapping cannot move under memory_failure here: the rmap walk does not use it, reflink is refused or the marker oopses first, and a fault of the poisoned page fails on its badblock"),
      },
      otherwise: holds("hypothesis", "one owner per page and no sharing: no path to a failure in the 4.18/4.19 sources"),
    },
  },
  {
    id: "v4.19.0",
    kernel: "Linux 4.19.0 as released: 4.18 fs/dax.c association, Dan Williams' memory_failure_dev_pagemap and dax_lock_mapping_entry(page) before the 4.19.y fixes",
    summary: "no NULL check, retakes a freed mapping's lock after sleeping, collects every task, SIGKILLs a VMA without a PTE",
    ...V418,
    lockChecksNullMapping: false,
    lockAfterSleep: "touch-freed",
    collectsEveryTask: true,
    killsVmaWithoutPte: true,
    expected: {
      claims: {
        ...PIN_FAMILY,
        no_oops: violated("history", V419_OOPS),
        no_spurious_signal: violated("history", V419_SIGKILL),
        no_warn_associate: vacuous("history", "4.19 fs/xfs/xfs_reflink.c xfs_reflink_remap_range refuses DAX files, so no page is reachable from a second (file, offset)"),
        no_warn_disassociate: vacuous("history", "reflink of DAX files refused in 4.19, so no page is mapped by two entries"),
        share_count_exact: NO_MARKER,
        no_leaked_entry_lock: vacuous("hypothesis", "->mapping cannot move under memory_failure's held entry without a second owner of the page, and 4.19 refuses reflink"),
      },
      otherwise: holds("hypothesis", "one owner per page and no sharing: the 4.19.0 bugs are in the lock and the collection only"),
    },
  },
  {
    id: "whole-mapping",
    kernel: "Linux 4.18 with Dan Williams' alternative from the seed thread: no page->index, memory_failure searches all of page->mapping",
    summary: "2018 alternative: ->mapping only, whole-mapping search; reflink of DAX files refused",
    ...WHOLE_MAPPING,
    reflink: false,
    expected: {
      claims: {
        ...WHOLE_MAPPING_CLAIMS,
        no_warn_associate: vacuous("history", "reflink of DAX files refused (4.18 xfs_reflink_remap_range), so no page is reachable from a second (file, offset)"),
        no_warn_disassociate: vacuous("history", "reflink of DAX files refused, so no page is mapped by two entries"),
      },
      otherwise: holds("history", "Dan Williams in the seed thread: without reflink, one ->mapping per page is enough; searching all of it finds every mapper"),
    },
  },
  {
    id: "whole-mapping-reflink",
    kernel: "the whole-mapping alternative with the DAX reflink refusal removed",
    summary: "2018 alternative with shared blocks: ->mapping still names one file",
    ...WHOLE_MAPPING,
    reflink: true,
    expected: {
      claims: {
        ...WHOLE_MAPPING_CLAIMS,
        no_warn_associate: violated("history", "Jan Kara in the seed thread: with reflink two files map one block, and the second file's fault finds page->mapping set (WARN_ON_ONCE(page->mapping))"),
        no_warn_disassociate: violated("hypothesis", "as reflink-singular: the first owner's entry is deleted while ->mapping names the second file"),
        owner_lookup_complete: violated("history", "the seed thread: searching all of one ->mapping still finds only that file's mappers when the block is shared by two files"),
        poison_reaches_every_mapping: violated("history", "the seed thread: a mapper through the other file is not found"),
        signalled_pte_gone: violated("hypothesis", "as reflink-singular: a process signalled through one file keeps its PTE through the other"),
        sole_owner_exact: violated("history", "Jan Kara in the seed thread: page->mapping names one file while entries of two files map the page"),
      },
      otherwise: holds("hypothesis", "no path to a failure beyond the one-file owner's"),
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
    ...AS_FIXED,
    expected: {
      claims: {
        ...PIN_FAMILY,
        no_warn_associate: violated("seen", "WARN at 6.1.192 fs/dax.c:380 on 6.1 with rmapbt=0, whose read faults of reflinked files behave this way (kernel-oracle.md); Jan Kara's objection in the 2018 thread"),
        no_warn_disassociate: violated("seen", "WARN at 6.1.192 fs/dax.c:404 on 6.1 with rmapbt=0 (kernel-oracle.md)"),
        owner_lookup_complete: violated("history", "the 2018 thread: a singular page->mapping cannot name every file sharing the block"),
        poison_reaches_every_mapping: violated("seen", "6.1 with rmapbt=0: the injector of a reflinked page was left unsignalled (kernel-oracle.md)"),
        no_oops: violated("hypothesis", "source review 1.2, confirmed in the sources, not reproduced: memory_failure holds the entry ->mapping named, a truncate or reflink onto the page's other owner clears ->mapping (dax_disassociate_entry, after its WARN), and the unlock re-reads it and dereferences NULL->host (4.19 dax_unlock_mapping_entry(page); 6.1.192 fs/dax.c:478-487)"),
        signalled_pte_gone: violated("hypothesis", "collect_procs and unmap_mapping_range reach only page->mapping's file: a process signalled through A keeps its PTE to the page through B (4.19 mm/memory-failure.c memory_failure_dev_pagemap)"),
        sole_owner_exact: violated("history", "Jan Kara in the 2018 thread: a second file's fault of a shared block leaves page->mapping naming one file while two entries map the page"),
        share_count_exact: NO_MARKER,
        no_spurious_signal: NO_SPURIOUS_6X,
      },
      otherwise: holds("hypothesis", "no path to a failure beyond the singular owner's"),
    },
  },
  {
    id: "v6.1",
    kernel: "Linux 6.1 (Debian 6.1.192), XFS with reflink=1,rmapbt=1",
    summary: "page->mapping, PAGE_MAPPING_DAX_COW only for CoW faults, memory_failure through the rmap btree",
    ...V61,
    lookup: "rmap",
    expected: {
      claims: {
        ...PIN_FAMILY,
        no_warn_associate: violated("seen", "reflink, rmapbt=1, read faults on 6.1: WARN at fs/dax.c:380 (kernel-oracle.md)"),
        no_warn_disassociate: violated("seen", "reflink, rmapbt=1, read faults on 6.1: WARN at fs/dax.c:404 (kernel-oracle.md)"),
        sole_owner_exact: violated("seen", "the :380 WARN: a second file's read fault overwrites page->mapping while both entries map the page (kernel-oracle.md)"),
        clean_when_unowned: violated("hypothesis", POST_DECREMENT),
        owner_lookup_complete: violated("hypothesis", "a CoW staging block is an XFS_RMAP_OWN_COW owner the rmap walk cannot name (6.1.192 fs/xfs/xfs_notify_failure.c:68 xfs_dax_failure_fn)"),
        poison_reaches_every_mapping: violated("hypothesis", "poison in a CoW staging block shuts XFS down and nobody is signalled (6.1.192 fs/xfs/xfs_notify_failure.c xfs_dax_failure_fn)"),
        no_deadlock: violated("hypothesis", "the rmap walk holds the AGF (6.1.192 fs/xfs/xfs_notify_failure.c:104 xfs_dax_notify_ddev_failure) while sleeping on the entry lock a CoW fault holds until xfs_reflink_end_cow needs the AGF"),
        share_count_exact: violated("hypothesis", FAILED_COPY),
        no_spurious_signal: NO_SPURIOUS_6X,
        no_leaked_entry_lock: vacuous("hypothesis", "->mapping cannot move under memory_failure here: the rmap walk does not use it, reflink is refused or the marker oopses first, and a fault of the poisoned page fails on its badblock"),
        entry_matches_extent: violated("hypothesis", FAILED_COPY),
        no_stuck_state: violated("hypothesis", "when every process sleeps in a CoW fault that needs the AGF while the rmap walk holds it and sleeps on one of their entries, nothing can run"),
      },
      otherwise: holds("hypothesis", "the rmap walk names every file owner (6.1.192 fs/xfs/xfs_notify_failure.c:68)"),
    },
  },
  {
    id: "v6.1-normap",
    kernel: "Linux 6.1 (Debian 6.1.192), XFS with reflink=1,rmapbt=0",
    summary: "xfs_dax_notify_failure returns -EOPNOTSUPP; mf_generic_kill_procs trusts the last faulter's page->mapping",
    ...V61,
    lookup: "page-mapping",
    expected: {
      claims: {
        ...PIN_FAMILY,
        no_oops: violated("seen", "reflink, rmapbt=0, write (CoW) fault then poison on 6.1: oops in dax_lock_page (kernel-oracle.md)"),
        no_warn_associate: violated("seen", "WARN at 6.1.192 fs/dax.c:380 on read faults of reflinked files (kernel-oracle.md)"),
        no_warn_disassociate: violated("seen", "WARN at 6.1.192 fs/dax.c:404 (kernel-oracle.md)"),
        sole_owner_exact: violated("seen", "the :380 WARN: the last faulter's file overwrites page->mapping (kernel-oracle.md)"),
        owner_lookup_complete: violated("seen", "reflink, rmapbt=0, read faults: only the last faulter's file is found (kernel-oracle.md)"),
        poison_reaches_every_mapping: violated("seen", "reflink, rmapbt=0, read faults on 6.1: the injector c0 gets nothing and keeps a PTE to the poisoned page (kernel-oracle.md)"),
        clean_when_unowned: violated("hypothesis", POST_DECREMENT),
        signalled_pte_gone: violated("hypothesis", "mf_generic_kill_procs -> collect_procs_fsdax and unmap_and_kill reach only page->mapping's file (6.1.192 mm/memory-failure.c:1595, :588, :1570): a process signalled through one file keeps its PTE to the page through the other"),
        no_spurious_signal: NO_SPURIOUS_6X,
        entry_matches_extent: violated("hypothesis", FAILED_COPY),
        share_count_exact: violated("hypothesis", FAILED_COPY),
      },
      otherwise: holds("hypothesis", "no path to a failure beyond the singular owner's and the COW marker's"),
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
    ...AS_FIXED,
    expected: {
      claims: {
        ...PIN_FAMILY,
        no_oops: holds("seen", "read-fault scenarios on reflinked files with rmapbt=1 give no oops on 6.12 (kernel-oracle.md)"),
        no_warn_associate: violated("hypothesis", FAILED_COPY),
        no_warn_disassociate: violated("hypothesis", FAILED_COPY),
        share_count_exact: violated("hypothesis", FAILED_COPY),
        owner_lookup_complete: violated("hypothesis", "a CoW staging block is an XFS_RMAP_OWN_COW owner the rmap walk cannot name (6.12.117 fs/xfs/xfs_notify_failure.c:69 xfs_dax_failure_fn)"),
        poison_reaches_every_mapping: violated("hypothesis", "poison in a CoW staging block shuts XFS down and nobody is signalled (6.12.117 fs/xfs/xfs_notify_failure.c xfs_dax_failure_fn, OWN_COW)"),
        no_deadlock: violated("hypothesis", "source review 1.1, confirmed in the sources, not reproduced: a fault of a reflink-flagged file holds its entry lock (6.12.117 fs/dax.c:1741-1782) while xfs_read_iomap_begin reads the AGF (fs/xfs/xfs_iomap.c:1299-1300 -> xfs_reflink.c:143), and the rmap walk holds the AGF (fs/xfs/xfs_notify_failure.c:273-299) while sleeping on that entry lock (fs/dax.c:505-510)"),
        no_stuck_state: violated("hypothesis", "when every process sleeps in such a fault while the rmap walk sleeps on one of their entries, nothing can run (the same wait-for cycle, seen globally)"),
        no_spurious_signal: NO_SPURIOUS_6X,
        no_leaked_entry_lock: vacuous("hypothesis", "->mapping cannot move under memory_failure here: the rmap walk does not use it, reflink is refused or the marker oopses first, and a fault of the poisoned page fails on its badblock"),
        entry_matches_extent: violated("hypothesis", FAILED_COPY),
        sole_owner_exact: violated("hypothesis", FAILED_COPY),
      },
      otherwise: holds("hypothesis", "page->share counts every entry and the rmap walk names every file owner (6.12.117 fs/dax.c:332, fs/xfs/xfs_notify_failure.c:69)"),
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
    ...AS_FIXED,
    expected: {
      claims: {
        ...PIN_FAMILY,
        no_oops: violated("seen", "NULL pointer dereference at 0x1 in dax_lock_folio from memory_failure (kernel-oracle.md; 6.12.117 fs/dax.c:423)"),
        owner_lookup_complete: violated("seen", "a page carrying the 0x1 marker names no owner for mf_generic_kill_procs (kernel-oracle.md)"),
        no_warn_associate: violated("hypothesis", FAILED_COPY),
        no_warn_disassociate: violated("hypothesis", FAILED_COPY),
        share_count_exact: violated("hypothesis", FAILED_COPY),
        no_spurious_signal: NO_SPURIOUS_6X,
        no_leaked_entry_lock: vacuous("hypothesis", "->mapping cannot move under memory_failure here: the rmap walk does not use it, reflink is refused or the marker oopses first, and a fault of the poisoned page fails on its badblock"),
        entry_matches_extent: violated("hypothesis", FAILED_COPY),
        sole_owner_exact: violated("hypothesis", FAILED_COPY),
      },
      otherwise: holds("hypothesis", "no path to a failure beyond the marker's"),
    },
  },
  {
    id: "v6.15",
    kernel: "Linux 6.15 (fs/dax.c as of torvalds/linux 00c010e130e5, before dd59137bfe70), XFS with reflink=1,rmapbt=1",
    summary: "folio->share without a marker; truncate, reflink and eviction wait for pins their entries show; memory_failure through the rmap btree; the busy scan skips a locked entry",
    ...V615,
    lookup: "rmap",
    expected: {
      claims: RMAP_615,
      otherwise: holds("hypothesis", "folio->share counts every entry and the rmap walk names every file owner"),
    },
  },
  {
    id: "v6.15-normap",
    kernel: "Linux 6.15 (fs/dax.c as of torvalds/linux 00c010e130e5), XFS with reflink=1,rmapbt=0",
    summary: "xfs_dax_notify_failure returns -EOPNOTSUPP; mf_generic_kill_procs finds a shared folio's ->mapping NULL and gives up",
    ...V615,
    lookup: "page-mapping",
    expected: {
      claims: NORMAP_615,
      otherwise: holds("hypothesis", "no path to a failure beyond the NULL ->mapping of a shared folio"),
    },
  },
  {
    id: "upstream",
    kernel: "mainline as of Linux 7.3.4 (Debian trixie-backports), XFS with reflink=1,rmapbt=1",
    summary: "6.15 with the busy scan fixed (dd59137bfe70, 6.16) and the stale share cleared (dax_folio_reset_order)",
    ...V615,
    lookup: "rmap",
    busyScanSkipsLockedEntries: false,
    staleShareAfterPut: false,
    expected: {
      claims: RMAP_615,
      otherwise: holds("hypothesis", "as 6.15: at one offset per file neither the 6.16 scan fix nor the cleared share changes a verdict (they show at the one-file bounds and in the state counts)"),
    },
  },
  {
    id: "upstream-normap",
    kernel: "mainline as of Linux 7.3.4 (Debian trixie-backports), XFS with reflink=1,rmapbt=0",
    summary: "upstream's generic path: a shared folio's ->mapping is NULL, so memory_failure gives up on it",
    ...V615,
    lookup: "page-mapping",
    busyScanSkipsLockedEntries: false,
    staleShareAfterPut: false,
    expected: {
      claims: NORMAP_615,
      otherwise: holds("hypothesis", "as v6.15-normap"),
    },
  },
];

/** The variant with this id, if any. */
export function findVariant(id: string): Variant | undefined {
  return VARIANTS.find((v) => v.id === id);
}

/** What `variant` should give on `invariant`: its claim, or what it says of every other invariant. */
export function expectedFor(variant: Variant, invariant: string): Expected {
  return Object.hasOwn(variant.expected.claims, invariant) ? variant.expected.claims[invariant] : variant.expected.otherwise;
}

/** The invariants `variant` is expected to violate. */
export function expectedFails(variant: Variant): string[] {
  return Object.entries(variant.expected.claims).filter(([, e]) => e.verdict === "violated").map(([id]) => id);
}
