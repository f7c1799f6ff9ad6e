/**
 * The invariants as documentation: a one-line formal statement over the model's state, and the
 * kernel functions and lines each is about (Debian 6.1.192 and 6.12.117). `daxmc docs` writes
 * docs/invariants.md from this and `INVARIANTS`; a test fails when an invariant lacks an entry.
 *
 * Notation: `log.X` is a kernel outcome recorded in the state (`OUT` in state.ts); `entry(F,o)`
 * the DAX entry's pfn at file F offset o; `bmap(F,o)` the extent's block; `mapping(b)`,
 * `index(b)` page->mapping and page->index (or ->share) of block b; `0x1` the shared marker.
 */

/** What the documentation says of one invariant beyond its id, meaning and partner. */
export interface InvariantStatement {
  /** The property as a formula over the state (`□` = in every reachable state). */
  readonly formal: string;
  /** Kernel functions with file and lines at a version, each one line. */
  readonly sources: readonly string[];
  /** Why it is vacuous in some variants, where that is expected (an explained vacuity, not a gap). */
  readonly vacuity?: string;
}

/** By invariant id. */
export const INVARIANT_STATEMENTS: Readonly<Record<string, InvariantStatement>> = {
  no_oops: {
    formal: "□ ¬log.oops",
    sources: [
      "6.1.192 fs/dax.c:431 dax_lock_page -> dax_mapping(page->mapping): a NULL-checked, marker-unaware dereference",
      "6.12.117 fs/dax.c:423 dax_lock_folio: the 0x1 shared marker is dereferenced as an address_space (seen under QEMU with rmapbt=0)",
      "6.12.117 mm/memory-failure.c:1772 mf_generic_kill_procs, the page->mapping path taken when xfs_dax_notify_failure returns -EOPNOTSUPP",
    ],
  },
  no_warn_associate: {
    formal: "□ ¬log.warnAssociate, set when dax_associate_entry finds mapping(b) ≠ NULL for a non-shared association",
    sources: [
      "6.1.192 fs/dax.c:364 dax_associate_entry, WARN_ON_ONCE(page->mapping) at :380",
      "6.12.117 fs/dax.c:356 dax_associate_entry, WARN_ON_ONCE(page->mapping) at :372 (shared associations take dax_page_share_get, :370)",
    ],
    vacuity: "v4.18, v4.19.0 and whole-mapping refuse reflink of DAX files, so no owned page is ever reachable from a second (file, offset).",
  },
  no_warn_disassociate: {
    formal: "□ ¬log.warnDisassociate, set when dax_disassociate_entry finds mapping(b) ∉ {NULL, the entry's file}",
    sources: [
      "6.1.192 fs/dax.c:387 dax_disassociate_entry, WARN_ON_ONCE(page->mapping && page->mapping != mapping) at :404",
      "6.12.117 fs/dax.c:379 dax_disassociate_entry, the same WARN at :396",
    ],
    vacuity: "v4.18, v4.19.0 and whole-mapping refuse reflink of DAX files, so no page is ever mapped by two entries.",
  },
  no_warn_truncate_busy: {
    formal: "□ ¬log.warnTruncateBusy, set when an entry is deleted with trunc = true while its page has a pin",
    sources: [
      "6.1.192 fs/dax.c:398 dax_disassociate_entry, WARN_ON_ONCE(trunc && page_ref_count(page) > 1)",
      "6.12.117 fs/dax.c:390, the same WARN",
      "6.1.192 fs/dax.c:701 dax_layout_busy_page_range returns at once when !mapping_mapped(mapping) (6.12.117 :693): a pin of an unmapped file is not waited for",
    ],
  },
  no_free_while_pinned: {
    formal: "□ ¬log.freedPinned, set when a block's last extent goes (truncate, eviction, CoW end) while pins(b) > 0",
    sources: [
      "xfs_itruncate_extents and xfs_inactive free blocks after dax_layout_busy_page_range (6.1.192 fs/dax.c:685) stopped waiting",
      "fs/inode.c evict: XFS has no ->evict_inode in 6.1/6.12, so nothing waits for pins before 6.15's dax_break_layout_final",
    ],
  },
  backpointer_sound: {
    formal: "□ ∀ b: mapping(b) = F ∉ {NULL, 0x1} ⇒ entry(F, index(b)) = b (where the variant records ->index; else ∃ o: entry(F, o) = b)",
    sources: [
      "6.1.192 fs/dax.c:364 dax_associate_entry sets page->mapping and page->index; :387 dax_disassociate_entry clears them",
      "6.12.117 fs/dax.c:356 / :379, the same with page->share for shared pages",
    ],
  },
  owner_lookup_complete: {
    formal: "□ ∀ F, o: entry(F,o) = b ⇒ (F,o) ∈ lookup(b), where lookup(b) = {(mapping(b), index(b))} (page-mapping variants), {(mapping(b), o') : any o'} (whole-mapping variants) or {(F',o') : bmap(F',o') = b} (rmap variants; an in-flight CoW's new page is XFS_RMAP_OWN_COW, not found)",
    sources: [
      "6.1.192 mm/memory-failure.c:1595 mf_generic_kill_procs -> :588 collect_procs_fsdax: one (mapping, index) from the page",
      "6.12.117 fs/xfs/xfs_notify_failure.c:230 xfs_dax_notify_ddev_failure -> xfs_rmap_query_range -> :69 xfs_dax_failure_fn -> mm/memory-failure.c:1838 mf_dax_kill_procs: one call per rmap owner",
      "the 2018 seed thread: Dan Williams' \"search the entire ->mapping\" (whole-mapping variants)",
    ],
  },
  share_count_exact: {
    formal: "□ ∀ b: shared(b) ⇒ share(b) = |{(F,o) : entry(F,o) = b}|, where shared(b) is mapping(b) = 0x1 (6.0-6.14) or a 6.15 folio with ->mapping NULL and ->share > 0 made so by dax_folio_make_shared",
    sources: [
      "6.12.117 fs/dax.c:332 dax_page_share_get, and dax_page_share_put in dax_disassociate_entry (:379)",
      "fs/dax.c @ 00c010e130e5 :367-379 dax_folio_make_shared, :381-419 dax_folio_put (6.15)",
    ],
    vacuity: "the singular variants (v4.18, v4.19.0, whole-mapping, whole-mapping-reflink, reflink-singular) never share a page's owner, so no page is ever marked shared.",
  },
  clean_when_unowned: {
    formal: "□ ∀ b: |{(F,o) : entry(F,o) = b}| = 0 ⇒ mapping(b) = NULL ∧ index(b) = 0",
    sources: [
      "6.1.192 fs/dax.c:387 dax_disassociate_entry clears page->mapping and page->index",
      "6.12.117 fs/dax.c:379, the same once the share count drops to 0",
    ],
  },
  poison_reaches_every_mapping: {
    formal: "□ ¬log.missedKill, set when memory_failure returns while a process that is early-kill or current, had a PTE to the failed page when it failed and still has one, got no SIGBUS for it",
    sources: [
      "6.12.117 mm/memory-failure.c:694 collect_procs_fsdax, :448 __add_to_kill (drops tasks without a present PTE), :1738 unmap_and_kill, :526 kill_procs",
      "6.1.192 mm/memory-failure.c:588 collect_procs_fsdax, :372 add_to_kill, :1570 unmap_and_kill, :423 kill_procs",
    ],
  },
  no_spurious_signal: {
    formal: "□ ¬log.spuriousSignal, set when a process is signalled for page b at (F,o) while its PTE there does not map b",
    sources: [
      "6.12.117 mm/memory-failure.c:448 __add_to_kill and :350 kill_proc",
      "6.1.192 mm/memory-failure.c:372 add_to_kill and :270 kill_proc",
    ],
    vacuity: "the 6.x collection rules (every variant but v4.19.0) signal only tasks with a present PTE at the address, and never leave a PTE that disagrees with its offset's entry; v4.19.0, which SIGKILLed a task whose VMA had no PTE there, violates it.",
  },
  entry_matches_extent: {
    formal: "□ ∀ F, o: entry(F,o) = b ⇒ bmap(F,o) = b ∨ (F,o) is the in-flight CoW's offset",
    sources: [
      "6.12.117 fs/dax.c dax_insert_entry maps the block iomap_begin returned; fs/xfs/xfs_reflink.c xfs_reflink_end_cow remaps the extent after the CoW fault installed its page",
      "truncate_pagecache (dax_delete_mapping_entry) runs before xfs_itruncate_extents frees the blocks; xfs_flush_unmap_range deletes a reflink destination's entries before the remap",
    ],
  },
  signalled_pte_gone: {
    formal: "□ (no memory_failure in flight ⇒ ∀ P, b: P was signalled for b ⇒ ∀ F, o: pte(P, F, o) ≠ b)",
    sources: [
      "6.12.117 mm/memory-failure.c:1738 unmap_and_kill: unmap_mapping_range over the collected (mapping, index) before kill_procs",
      "6.1.192 mm/memory-failure.c:1570 unmap_and_kill, the same",
    ],
  },
  sole_owner_exact: {
    formal: "□ ∀ b: mapping(b) = F ∉ {NULL, 0x1} ⇒ |{(F',o) : entry(F',o) = b}| = 1 (where the variant records ->index; else ≥ 1, all with F' = F)",
    sources: [
      "6.1.192 fs/dax.c:364 dax_associate_entry: page->mapping/index name one (file, offset)",
      "6.12.117 fs/dax.c:356: a second mapping of a shared extent goes through dax_page_share_get and the marker (:332)",
    ],
  },
  no_leaked_entry_lock: {
    formal: "□ log.leakedLocks = 0, counted when an unlock re-reads ->mapping/->index and unlocks another entry than the one it locked",
    sources: [
      "6.1.192 fs/dax.c:478 dax_unlock_page and 6.12.117 fs/dax.c:470 dax_unlock_folio re-read page->mapping; dax_unlock_entry BUG_ON(!dax_is_locked(old)) (6.12.117 :283-285)",
      "4.19 dax_unlock_mapping_entry(page) -> unlock_mapping_entry: WARN_ON_ONCE on an unlocked entry, and the locked one stays locked",
    ],
    vacuity: "where ->mapping cannot move while memory_failure holds the entry: the rmap variants do not use ->mapping, and a fault of the poisoned page fails on its badblock.",
  },
  no_deadlock: {
    formal: "□ ¬cycle(waits-for), over the in-flight operations and the entry locks and AGF buffer lock they hold and wait for",
    sources: [
      "6.12.117 fs/xfs/xfs_notify_failure.c:230 xfs_dax_notify_ddev_failure holds the AGF buffer for the whole rmap query; mf_dax_kill_procs -> fs/dax.c:490 dax_lock_mapping_entry sleeps on a locked entry",
      "6.12.117 fs/dax.c dax_iomap_pte_fault holds the entry lock from grab_mapping_entry to dax_unlock_entry (:1741-1782) while ->iomap_begin/->iomap_end may take the AGF (xfs_reflink_end_cow)",
    ],
    vacuity: "the whole-mapping variants: their memory_failure sleeps on no entry and their 4.18 faults take no AGF under the entry lock, so no operation ever waits on another.",
  },
  no_stuck_state: {
    formal: "□ (inFlight ⇒ ∃ enabled action): the engine's global deadlock check",
    sources: ["entry locks (fs/dax.c wait_entry_unlocked), MMAPLOCK (xfs_ilock), the AGF buffer lock (xfs_alloc_read_agf)"],
    vacuity: "the whole-mapping variants: no operation ever waits on another (see no_deadlock).",
  },
};
