/**
 * The DAX state, laid out as one small byte array that is also its canonical encoding:
 * every field is a small integer and every set is a bitmask, so equal states are equal bytes.
 * Actions never mutate a state: they copy it (`copyState`) and edit the copy.
 *
 * Names: files A, B, ... (index f); page offset o within a file; slot = f * offsets + o is
 * one (file, offset) pair; blocks p1, p2, ... (index b) are pmem pages, one struct page each;
 * processes X, Y, ... (index p).
 */
import type { Bounds } from "./bounds.js";

/** A state: read it through a `Layout`; never write to one reachable from the engine. */
export type DaxState = Uint8Array;

/** Longest typed array V8 keeps on its heap (V8_TYPED_ARRAY_MAX_SIZE_IN_HEAP): longer ones get a backing store of their own. */
const ON_HEAP_BYTES = 64;
/** Bytes of a block that longer states are cut from. */
const BLOCK_BYTES = 16384;
let block = new ArrayBuffer(BLOCK_BYTES);
let blockUsed = 0;

/**
 * A copy of `s` to edit: `slice` while V8 keeps it on its heap; a longer state is a view into a
 * shared block instead, since a backing store of its own costs about a microsecond to allocate and
 * free here, and every step makes a copy. A block is freed when no state cut from it is left.
 */
export function copyState(s: DaxState): DaxState {
  const into = copyInto;
  if (into !== undefined) {
    copyInto = undefined;
    into.set(s);
    return into;
  }
  const n = s.length;
  if (n <= ON_HEAP_BYTES) return s.slice();
  if (blockUsed + n > BLOCK_BYTES) {
    block = new ArrayBuffer(Math.max(BLOCK_BYTES, n));
    blockUsed = 0;
  }
  const t = new Uint8Array(block, blockUsed, n);
  blockUsed += n;
  t.set(s);
  return t;
}

/** Where the next `copyState` writes instead of allocating (see `copyNextInto`). */
let copyInto: DaxState | undefined;

/**
 * Makes the next `copyState` write into `reuse`, a state nothing reads any more, instead of
 * allocating one (undefined: allocate again): how the model's nextStateInto spares the search an
 * allocation per successor, since every step copies its state once, first.
 */
export function copyNextInto(reuse: DaxState | undefined): void {
  copyInto = reuse;
}

/** `page->mapping` when it holds the shared marker (PAGE_MAPPING_DAX_COW in 6.0-6.1, PAGE_MAPPING_DAX_SHARED in 6.2-6.14; the value is 0x1). */
export const MAPPING_SHARED = 0xff;
/** `page->mapping == NULL`. */
export const MAPPING_NONE = 0;

/** Page flags: PG_hwpoison, and whether the pmem driver's badblocks list covers the page. */
export const PAGE_HWPOISON = 1;
/** The media error is in the pmem driver's badblocks: __pmem_direct_access() refuses the range (-EHWPOISON), so DAX faults on it fail. */
export const PAGE_BADBLOCK = 2;

/** Kernel outcomes seen so far in a run: WARNs fired, oopses, and checks made when memory_failure() finished. */
export const OUT = {
  /** WARN_ON_ONCE(page->mapping) in dax_associate_entry(). */
  warnAssociate: 1 << 0,
  /** WARN_ON_ONCE(page->mapping && page->mapping != mapping) in dax_disassociate_entry(). */
  warnDisassociate: 1 << 1,
  /** WARN_ON_ONCE(trunc && page_ref_count(page) > 1) in dax_disassociate_entry(). */
  warnTruncateBusy: 1 << 2,
  /** A block was freed back to the allocator while get_user_pages() held its page. */
  freedPinned: 1 << 3,
  /** The kernel dereferenced a NULL, marker or freed ->mapping: the run stops. */
  oops: 1 << 4,
  /** memory_failure() finished while an entitled process still mapped the page unsignalled. */
  missedKill: 1 << 5,
  /** A process was signalled (SIGBUS, or 4.19's SIGKILL) for a page that its PTE at that address does not map. */
  spuriousSignal: 1 << 6,
  /** xfs_dax_notify_failure() met a non-inode rmap owner (a CoW staging extent) and shut the filesystem down. */
  fsShutdown: 1 << 7,
} as const;

/** Why the kernel oopsed. */
export const OOPS = {
  none: 0,
  /** dax_lock_page()/dax_lock_folio() called dax_mapping() on the 0x1 shared marker. */
  markerDeref: 1,
  /** memory_failure() followed ->mapping to the address_space of an evicted inode. */
  evictedMapping: 2,
  /** dax_unlock_page()/dax_unlock_folio() re-read a NULL ->mapping and dereferenced mapping->host. */
  unlockNull: 3,
  /** dax_unlock_folio() re-read the 0x1 shared marker and dereferenced its ->host. */
  unlockMarker: 4,
  /** dax_unlock_entry() stored into another entry that was not locked: BUG_ON(!dax_is_locked(old)). */
  unlockBug: 5,
  /** dax_lock_page() without its NULL check (4.19.0 as released) dereferenced a NULL ->mapping. */
  nullMapping: 6,
} as const;

/** Truncate phases (xfs_setattr_size / hole punch). */
export const TRUNC = { none: 0, deleteEntries: 1, freeBlocks: 2 } as const;

/**
 * Where a process's DAX fault is (dax_iomap_pte_fault, one fault in flight per process). Every
 * phase past `none` holds the entry lock taken by grab_mapping_entry (6.12.117 fs/dax.c:1741,
 * dropped by dax_unlock_entry at :1782; 6.1.192 :1688, :1729) and the file's MMAPLOCK shared
 * (6.12.117 fs/xfs/xfs_file.c:1436-1438 reads, :1461-1470 writes; 6.1.192 xfs_file.c:1355 via
 * xfs_ilock_for_write_fault :232-243).
 */
export const FAULT = {
  none: 0,
  /** A non-allocating fault (read, or write of an allocated block) holds the entry; iomap_begin next. */
  readLocked: 1,
  /** A write fault into a hole or onto a shared extent holds the entry; iomap_begin allocates next. */
  writeLocked: 2,
  /** A CoW fault has staged its block, inserted the entry and installed the PTE; xfs_reflink_end_cow next. */
  cowMapped: 3,
  /** A CoW fault inserted the entry for its staging block, then the copy from the old block failed; xfs_reflink_cancel_cow_range next. */
  cowFailed: 4,
} as const;

/** memory_failure() phases. */
export const MF = {
  none: 0,
  /** memory_failure_dev_pagemap() about to call dax_lock_page()/dax_lock_folio() on ->mapping. */
  lockPage: 1,
  /** Holding the entry lock: collect_procs(), unmap_mapping_range(), kill_procs() next. */
  killByMapping: 2,
  /** dax_holder_notify_failure() -> xfs_dax_notify_failure(): about to query the rmap btree. */
  queryRmap: 3,
  /** Walking the rmap records under the AGF lock: mf_dax_kill_procs() for each owner. */
  killOwners: 4,
  /** Signals sent; dax_unlock_page()/dax_unlock_folio() next, which re-reads ->mapping and ->index. */
  unlockPage: 5,
  /** dax_lock_page() read ->mapping/->index and sleeps on the entry they named (`mfWait`); only where the variant does not re-read them on waking as one step. */
  lockWait: 6,
} as const;

/** Why XFS shut down (xfs_dax_failure_fn sets want_shutdown): which rmap owner the walk could not turn into a live inode. */
export const SHUTDOWN = {
  none: 0,
  /** An XFS_RMAP_OWN_COW owner: the staging block of a copy-on-write in flight. */
  cowStaging: 1,
  /** An inode queued for inactivation (XFS_NEED_INACTIVE): xfs_iget(XFS_IGET_INCORE) returns -ENOENT or -EAGAIN. */
  inactiveInode: 2,
} as const;

/** Poison event kinds, the bits of the `via` bound: what each injection method does (source review 3.2). */
export const VIA = {
  /** A real media error: the pmem driver's badblocks and memory_failure, consumed by a machine check (AR) or found by a patrol-scrub MCE (pfn, 0). */
  media: 1,
  /** madvise(MADV_HWPOISON): memory_failure(pfn, MF_ACTION_REQUIRED | MF_SW_SIMULATED) with the caller as `current`; no badblocks, so faults still succeed. */
  madvise: 2,
  /** /sys/kernel/debug/hwpoison/corrupt-pfn: memory_failure(pfn, MF_SW_SIMULATED) (mm/hwpoison-inject.c:52); no badblocks, no consumer. */
  corruptPfn: 4,
  /** An ARS scrub: the nfit driver adds the range to badblocks (drivers/acpi/nfit/mce.c:66-69) and never calls memory_failure. */
  ars: 8,
} as const;

/** Byte offsets of every field, for one set of bounds. */
export class Layout {
  readonly files: number;
  readonly offsets: number;
  readonly slots: number;
  readonly blocks: number;
  readonly procs: number;
  readonly size: number;

  /** Bitmask of files not yet evicted. */
  readonly alive = 0;
  /** Bitmask of evicted files whose inode waits for inodegc (XFS_NEED_INACTIVE) and still owns its blocks. */
  readonly inactive: number;
  /** Per slot: the block the file's extent map (bmbt) points at, as block+1; 0 is a hole. */
  readonly bmap: number;
  /** Per slot: the DAX entry in the mapping's xarray, as block+1; 0 is no entry. */
  readonly entry: number;
  /** Per block: page->mapping (MAPPING_NONE, file+1, or MAPPING_SHARED). */
  readonly pageMapping: number;
  /** Per block: page->index (the offset) or, for a shared page, the share count. */
  readonly pageIndex: number;
  /** Per block: PAGE_* flags. */
  readonly pageFlags: number;
  /** Per block: get_user_pages() pins held (page refcount above the base reference). */
  readonly pagePins: number;
  /** Per process: bitmask of files it has mmapped (one VMA each, the whole file). */
  readonly vmas: number;
  /** Per process and slot: the block its PTE maps, as block+1; 0 is no PTE. */
  readonly pte: number;
  /** Per process: bitmask of blocks it received SIGBUS BUS_MCEERR_AR for. */
  readonly sigAR: number;
  /** Per process: bitmask of blocks it received SIGBUS BUS_MCEERR_AO for. */
  readonly sigAO: number;
  /** Per process: bitmask of blocks it was sent SIGKILL for (4.19 kill_procs: a VMA without a PTE, addr_valid == 0; the exit is not modelled). */
  readonly sigKill: number;
  /** The truncate in flight: file+1 (0 none), then its TRUNC phase. */
  readonly truncFile: number;
  readonly truncPhase: number;
  /** Bitmask of files with XFS_DIFLAG2_REFLINK (set on both files by FICLONE, cleared by truncate to empty). */
  readonly reflinked: number;
  /** Per process: the FAULT phase of its fault in flight. */
  readonly faultPhase: number;
  /** Per process: the slot its fault locked, as slot+1 (0 when no fault). */
  readonly faultSlot: number;
  /** Per process: the CoW staging block its fault allocated, as block+1 (0 none). */
  readonly faultBlock: number;
  /** The memory_failure() in flight: MF phase, the poisoned block, consumer process+1 (0: none). */
  readonly mfPhase: number;
  readonly mfBlock: number;
  readonly mfConsumer: number;
  /** The entry lock it holds: slot+1, 0 none. */
  readonly mfLocked: number;
  /** The entry it sleeps on in MF.lockWait: slot+1, 0 none. */
  readonly mfWait: number;
  /** Rmap owners still to visit: bitmask of slots. */
  readonly mfOwners: number;
  /** Processes whose PTE mapped the block when the failure happened: bitmask. */
  readonly mfMappers: number;
  /** Bitmask of slots whose entry lock was left held for ever (an unlock that went to another entry). */
  readonly leakedLocks: number;
  /** Poison events left in this run. */
  readonly poisonsLeft: number;
  /** OUT bitmask. */
  readonly outcome: number;
  /** OOPS reason. */
  readonly oopsReason: number;
  /** SHUTDOWN reason. */
  readonly shutdownReason: number;

  constructor(b: Bounds) {
    this.files = b.files;
    this.offsets = b.offsets;
    this.slots = b.files * b.offsets;
    this.blocks = b.blocks;
    this.procs = b.procs;
    let at = 2;
    this.inactive = 1;
    const take = (n: number): number => {
      const start = at;
      at += n;
      return start;
    };
    this.bmap = take(this.slots);
    this.entry = take(this.slots);
    this.pageMapping = take(b.blocks);
    this.pageIndex = take(b.blocks);
    this.pageFlags = take(b.blocks);
    this.pagePins = take(b.blocks);
    this.vmas = take(b.procs);
    this.pte = take(b.procs * this.slots);
    this.sigAR = take(b.procs);
    this.sigAO = take(b.procs);
    this.sigKill = take(b.procs);
    this.truncFile = take(1);
    this.truncPhase = take(1);
    this.reflinked = take(1);
    this.faultPhase = take(b.procs);
    this.faultSlot = take(b.procs);
    this.faultBlock = take(b.procs);
    this.mfPhase = take(1);
    this.mfBlock = take(1);
    this.mfConsumer = take(1);
    this.mfLocked = take(1);
    this.mfWait = take(1);
    this.mfOwners = take(1);
    this.mfMappers = take(1);
    this.leakedLocks = take(1);
    this.poisonsLeft = take(1);
    this.outcome = take(1);
    this.oopsReason = take(1);
    this.shutdownReason = take(1);
    this.size = at;
  }

  /** The slot of (file, offset). */
  slot(f: number, o: number): number {
    return f * this.offsets + o;
  }
  fileOf(slot: number): number {
    return Math.floor(slot / this.offsets);
  }
  offsetOf(slot: number): number {
    return slot % this.offsets;
  }
  /** The block a process's PTE for a slot maps, or -1. */
  pteBlock(s: DaxState, p: number, slot: number): number {
    return s[this.pte + p * this.slots + slot] - 1;
  }
  setPte(s: DaxState, p: number, slot: number, block: number): void {
    s[this.pte + p * this.slots + slot] = block + 1;
  }
  /** The block a slot's extent points at, or -1 for a hole. */
  bmapBlock(s: DaxState, slot: number): number {
    return s[this.bmap + slot] - 1;
  }
  /** The block a slot's DAX entry points at, or -1 for no entry. */
  entryBlock(s: DaxState, slot: number): number {
    return s[this.entry + slot] - 1;
  }
  /** Bitmask of the processes with a PTE mapping a block. */
  mappersOf(s: DaxState, block: number): number {
    let mask = 0;
    for (let p = 0; p < this.procs; p++) {
      for (let i = 0; i < this.slots; i++) if (s[this.pte + p * this.slots + i] === block + 1) mask |= 1 << p;
    }
    return mask;
  }
  /** The slot a regular owner's page->mapping/page->index name (call only when ->mapping is a file). */
  indexedSlot(s: DaxState, block: number): number {
    return this.slot(s[this.pageMapping + block] - 1, Math.min(s[this.pageIndex + block], this.offsets - 1));
  }
  /** The rmap owner memory_failure visits next: the lowest slot left in its owner set. */
  nextOwner(s: DaxState): number {
    const owners = s[this.mfOwners];
    return 31 - Math.clz32(owners & -owners);
  }
  /** How many slots' extents point at a block: XFS's refcount for it. */
  refcount(s: DaxState, block: number): number {
    let n = 0;
    for (let i = 0; i < this.slots; i++) if (s[this.bmap + i] === block + 1) n++;
    return n;
  }
  /** How many DAX entries point at a block. */
  entriesOn(s: DaxState, block: number): number {
    let n = 0;
    for (let i = 0; i < this.slots; i++) if (s[this.entry + i] === block + 1) n++;
    return n;
  }
  /** Whether a file still exists (not evicted). */
  isAlive(s: DaxState, f: number): boolean {
    return (s[this.alive] & (1 << f)) !== 0;
  }
  /** Whether the kernel has oopsed: nothing runs after that. */
  oopsed(s: DaxState): boolean {
    return (s[this.outcome] & OUT.oops) !== 0;
  }
  /** Whether XFS has shut down (xfs_force_shutdown): new faults, reflink, truncate and eviction then fail with -EIO. */
  shutdown(s: DaxState): boolean {
    return (s[this.outcome] & OUT.fsShutdown) !== 0;
  }
  /** Whether memory_failure() holds the AGF buffer lock (while walking the rmap btree). */
  agfHeld(s: DaxState): boolean {
    return s[this.mfPhase] === MF.killOwners;
  }
  /** The slot process p's fault has locked, or -1 when p is not inside a fault. */
  faultSlotOf(s: DaxState, p: number): number {
    return s[this.faultPhase + p] === FAULT.none ? -1 : s[this.faultSlot + p] - 1;
  }
  /** Whether file f carries XFS_DIFLAG2_REFLINK. */
  isReflinked(s: DaxState, f: number): boolean {
    return (s[this.reflinked] & (1 << f)) !== 0;
  }
  /** Whether an in-flight operation (a fault, or memory_failure) holds the DAX entry lock of a slot, or it was left locked for ever. */
  entryLocked(s: DaxState, slot: number): boolean {
    if (s[this.mfLocked] === slot + 1 || (s[this.leakedLocks] & (1 << slot)) !== 0) return true;
    for (let p = 0; p < this.procs; p++) if (this.faultSlotOf(s, p) === slot) return true;
    return false;
  }
  /** Whether some process is inside a fault of file f (holding its MMAPLOCK shared). */
  faultingFile(s: DaxState, f: number): boolean {
    for (let p = 0; p < this.procs; p++) {
      const slot = this.faultSlotOf(s, p);
      if (slot >= 0 && this.fileOf(slot) === f) return true;
    }
    return false;
  }
}
