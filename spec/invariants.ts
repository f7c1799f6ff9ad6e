/**
 * The invariants of section 4 of the design note, each with a `sometimes` partner that proves
 * the situation it guards arises, so that a pass is never vacuous. Ids are CLI and file names.
 */
import type { Property } from "../src/core/model.js";
import { type Ctx, fileMapped } from "./context.js";
import { READS, fieldBytes } from "./footprints.js";
import { someoneWaits, waitCycle } from "./locks.js";
import { type DaxState, FAULT, type Layout, MAPPING_NONE, MAPPING_SHARED, MF, OUT, TRUNC } from "./state.js";

const flagClear = (L: Layout, bit: number) => (s: DaxState): boolean => (s[L.outcome] & bit) === 0;

/**
 * Whether a page's owner names a file and offset whose entry maps it back: (->mapping, ->index)
 * where the variant records ->index, else some offset of ->mapping's file.
 */
function backpointerSound({ v, L }: Ctx, s: DaxState): boolean {
  for (let b = 0; b < L.blocks; b++) {
    const m = s[L.pageMapping + b];
    if (m === MAPPING_NONE || m === MAPPING_SHARED) continue;
    if (m - 1 >= L.files) return false;
    if (!v.recordsIndex) {
      if (!fileMapsBlock(L, s, m - 1, b)) return false;
      continue;
    }
    const idx = s[L.pageIndex + b];
    if (idx >= L.offsets || L.entryBlock(s, L.slot(m - 1, idx)) !== b) return false;
  }
  return true;
}

/** Whether some entry of file f maps block b. */
function fileMapsBlock(L: Layout, s: DaxState, f: number, b: number): boolean {
  for (let o = 0; o < L.offsets; o++) if (L.entryBlock(s, L.slot(f, o)) === b) return true;
  return false;
}

/** Whether the variant's owner lookup names the entry at slot i for its page b: by extent (rmap), by ->mapping alone (whole mapping), or by ->mapping and ->index. */
function lookupNames({ v, L }: Ctx, s: DaxState, i: number, b: number): boolean {
  switch (v.lookup) {
    case "rmap": return L.bmapBlock(s, i) === b;
    case "whole-mapping": return s[L.pageMapping + b] === L.fileOf(i) + 1;
    case "page-mapping": return s[L.pageMapping + b] === L.fileOf(i) + 1 && s[L.pageIndex + b] === L.offsetOf(i);
    default: {
      const never: never = v.lookup;
      return never;
    }
  }
}

/**
 * Whether memory_failure()'s owner lookup, as the variant does it, finds every entry mapping
 * each page. The rmap lookup names an in-flight CoW's new page by XFS_RMAP_OWN_COW, not by the
 * file (source review 2.2): that entry counts as not found, because the walk shuts XFS down
 * instead of signalling whoever maps it.
 */
function ownerLookupComplete(c: Ctx, s: DaxState): boolean {
  const { L } = c;
  for (let i = 0; i < L.slots; i++) {
    const b = L.entryBlock(s, i);
    if (b >= 0 && !lookupNames(c, s, i, b)) return false;
  }
  return true;
}

/** Whether every page carrying the shared marker counts exactly the entries that map it. */
function shareCountExact(L: Layout, s: DaxState): boolean {
  for (let b = 0; b < L.blocks; b++) {
    if (s[L.pageMapping + b] === MAPPING_SHARED && s[L.pageIndex + b] !== L.entriesOn(s, b)) return false;
  }
  return true;
}

/** Whether every page no entry maps has no owner, no marker and no count. */
function cleanWhenUnowned(L: Layout, s: DaxState): boolean {
  for (let b = 0; b < L.blocks; b++) {
    if (L.entriesOn(s, b) === 0 && (s[L.pageMapping + b] !== MAPPING_NONE || s[L.pageIndex + b] !== 0)) return false;
  }
  return true;
}

/** Some page has an owner and a second (file, offset) whose extent points at it: a fault there meets an owned page. */
function ownedPageReachableTwice(L: Layout, s: DaxState): boolean {
  for (let b = 0; b < L.blocks; b++) if (s[L.pageMapping + b] !== MAPPING_NONE && L.refcount(s, b) >= 2) return true;
  return false;
}

function pageMappedByTwoEntries(L: Layout, s: DaxState): boolean {
  for (let b = 0; b < L.blocks; b++) if (L.entriesOn(s, b) >= 2) return true;
  return false;
}

/** A pinned page belongs to a file being truncated, or to a file no process maps (so it can be evicted). */
function pinnedPageOfReleasableFile(L: Layout, s: DaxState): boolean {
  for (let i = 0; i < L.slots; i++) {
    const e = L.entryBlock(s, i);
    if (e < 0 || s[L.pagePins + e] === 0) continue;
    const f = L.fileOf(i);
    if (s[L.truncFile] === f + 1 || !fileMapped(L, s, f)) return true;
  }
  return false;
}

/** Whether every DAX entry points at its extent's block, except an in-flight CoW's, whose new page is mapped before xfs_reflink_end_cow remaps the extent. */
function entryMatchesExtent(L: Layout, s: DaxState): boolean {
  for (let i = 0; i < L.slots; i++) {
    const e = L.entryBlock(s, i);
    if (e >= 0 && L.bmapBlock(s, i) !== e && !inCowWindow(L, s, i)) return false;
  }
  return true;
}

/**
 * Whether some process's CoW fault has inserted its new page's entry at `slot` and not yet
 * finished: remapped the extent (FAULT.cowMapped) or cancelled it after a failed copy
 * (FAULT.cowFailed; what the cancel leaves behind is judged once the fault is over).
 */
function inCowWindow(L: Layout, s: DaxState, slot: number): boolean {
  for (let p = 0; p < L.procs; p++) {
    const phase = s[L.faultPhase + p];
    if ((phase === FAULT.cowMapped || phase === FAULT.cowFailed) && L.faultSlotOf(s, p) === slot) return true;
  }
  return false;
}

/**
 * Whether, once memory_failure has returned, no process still has a PTE to a page it was
 * signalled for (unmap_mapping_range runs before kill_procs for every owner found; during the
 * rmap walk an owner not yet reached still has its PTE, so in-flight states are not judged).
 */
function signalledPteGone(L: Layout, s: DaxState): boolean {
  if (s[L.mfPhase] !== MF.none) return true;
  for (let p = 0; p < L.procs; p++) {
    const signalled = s[L.sigAR + p] | s[L.sigAO + p];
    if (signalled === 0) continue;
    for (let i = 0; i < L.slots; i++) {
      const b = L.pteBlock(s, p, i);
      if (b >= 0 && (signalled & (1 << b)) !== 0) return false;
    }
  }
  return true;
}

/**
 * Whether a page with a regular owner (not the marker) is mapped by exactly one DAX entry where
 * the variant records ->index (one owner, one mapping), or, in the whole-mapping design, by at
 * least one entry and only by entries of ->mapping's file.
 */
function soleOwnerExact({ v, L }: Ctx, s: DaxState): boolean {
  for (let b = 0; b < L.blocks; b++) {
    const m = s[L.pageMapping + b];
    if (m === MAPPING_NONE || m === MAPPING_SHARED) continue;
    if (v.recordsIndex ? L.entriesOn(s, b) !== 1 : !onlyFileMaps(L, s, m - 1, b)) return false;
  }
  return true;
}

/** Whether block b is mapped by some entry, and only by entries of file f. */
function onlyFileMaps(L: Layout, s: DaxState, f: number, b: number): boolean {
  let n = 0;
  for (let i = 0; i < L.slots; i++) {
    if (L.entryBlock(s, i) !== b) continue;
    if (L.fileOf(i) !== f) return false;
    n++;
  }
  return n > 0;
}

/** A truncate is about to delete the entries of a file that has some: the extents are about to change under entries. */
function truncateUnderEntries(L: Layout, s: DaxState): boolean {
  const f = s[L.truncFile] - 1;
  if (f < 0 || s[L.truncPhase] !== TRUNC.deleteEntries) return false;
  for (let o = 0; o < L.offsets; o++) if (L.entryBlock(s, L.slot(f, o)) >= 0) return true;
  return false;
}

/** Some process's CoW fault has inserted its new page's entry and not yet remapped the extent. */
function someCowWindow(L: Layout, s: DaxState): boolean {
  for (let i = 0; i < L.slots; i++) if (inCowWindow(L, s, i)) return true;
  return false;
}

/** memory_failure holds an entry lock, and the page's ->mapping/->index now name something else. */
function mappingMovedUnderFailure(L: Layout, s: DaxState): boolean {
  const locked = s[L.mfLocked] - 1;
  if (locked < 0) return false;
  const b = s[L.mfBlock] - 1;
  const m = s[L.pageMapping + b];
  return m === MAPPING_NONE || m === MAPPING_SHARED || L.indexedSlot(s, b) !== locked;
}

/** A process's PTE at a (file, offset) maps a page other than the one that offset's DAX entry points at. */
function pteDisagreesWithEntry(L: Layout, s: DaxState): boolean {
  for (let p = 0; p < L.procs; p++) {
    for (let i = 0; i < L.slots; i++) {
      const b = L.pteBlock(s, p, i);
      if (b >= 0 && b !== L.entryBlock(s, i)) return true;
    }
  }
  return false;
}

/** memory_failure() is looking up the owners of a page that some entry maps. */
function failureLooksUpMappedPage(L: Layout, s: DaxState): boolean {
  const phase = s[L.mfPhase];
  return (phase === MF.lockPage || phase === MF.queryRmap) && L.entriesOn(s, s[L.mfBlock] - 1) > 0;
}

function popcount(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}

/** Whether an operation is in flight (and the kernel still runs). */
export function inFlight(L: Layout, s: DaxState): boolean {
  if (L.oopsed(s)) return false;
  if (s[L.truncFile] !== 0 || s[L.mfPhase] !== MF.none) return true;
  for (let p = 0; p < L.procs; p++) if (s[L.faultPhase + p] !== FAULT.none) return true;
  return false;
}

/** One invariant: id, meaning, and the sometimes partner that shows it is not vacuous. */
export interface InvariantDoc {
  readonly id: string;
  readonly meaning: string;
  readonly kernel: string;
  readonly partner: string;
  readonly partnerMeaning: string;
}

/** The documented invariants, in matrix order. */
export const INVARIANTS: readonly InvariantDoc[] = [
  { id: "no_oops", meaning: "no step dereferences a NULL, marker or freed ->mapping", kernel: "dax_lock_page (4.19), dax_lock_folio (6.12) -> dax_mapping()", partner: "failure_looks_up_mapped_page", partnerMeaning: "memory_failure() looks up the owners of a page some entry maps" },
  { id: "no_warn_associate", meaning: "dax_associate_entry never finds the page owned already", kernel: "fs/dax.c dax_associate_entry: WARN_ON_ONCE(page->mapping)", partner: "owned_page_reachable_twice", partnerMeaning: "an owned page is also the block of a second (file, offset)" },
  { id: "no_warn_disassociate", meaning: "dax_disassociate_entry never finds another owner", kernel: "fs/dax.c dax_disassociate_entry: WARN_ON_ONCE(page->mapping && page->mapping != mapping)", partner: "page_mapped_by_two_entries", partnerMeaning: "two DAX entries map one page" },
  { id: "no_warn_truncate_busy", meaning: "truncate or eviction never disassociates a pinned page", kernel: "fs/dax.c dax_disassociate_entry: WARN_ON_ONCE(trunc && page_ref_count(page) > 1)", partner: "pinned_page_of_releasable_file", partnerMeaning: "a pinned page belongs to a file being truncated or mapped by no process" },
  { id: "no_free_while_pinned", meaning: "a block is never freed while a get_user_pages pin holds its page", kernel: "xfs_itruncate_extents / xfs_inactive vs dax_layout_busy_page", partner: "pinned_page_of_releasable_file", partnerMeaning: "a pinned page belongs to a file being truncated or mapped by no process" },
  { id: "backpointer_sound", meaning: "a page owned by (file, index) has that file's entry at that index pointing back at it", kernel: "page->mapping/page->index set by dax_associate_entry", partner: "page_owned", partnerMeaning: "some page has a regular owner" },
  { id: "owner_lookup_complete", meaning: "every entry that maps a page is found by the variant's memory_failure lookup", kernel: "collect_procs (page->mapping/index) or xfs_dax_notify_failure (rmap)", partner: "failure_looks_up_mapped_page", partnerMeaning: "memory_failure() looks up the owners of a page some entry maps" },
  { id: "share_count_exact", meaning: "a page with the shared marker counts exactly the entries that map it", kernel: "dax_page_share_get / dax_page_share_put (6.12)", partner: "page_marked_shared", partnerMeaning: "some page carries the shared marker" },
  { id: "clean_when_unowned", meaning: "a page no entry maps has no owner, no marker and no count", kernel: "dax_disassociate_entry clears ->mapping and ->index", partner: "entries_deleted_blocks_held", partnerMeaning: "a truncate has deleted a file's entries and not yet freed its blocks" },
  { id: "poison_reaches_every_mapping", meaning: "when memory_failure finishes, every entitled process that mapped the page and still does was signalled", kernel: "collect_procs / collect_procs_fsdax, unmap_and_kill, kill_procs", partner: "poisoned_page_mapped_twice", partnerMeaning: "a page fails while two processes map it" },
  { id: "no_spurious_signal", meaning: "no process is signalled for a page its PTE at that address does not map", kernel: "__add_to_kill / kill_proc", partner: "pte_disagrees_with_entry", partnerMeaning: "a process's PTE at an offset maps another page than that offset's DAX entry" },
  { id: "entry_matches_extent", meaning: "every DAX entry points at its extent's block, except the in-flight copy-on-write's", kernel: "dax_insert_entry vs xfs_bmapi / xfs_reflink_end_cow, truncate_pagecache before xfs_itruncate_extents", partner: "extent_changing_under_entry", partnerMeaning: "an extent is about to change, or has changed, under a DAX entry: a truncate is about to delete a file's entries, or a CoW fault has mapped its new block before remapping the extent" },
  { id: "signalled_pte_gone", meaning: "once memory_failure returns, no process keeps a PTE to a page it was signalled for", kernel: "unmap_and_kill: unmap_mapping_range before kill_procs", partner: "process_signalled", partnerMeaning: "some process was signalled for a poisoned page" },
  { id: "sole_owner_exact", meaning: "a page with a regular owner is mapped by exactly one DAX entry (a shared one must carry the marker)", kernel: "dax_associate_entry: page->mapping names one owner; sharing needs dax_page_share_get", partner: "page_owned", partnerMeaning: "some page has a regular owner" },
  { id: "no_deadlock", meaning: "no in-flight operations wait on each other in a cycle (ABBA between locks)", kernel: "the wait-for graph of DAX entry locks (grab_mapping_entry, dax_lock_page/folio, dax_lock_mapping_entry) and the AGF buffer lock (xfs_read_iomap_begin / xfs_reflink_allocate_cow / xfs_reflink_end_cow vs xfs_dax_notify_ddev_failure)", partner: "operation_waits_on_another", partnerMeaning: "an in-flight operation waits on a lock another in-flight operation holds" },
  { id: "no_leaked_entry_lock", meaning: "every DAX entry lock is released by the operation that took it", kernel: "dax_unlock_page (6.1), dax_unlock_folio (6.12), dax_unlock_mapping_entry(page) (4.19) re-read page->mapping/->index", partner: "mapping_moved_under_failure", partnerMeaning: "page->mapping/->index no longer name the entry memory_failure holds locked" },
  { id: "no_stuck_state", meaning: "while an operation is in flight some step is enabled (the engine's global deadlock check)", kernel: "entry locks, MMAPLOCK, AGF buffer lock", partner: "operation_waits_on_another", partnerMeaning: "an in-flight operation waits on a lock another in-flight operation holds" },
];

/** The engine properties for a model instance: every invariant, then every distinct partner. */
export function properties(c: Ctx): readonly Property<DaxState>[] {
  const { L } = c;
  const always: Record<string, (s: DaxState) => boolean> = {
    no_oops: flagClear(L, OUT.oops),
    no_warn_associate: flagClear(L, OUT.warnAssociate),
    no_warn_disassociate: flagClear(L, OUT.warnDisassociate),
    no_warn_truncate_busy: flagClear(L, OUT.warnTruncateBusy),
    no_free_while_pinned: flagClear(L, OUT.freedPinned),
    backpointer_sound: (s) => backpointerSound(c, s),
    owner_lookup_complete: (s) => ownerLookupComplete(c, s),
    share_count_exact: (s) => shareCountExact(L, s),
    clean_when_unowned: (s) => cleanWhenUnowned(L, s),
    poison_reaches_every_mapping: flagClear(L, OUT.missedKill),
    no_spurious_signal: flagClear(L, OUT.spuriousSignal),
    entry_matches_extent: (s) => entryMatchesExtent(L, s),
    signalled_pte_gone: (s) => signalledPteGone(L, s),
    sole_owner_exact: (s) => soleOwnerExact(c, s),
    no_deadlock: (s) => !waitCycle(c, s),
    no_leaked_entry_lock: (s) => s[L.leakedLocks] === 0,
  };
  const sometimes: Record<string, (s: DaxState) => boolean> = {
    failure_looks_up_mapped_page: (s) => failureLooksUpMappedPage(L, s),
    owned_page_reachable_twice: (s) => ownedPageReachableTwice(L, s),
    page_mapped_by_two_entries: (s) => pageMappedByTwoEntries(L, s),
    pinned_page_of_releasable_file: (s) => pinnedPageOfReleasableFile(L, s),
    page_owned: (s) => {
      for (let b = 0; b < L.blocks; b++) {
        const m = s[L.pageMapping + b];
        if (m !== MAPPING_NONE && m !== MAPPING_SHARED) return true;
      }
      return false;
    },
    page_marked_shared: (s) => {
      for (let b = 0; b < L.blocks; b++) if (s[L.pageMapping + b] === MAPPING_SHARED) return true;
      return false;
    },
    entries_deleted_blocks_held: (s) => s[L.truncPhase] === TRUNC.freeBlocks,
    poisoned_page_mapped_twice: (s) => s[L.mfPhase] !== MF.none && popcount(s[L.mfMappers]) >= 2,
    pte_disagrees_with_entry: (s) => pteDisagreesWithEntry(L, s),
    operation_waits_on_another: (s) => someoneWaits(c, s),
    extent_changing_under_entry: (s) => truncateUnderEntries(L, s) || someCowWindow(L, s),
    process_signalled: (s) => {
      for (let p = 0; p < L.procs; p++) if ((s[L.sigAR + p] | s[L.sigAO + p]) !== 0) return true;
      return false;
    },
    mapping_moved_under_failure: (s) => mappingMovedUnderFailure(L, s),
  };
  const props: Property<DaxState>[] = INVARIANTS.map((inv): Property<DaxState> =>
    inv.id === "no_stuck_state"
      ? { kind: "deadlockFree", name: inv.id, description: inv.meaning, partner: inv.partner, inFlight: (s) => inFlight(L, s) }
      : { kind: "always", name: inv.id, description: inv.meaning, partner: inv.partner, holds: always[inv.id], reads: fieldBytes(L, READS[inv.id]) },
  );
  const seen = new Set<string>();
  for (const inv of INVARIANTS) {
    if (seen.has(inv.partner)) continue;
    seen.add(inv.partner);
    props.push({ kind: "sometimes", name: inv.partner, description: inv.partnerMeaning, holds: sometimes[inv.partner], reads: fieldBytes(L, READS[inv.partner]) });
  }
  return props;
}
