/**
 * Seeded bugs: each is one variant with one behaviour switch turned to what a buggy kernel did
 * (history) or what a plausible wrong patch would do (seeded), never a copy of the model.
 * `daxmc mutants` runs each against its variant and requires some invariant to notice: a
 * verdict that changes, or a change in how many states violate an invariant.
 */
import type { EvidenceKind, Variant } from "./variants.js";

/** The switches a mutant may turn. */
export type MutantSwitches = Partial<
  Pick<
    Variant,
    "lookup" | "lockChecksNullMapping" | "sharePutReturnsNew" | "collectsEarlyKill" | "truncateDeletesEntriesFirst" | "lockAfterSleep"
    | "busyScanSkipsUnmapped" | "busyScanSkipsLockedEntries"
  >
>;

/** One seeded bug. */
export interface Mutant {
  readonly id: string;
  /** The variant it is seeded into: where the bug would matter. */
  readonly variant: string;
  readonly bug: string;
  readonly kind: EvidenceKind | "seeded";
  readonly source: string;
  readonly switches: MutantSwitches;
}

/** The seeded bugs, one row each. */
export const MUTANTS: readonly Mutant[] = [
  {
    id: "lock-without-null-check",
    variant: "v4.18",
    bug: "dax_lock_page() dereferences page->mapping without checking it for NULL",
    kind: "history",
    source: "4.19.0 as released; fixed by c93db7bb6ef3 \"dax: Check page->mapping isn't NULL\" (6.1.192 fs/dax.c:442 has the check)",
    switches: { lockChecksNullMapping: false },
  },
  {
    id: "no-recheck-after-sleep",
    variant: "v6.12-normap",
    bug: "dax_lock_page() sleeps on the entry ->mapping/->index named and, woken, locks it without reading ->mapping and ->index again",
    kind: "seeded",
    source: "the revalidation every version has: 4.19 dax_lock_mapping_entry(page) loops back to READ_ONCE(page->mapping) after entry_wait_revalidate; 6.12.117 fs/dax.c:434-452 dax_lock_folio re-reads after wait_entry_unlocked",
    switches: { lockAfterSleep: "no-recheck" },
  },
  {
    id: "share-put-post-decrement",
    variant: "v6.12",
    bug: "dax_page_share_put() returns page->share-- (the count before the decrement), so the last sharer keeps the marker",
    kind: "history",
    source: "6.1.192 fs/dax.c:401 `if (page->index-- > 0) continue;` did exactly this (modelled as v6.1); 6.12.117 fs/dax.c:348 has `return --page->share;`",
    switches: { sharePutReturnsNew: false },
  },
  {
    id: "signal-only-current",
    variant: "v6.12",
    bug: "collect_procs collects only `current`, never the early-kill tasks",
    kind: "seeded",
    source: "task_early_kill(tsk, force_early) without its PF_MCE_EARLY test (6.12.117 mm/memory-failure.c:592)",
    switches: { collectsEarlyKill: false },
  },
  {
    id: "free-before-delete",
    variant: "v6.12",
    bug: "truncate frees the file's blocks before it deletes their DAX entries",
    kind: "seeded",
    source: "xfs_itruncate_extents (6.12.117 fs/xfs/xfs_iops.c:969) moved before truncate_setsize (:900)",
    switches: { truncateDeletesEntriesFirst: false },
  },
  {
    id: "drop-rmap-walk",
    variant: "v6.12",
    bug: "memory_failure skips the filesystem's rmap walk and trusts page->mapping, as with rmapbt=0",
    kind: "history",
    source: "mf_generic_kill_procs, the 6.12.117 fallback (mm/memory-failure.c:1772) when xfs_dax_notify_failure returns -EOPNOTSUPP",
    switches: { lookup: "page-mapping" },
  },
  {
    id: "busy-scan-skips-unmapped",
    variant: "upstream",
    bug: "dax_layout_busy_page() returns at once when no process maps the file, so truncate of an unmapped file waits for no DMA pin",
    kind: "history",
    source: "every kernel before 6.15: `if (!dax_mapping(mapping) || !mapping_mapped(mapping)) return NULL;` (6.12.117 fs/dax.c:693); removed by cee91fa13a8e (fs/dax.c @ 00c010e130e5 :776)",
    switches: { busyScanSkipsUnmapped: true },
  },
  {
    id: "busy-scan-skips-locked",
    variant: "upstream-normap",
    bug: "the busy-page scan waits on a locked entry, then goes on from the next index: the locked entry's page is never checked for pins, nor its entry deleted",
    kind: "history",
    source: "6.15: wait_entry_unlocked_exclusive used xas_pause, which advances the xa_state (6be3e21d25ca; fs/dax.c @ 00c010e130e5 :260); fixed by dd59137bfe70 (xas_reset), 6.16-rc1",
    switches: { busyScanSkipsLockedEntries: true },
  },
];

/** The variant a mutant runs: its variant with the switches turned. */
export function mutantVariant(base: Variant, mutant: Mutant): Variant {
  return { ...base, ...mutant.switches };
}
