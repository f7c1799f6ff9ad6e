/**
 * What each property reads of a state, by Layout field: the engine evaluates a property on a
 * state only when the step that first reached it changed a byte the property reads (otherwise
 * the parent's answer stands). test/spec/footprints.test.ts checks every list against the
 * property's code by changing each byte outside it.
 */
import type { Layout } from "./state.js";

/** The Layout's byte fields, in layout order: every byte of a state belongs to exactly one. */
export const FIELDS = [
  "alive", "inactive", "bmap", "entry", "pageMapping", "pageIndex", "pageFlags", "pagePins", "vmas", "pte",
  "sigAR", "sigAO", "sigKill", "truncFile", "truncPhase", "reflinked", "faultPhase", "faultSlot", "faultBlock",
  "mfPhase", "mfBlock", "mfConsumer", "mfLocked", "mfWait", "mfOwners", "mfMappers", "leakedLocks", "poisonsLeft",
  "outcome", "oopsReason", "shutdownReason",
] as const;

export type Field = (typeof FIELDS)[number];

/** The byte offsets `fields` occupy in a state of layout `L` (a field runs to the next one's start). */
export function fieldBytes(L: Layout, fields: readonly Field[]): number[] {
  const out: number[] = [];
  for (const f of fields) {
    const i = FIELDS.indexOf(f);
    const end = i + 1 < FIELDS.length ? L[FIELDS[i + 1]] : L.size;
    for (let at = L[f]; at < end; at++) out.push(at);
  }
  return out.sort((a, b) => a - b);
}

/** The fields the wait-for graph of spec/locks.ts reads (fillWaits, faultNeedsAgf, entryHolder, indexedSlot, isAlive). */
const WAIT_GRAPH: readonly Field[] = [
  "alive", "bmap", "pageMapping", "pageIndex", "truncFile", "truncPhase", "reflinked", "faultPhase", "faultSlot",
  "mfPhase", "mfBlock", "mfLocked", "mfWait", "mfOwners",
];

/** Per property id (invariants and partners): the fields its code reads. `no_stuck_state` has none: it depends on what is enabled. */
export const READS: Readonly<Record<string, readonly Field[]>> = {
  no_oops: ["outcome"],
  no_warn_associate: ["outcome"],
  no_warn_disassociate: ["outcome"],
  no_warn_truncate_busy: ["outcome"],
  no_free_while_pinned: ["outcome"],
  backpointer_sound: ["entry", "pageMapping", "pageIndex"],
  owner_lookup_complete: ["bmap", "entry", "pageMapping", "pageIndex"],
  share_count_exact: ["entry", "pageMapping", "pageIndex"],
  clean_when_unowned: ["entry", "pageMapping", "pageIndex"],
  poison_reaches_every_mapping: ["outcome"],
  no_spurious_signal: ["outcome"],
  entry_matches_extent: ["bmap", "entry", "faultPhase", "faultSlot"],
  signalled_pte_gone: ["pte", "sigAR", "sigAO", "mfPhase"],
  sole_owner_exact: ["entry", "pageMapping"],
  no_deadlock: WAIT_GRAPH,
  no_leaked_entry_lock: ["leakedLocks"],
  failure_looks_up_mapped_page: ["entry", "mfPhase", "mfBlock"],
  owned_page_reachable_twice: ["bmap", "pageMapping"],
  page_mapped_by_two_entries: ["entry"],
  pinned_page_of_releasable_file: ["entry", "pagePins", "vmas", "truncFile"],
  page_owned: ["pageMapping"],
  page_marked_shared: ["pageMapping"],
  entries_deleted_blocks_held: ["truncPhase"],
  poisoned_page_mapped_twice: ["mfPhase", "mfMappers"],
  pte_disagrees_with_entry: ["entry", "pte"],
  operation_waits_on_another: [...WAIT_GRAPH, "outcome"],
  extent_changing_under_entry: ["entry", "truncFile", "truncPhase", "faultPhase", "faultSlot"],
  process_signalled: ["sigAR", "sigAO"],
  mapping_moved_under_failure: ["pageMapping", "pageIndex", "mfBlock", "mfLocked"],
};
