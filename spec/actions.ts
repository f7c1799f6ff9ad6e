/**
 * The actions of the DAX model: each is one step that the kernel's locking makes atomic, and
 * names the kernel function it abstracts. Candidates are enumerated once per bounds, in a
 * fixed order, so the engine can replay paths by index.
 */
import { match } from "ts-pattern";
import type { Layout } from "./state.js";

/** One step of a process, the filesystem, the kernel or the hardware. */
export type DaxAction =
  | { readonly kind: "mmap"; readonly proc: number; readonly file: number }
  | { readonly kind: "munmap"; readonly proc: number; readonly file: number }
  | { readonly kind: "fault"; readonly proc: number; readonly slot: number }
  | { readonly kind: "alloc"; readonly proc: number; readonly slot: number }
  | { readonly kind: "cow_fault"; readonly proc: number; readonly slot: number }
  | { readonly kind: "fault_map"; readonly proc: number }
  | { readonly kind: "alloc_map"; readonly proc: number; readonly block: number }
  | { readonly kind: "cow_alloc"; readonly proc: number; readonly block: number }
  | { readonly kind: "cow_end"; readonly proc: number }
  | { readonly kind: "pin"; readonly proc: number; readonly slot: number }
  | { readonly kind: "unpin"; readonly block: number }
  | { readonly kind: "reflink"; readonly src: number; readonly dst: number }
  | { readonly kind: "truncate_begin"; readonly file: number }
  | { readonly kind: "truncate_delete" }
  | { readonly kind: "truncate_free" }
  | { readonly kind: "evict"; readonly file: number }
  | { readonly kind: "scrub"; readonly block: number }
  | { readonly kind: "consume"; readonly proc: number; readonly slot: number }
  | { readonly kind: "mf_lock" }
  | { readonly kind: "mf_kill" }
  | { readonly kind: "mf_unlock" }
  | { readonly kind: "mf_query_rmap" }
  | { readonly kind: "mf_kill_owner" }
  | { readonly kind: "reflink_range"; readonly file: number; readonly src: number; readonly dst: number }
  | { readonly kind: "inodegc"; readonly file: number }
  | { readonly kind: "madvise"; readonly proc: number; readonly slot: number }
  | { readonly kind: "inject"; readonly block: number }
  | { readonly kind: "ars"; readonly block: number };

export type ActionKind = DaxAction["kind"];

/** Index of each action kind: a Record, so adding a kind to DaxAction without listing it here is a compile error. */
const KIND_INDEX: Readonly<Record<ActionKind, number>> = {
  mmap: 0, munmap: 1, fault: 2, alloc: 3, cow_fault: 4, fault_map: 5, alloc_map: 6, cow_alloc: 7, cow_end: 8,
  pin: 9, unpin: 10, reflink: 11, truncate_begin: 12, truncate_delete: 13, truncate_free: 14, evict: 15,
  scrub: 16, consume: 17, mf_lock: 18, mf_kill: 19, mf_unlock: 20, mf_query_rmap: 21, mf_kill_owner: 22,
  reflink_range: 23, inodegc: 24, madvise: 25, inject: 26, ars: 27,
};

/** Every action kind, in the order candidates and statistics list them. */
export const ACTION_KINDS: readonly ActionKind[] = (Object.keys(KIND_INDEX) as ActionKind[]).sort(
  (a, b) => KIND_INDEX[a] - KIND_INDEX[b],
);

/**
 * Index of an action's kind in ACTION_KINDS. A switch, not `KIND_INDEX[a.kind]`: a lookup keyed by
 * a different string each call is megamorphic in V8 (about 24 ns a call against 10), and the search asks
 * for the kind of every successor.
 */
export function kindIndex(a: DaxAction): number {
  switch (a.kind) {
    case "mmap": return KIND_INDEX.mmap;
    case "munmap": return KIND_INDEX.munmap;
    case "fault": return KIND_INDEX.fault;
    case "alloc": return KIND_INDEX.alloc;
    case "cow_fault": return KIND_INDEX.cow_fault;
    case "fault_map": return KIND_INDEX.fault_map;
    case "alloc_map": return KIND_INDEX.alloc_map;
    case "cow_alloc": return KIND_INDEX.cow_alloc;
    case "cow_end": return KIND_INDEX.cow_end;
    case "pin": return KIND_INDEX.pin;
    case "unpin": return KIND_INDEX.unpin;
    case "reflink": return KIND_INDEX.reflink;
    case "truncate_begin": return KIND_INDEX.truncate_begin;
    case "truncate_delete": return KIND_INDEX.truncate_delete;
    case "truncate_free": return KIND_INDEX.truncate_free;
    case "evict": return KIND_INDEX.evict;
    case "scrub": return KIND_INDEX.scrub;
    case "consume": return KIND_INDEX.consume;
    case "mf_lock": return KIND_INDEX.mf_lock;
    case "mf_kill": return KIND_INDEX.mf_kill;
    case "mf_unlock": return KIND_INDEX.mf_unlock;
    case "mf_query_rmap": return KIND_INDEX.mf_query_rmap;
    case "mf_kill_owner": return KIND_INDEX.mf_kill_owner;
    case "reflink_range": return KIND_INDEX.reflink_range;
    case "inodegc": return KIND_INDEX.inodegc;
    case "madvise": return KIND_INDEX.madvise;
    case "inject": return KIND_INDEX.inject;
    case "ars": return KIND_INDEX.ars;
    default: {
      const never: never = a;
      return never;
    }
  }
}

/** File names A, B, C, D. */
export const fileName = (f: number): string => String.fromCharCode(65 + f);
/** Process names X, Y, Z, W. */
export const procName = (p: number): string => "XYZW"[p] ?? `P${p}`;
/** Block (pmem page) names p1, p2, ... */
export const blockName = (b: number): string => `p${b + 1}`;
/** "A[0]" for a slot. */
export const slotName = (L: Layout, slot: number): string => `${fileName(L.fileOf(slot))}[${L.offsetOf(slot)}]`;

type Of<K extends ActionKind> = Extract<DaxAction, { kind: K }>;

/** How to enumerate each kind's candidates: a mapped type, so every kind must have an entry. */
const GENERATORS: { readonly [K in ActionKind]: (L: Layout) => Of<K>[] } = {
  mmap: (L) => procFile(L).map(([proc, file]) => ({ kind: "mmap", proc, file })),
  munmap: (L) => procFile(L).map(([proc, file]) => ({ kind: "munmap", proc, file })),
  fault: (L) => procSlot(L).map(([proc, slot]) => ({ kind: "fault", proc, slot })),
  alloc: (L) => procSlot(L).map(([proc, slot]) => ({ kind: "alloc", proc, slot })),
  cow_fault: (L) => procSlot(L).map(([proc, slot]) => ({ kind: "cow_fault", proc, slot })),
  fault_map: (L) => range(L.procs).map((proc) => ({ kind: "fault_map", proc })),
  alloc_map: (L) => procBlock(L).map(([proc, block]) => ({ kind: "alloc_map", proc, block })),
  cow_alloc: (L) => procBlock(L).map(([proc, block]) => ({ kind: "cow_alloc", proc, block })),
  cow_end: (L) => range(L.procs).map((proc) => ({ kind: "cow_end", proc })),
  pin: (L) => procSlot(L).map(([proc, slot]) => ({ kind: "pin", proc, slot })),
  unpin: (L) => range(L.blocks).map((block) => ({ kind: "unpin", block })),
  reflink: (L) => range(L.files).flatMap((src) => range(L.files).filter((dst) => dst !== src).map((dst) => ({ kind: "reflink" as const, src, dst }))),
  truncate_begin: (L) => range(L.files).map((file) => ({ kind: "truncate_begin", file })),
  truncate_delete: () => [{ kind: "truncate_delete" }],
  truncate_free: () => [{ kind: "truncate_free" }],
  evict: (L) => range(L.files).map((file) => ({ kind: "evict", file })),
  scrub: (L) => range(L.blocks).map((block) => ({ kind: "scrub", block })),
  consume: (L) => procSlot(L).map(([proc, slot]) => ({ kind: "consume", proc, slot })),
  mf_lock: () => [{ kind: "mf_lock" }],
  mf_kill: () => [{ kind: "mf_kill" }],
  mf_unlock: () => [{ kind: "mf_unlock" }],
  mf_query_rmap: () => [{ kind: "mf_query_rmap" }],
  mf_kill_owner: () => [{ kind: "mf_kill_owner" }],
  reflink_range: (L) =>
    range(L.files).flatMap((file) =>
      range(L.offsets).flatMap((src) => range(L.offsets).filter((dst) => dst !== src).map((dst) => ({ kind: "reflink_range" as const, file, src, dst }))),
    ),
  inodegc: (L) => range(L.files).map((file) => ({ kind: "inodegc", file })),
  madvise: (L) => procSlot(L).map(([proc, slot]) => ({ kind: "madvise", proc, slot })),
  inject: (L) => range(L.blocks).map((block) => ({ kind: "inject", block })),
  ars: (L) => range(L.blocks).map((block) => ({ kind: "ars", block })),
};

/** Every candidate action for these bounds, in the fixed order `actions()` lists them. */
export function candidateActions(L: Layout): readonly DaxAction[] {
  return ACTION_KINDS.flatMap((k): DaxAction[] => GENERATORS[k](L)).map(uniform);
}

/**
 * The action with every parameter field present, in one order, those of other kinds undefined:
 * V8 then gives all candidates one hidden class, so the search's reads of `kind` and of the
 * parameters stay monomorphic (trying a state's 35 candidates took a fifth less time).
 */
function uniform(a: DaxAction): DaxAction {
  const all = { kind: a.kind, proc: undefined, file: undefined, slot: undefined, block: undefined, src: undefined, dst: undefined };
  return Object.assign(all, a);
}

/** 0, 1, ..., n-1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
const procFile = (L: Layout): [number, number][] => range(L.procs).flatMap((p) => range(L.files).map((f): [number, number] => [p, f]));
const procSlot = (L: Layout): [number, number][] => range(L.procs).flatMap((p) => range(L.slots).map((s): [number, number] => [p, s]));
const procBlock = (L: Layout): [number, number][] => range(L.procs).flatMap((p) => range(L.blocks).map((b): [number, number] => [p, b]));

/** The stable label of an action: what traces store and `replay` matches. */
export function actionLabel(L: Layout, a: DaxAction): string {
  return match(a)
    .with({ kind: "mmap" }, { kind: "munmap" }, (x) => `${x.kind}(${procName(x.proc)},${fileName(x.file)})`)
    .with({ kind: "fault" }, { kind: "alloc" }, { kind: "cow_fault" }, { kind: "pin" }, { kind: "consume" }, { kind: "madvise" }, (x) => `${x.kind}(${procName(x.proc)},${slotName(L, x.slot)})`)
    .with({ kind: "fault_map" }, { kind: "cow_end" }, (x) => `${x.kind}(${procName(x.proc)})`)
    .with({ kind: "alloc_map" }, { kind: "cow_alloc" }, (x) => `${x.kind}(${procName(x.proc)},${blockName(x.block)})`)
    .with({ kind: "unpin" }, { kind: "scrub" }, { kind: "inject" }, { kind: "ars" }, (x) => `${x.kind}(${blockName(x.block)})`)
    .with({ kind: "reflink_range" }, (x) => `reflink_range(${fileName(x.file)}[${x.src}]->${fileName(x.file)}[${x.dst}])`)
    .with({ kind: "reflink" }, (x) => `reflink(${fileName(x.src)}->${fileName(x.dst)})`)
    .with({ kind: "truncate_begin" }, { kind: "evict" }, { kind: "inodegc" }, (x) => `${x.kind}(${fileName(x.file)})`)
    .with(
      { kind: "truncate_delete" }, { kind: "truncate_free" },
      { kind: "mf_lock" }, { kind: "mf_kill" }, { kind: "mf_unlock" }, { kind: "mf_query_rmap" }, { kind: "mf_kill_owner" },
      (x) => x.kind,
    )
    .exhaustive();
}

/** What an action is, in kernel terms: the function it abstracts. */
export function describeAction(L: Layout, a: DaxAction): string {
  return match(a)
    .with({ kind: "mmap" }, (x) => `process ${procName(x.proc)} mmaps file ${fileName(x.file)} MAP_SHARED (xfs_file_mmap)`)
    .with({ kind: "munmap" }, (x) => `process ${procName(x.proc)} munmaps file ${fileName(x.file)}: its PTEs are zapped (unmap_region)`)
    .with({ kind: "fault" }, (x) => `process ${procName(x.proc)} faults ${slotName(L, x.slot)} and locks its DAX entry (dax_iomap_pte_fault -> grab_mapping_entry)`)
    .with({ kind: "alloc" }, (x) => `process ${procName(x.proc)} write-faults the hole ${slotName(L, x.slot)} and locks its DAX entry (grab_mapping_entry)`)
    .with({ kind: "cow_fault" }, (x) => `process ${procName(x.proc)} write-faults the shared ${slotName(L, x.slot)} and locks its DAX entry (grab_mapping_entry)`)
    .with({ kind: "fault_map" }, (x) => `process ${procName(x.proc)}'s fault maps the block (->iomap_begin, AGF where taken), inserts the entry and the PTE, unlocks the entry (dax_insert_entry, dax_unlock_entry); or fails`)
    .with({ kind: "alloc_map" }, (x) => `process ${procName(x.proc)}'s write fault allocates ${blockName(x.block)} (xfs_direct_write_iomap_begin, AGF), inserts the entry and the PTE, unlocks the entry`)
    .with({ kind: "cow_alloc" }, (x) => `process ${procName(x.proc)}'s write fault stages ${blockName(x.block)} in the CoW fork (xfs_reflink_allocate_cow, AGF), inserts the entry as shared (dax_insert_entry), copies the old block and installs the PTE, or fails if the copy fails; the entry stays locked`)
    .with({ kind: "cow_end" }, (x) => `process ${procName(x.proc)}'s CoW fault remaps its new block into the file and drops the old one (xfs_dax_write_iomap_end -> xfs_reflink_end_cow, AGF), or after a failed copy frees it (xfs_reflink_cancel_cow_range), then unlocks the entry`)
    .with({ kind: "pin" }, (x) => `process ${procName(x.proc)} pins the page it maps at ${slotName(L, x.slot)} for DMA (get_user_pages)`)
    .with({ kind: "unpin" }, (x) => `a DMA pin on ${blockName(x.block)} is released (put_page / unpin_user_page)`)
    .with({ kind: "reflink" }, (x) => `FICLONE: ${fileName(x.dst)} now shares ${fileName(x.src)}'s blocks (xfs_reflink_remap_range; the destination's entries are deleted first)`)
    .with({ kind: "truncate_begin" }, (x) => `truncate ${fileName(x.file)} to 0: take the MMAPLOCK, zap every PTE and wait for pins (xfs_break_dax_layouts -> dax_layout_busy_page)`)
    .with({ kind: "truncate_delete" }, () => "truncate deletes the file's DAX entries (truncate_inode_pages_range -> dax_delete_mapping_entry -> dax_disassociate_entry(trunc=true))")
    .with({ kind: "truncate_free" }, () => "truncate frees the file's extents; a block whose refcount reaches 0 goes back to the allocator (xfs_itruncate_extents), MMAPLOCK dropped")
    .with({ kind: "evict" }, (x) => `the last reference to unlinked file ${fileName(x.file)} is dropped: its DAX entries are deleted (evict -> truncate_inode_pages_final) and the inode waits for inodegc, still owning its blocks`)
    .with({ kind: "inodegc" }, (x) => `inodegc inactivates evicted file ${fileName(x.file)}: its blocks are freed (xfs_inodegc_worker -> xfs_inactive -> xfs_itruncate_extents, AGF)`)
    .with({ kind: "scrub" }, (x) => `a patrol-scrub machine check finds a media error in ${blockName(x.block)}: badblocks, then memory_failure(pfn, 0) with no consuming task`)
    .with({ kind: "consume" }, (x) => `process ${procName(x.proc)} reads a media error through its PTE at ${slotName(L, x.slot)} (machine check): badblocks, then memory_failure(pfn, MF_ACTION_REQUIRED)`)
    .with({ kind: "madvise" }, (x) => `process ${procName(x.proc)} calls madvise(MADV_HWPOISON) on its mapping of ${slotName(L, x.slot)}: memory_failure(pfn, MF_ACTION_REQUIRED | MF_SW_SIMULATED), no badblocks`)
    .with({ kind: "inject" }, (x) => `corrupt-pfn injects poison into ${blockName(x.block)}: memory_failure(pfn, MF_SW_SIMULATED), no consumer, no badblocks`)
    .with({ kind: "ars" }, (x) => `an ARS scrub finds a media error in ${blockName(x.block)}: the nfit driver adds it to badblocks; no memory_failure`)
    .with({ kind: "reflink_range" }, (x) => `FICLONERANGE within ${fileName(x.file)}: offset ${x.dst} now shares offset ${x.src}'s block (xfs_reflink_remap_range; the destination's entry is deleted first)`)
    .with({ kind: "mf_lock" }, () => "memory_failure_dev_pagemap reads page->mapping and locks the entry at page->index (dax_lock_page / dax_lock_folio)")
    .with({ kind: "mf_kill" }, () => "collect_procs on page->mapping, unmap_mapping_range if anyone was collected, kill_procs")
    .with({ kind: "mf_unlock" }, () => "dax_unlock_page / dax_unlock_folio: re-read page->mapping and ->index and unlock the entry they name")
    .with({ kind: "mf_query_rmap" }, () => "dax_holder_notify_failure -> xfs_dax_notify_failure: lock the AGF and query the rmap btree for the block's owners")
    .with({ kind: "mf_kill_owner" }, () => "for the next rmap owner: mf_dax_kill_procs -> dax_lock_mapping_entry, collect_procs_fsdax, unmap_and_kill; the AGF is dropped after the last")
    .exhaustive();
}
