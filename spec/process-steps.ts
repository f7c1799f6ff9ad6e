/**
 * What processes do: mmap, munmap, page faults (read, allocating write, copy-on-write write)
 * and get_user_pages pins. A fault is split where it sleeps on a lock: it takes the entry lock
 * (`fault`, `alloc`, `cow_fault`), then runs iomap_begin, which may wait for the AGF, and the
 * rest up to the unlock (`fault_map`, `alloc_map`, `cow_alloc`); a CoW fault then waits for the
 * AGF again to remap (`cow_end`). Each function returns the successor or undefined when not enabled.
 */
import { type Ctx, isFree, releaseBlock, zapSlot } from "./context.js";
import { faultNeedsAgf } from "./locks.js";
import { associate, associatesReadsShared, disassociate } from "./page-owner.js";
import { copyState, type DaxState, FAULT, type Layout, PAGE_BADBLOCK } from "./state.js";

/** mmap(MAP_SHARED) of a whole file (xfs_file_mmap): one VMA. Waits while the process is inside a fault (mmap_lock). */
export function mmap({ L }: Ctx, s: DaxState, p: number, f: number): DaxState | undefined {
  if (!L.isAlive(s, f) || (s[L.vmas + p] & (1 << f)) !== 0 || inFault(L, s, p)) return undefined;
  const t = copyState(s);
  t[L.vmas + p] |= 1 << f;
  return t;
}

/**
 * munmap(): the VMA goes and its PTEs are zapped. Waits while the process is inside a fault: the
 * fault holds mmap_lock for read from the page fault handler to its return (a DAX fault does not
 * drop it to retry) and munmap takes it for write.
 */
export function munmap({ L }: Ctx, s: DaxState, p: number, f: number): DaxState | undefined {
  if ((s[L.vmas + p] & (1 << f)) === 0 || inFault(L, s, p)) return undefined;
  const t = copyState(s);
  t[L.vmas + p] &= ~(1 << f);
  for (let o = 0; o < L.offsets; o++) L.setPte(t, p, L.slot(f, o), -1);
  return t;
}

function inFault(L: Layout, s: DaxState, p: number): boolean {
  return s[L.faultPhase + p] !== FAULT.none;
}

/** Whether the pmem driver refuses direct access to a block (badblocks: __pmem_direct_access returns -EHWPOISON, the fault gets SIGBUS). */
function refused({ L }: Ctx, s: DaxState, block: number): boolean {
  return (s[L.pageFlags + block] & PAGE_BADBLOCK) !== 0;
}

/** A block the allocator may hand out for a new extent or CoW staging: free, and not in badblocks (a modelling restriction). */
function allocatable(c: Ctx, s: DaxState, block: number): boolean {
  return isFree(c.L, s, block) && !refused(c, s, block);
}

function anyAllocatable(c: Ctx, s: DaxState): boolean {
  for (let b = 0; b < c.L.blocks; b++) if (allocatable(c, s, b)) return true;
  return false;
}

/**
 * grab_mapping_entry() at the start of dax_iomap_pte_fault (6.12.117 fs/dax.c:1741; 6.1.192
 * :1688): p takes the entry lock of slot, sleeping while another operation holds it (the model
 * enables the step once it is free). Before it, the fault took mmap_lock and the file's
 * MMAPLOCK shared, so it waits while a truncate of the file holds the MMAPLOCK exclusive.
 */
function lockEntry(c: Ctx, s: DaxState, p: number, slot: number, phase: number): DaxState | undefined {
  const { L } = c;
  const f = L.fileOf(slot);
  const ok =
    !L.shutdown(s) &&
    L.isAlive(s, f) &&
    (s[L.vmas + p] & (1 << f)) !== 0 &&
    s[L.truncFile] !== f + 1 &&
    !inFault(L, s, p) &&
    !L.entryLocked(s, slot);
  if (!ok) return undefined;
  const t = copyState(s);
  t[L.faultPhase + p] = phase;
  t[L.faultSlot + p] = slot + 1;
  return t;
}

/** dax_unlock_entry() (6.12.117 fs/dax.c:1782): the fault is over; its locals are cleared. */
function unlockEntry(L: Layout, t: DaxState, p: number): DaxState {
  t[L.faultPhase + p] = t[L.faultSlot + p] = t[L.faultBlock + p] = 0;
  return t;
}

/**
 * A fault of an allocated block (a read, or a write of an unshared block), by p at slot, where p
 * has no PTE: lock the entry. When its ->iomap_begin takes no lock (`faultNeedsAgf` false: a
 * file without the reflink flag, or a variant whose read faults do not trim), nothing between
 * grab_mapping_entry and dax_unlock_entry sleeps on a lock, so the whole fault is this one step;
 * otherwise `faultMap` is the rest.
 */
export function fault(c: Ctx, s: DaxState, p: number, slot: number): DaxState | undefined {
  const { L } = c;
  if (L.bmapBlock(s, slot) < 0 || L.pteBlock(s, p, slot) >= 0) return undefined;
  const t = lockEntry(c, s, p, slot, FAULT.readLocked);
  if (t === undefined || faultNeedsAgf(c, t, p)) return t;
  return faultMap(c, t, p);
}

/** A write fault into a hole: lock the entry; XFS allocates in `allocMap`. Only while some block could be allocated. */
export function alloc(c: Ctx, s: DaxState, p: number, slot: number): DaxState | undefined {
  if (c.L.bmapBlock(s, slot) >= 0 || !anyAllocatable(c, s)) return undefined;
  return lockEntry(c, s, p, slot, FAULT.writeLocked);
}

/** Whether a write fault at slot copies on write: DAX CoW is in the variant and the bounds, and the extent is shared. */
function cowable({ v, b: bounds, L }: Ctx, s: DaxState, slot: number): boolean {
  const old = L.bmapBlock(s, slot);
  return v.daxCow && bounds.cow === 1 && old >= 0 && L.refcount(s, old) >= 2;
}

/** A write fault on a shared extent (6.0+ DAX CoW): lock the entry; XFS stages a block in `cowAlloc`. */
export function cowFault(c: Ctx, s: DaxState, p: number, slot: number): DaxState | undefined {
  if (!cowable(c, s, slot) || !anyAllocatable(c, s)) return undefined;
  return lockEntry(c, s, p, slot, FAULT.writeLocked);
}

/**
 * Under the entry lock, the rest of a fault that allocates nothing, in one step:
 * iomap_iter -> ->iomap_begin (xfs_read_iomap_begin, or xfs_direct_write_iomap_begin for a write
 * of an unshared block), which takes and releases the AGF within itself where `faultNeedsAgf`
 * says (the step waits while another operation holds it); then dax_fault_iter: the pmem driver
 * refuses a block in badblocks (6.12.117 fs/dax.c:1687, 6.1.192 :1633: the fault fails with
 * SIGBUS and nothing is inserted); else dax_insert_entry and the PTE (vmf_insert_mixed); no
 * iomap_end takes a lock for these (xfs_read_iomap_ops has none; xfs_dax_write_iomap_end finds no
 * CoW extent to remap); dax_unlock_entry. Nothing between iomap_begin and the unlock sleeps on a
 * lock (xa_lock and the PTE lock are spinlocks), so these are one step.
 * With page->share (6.12) or folio->share (6.15) a fault of a shared extent (IOMAP_F_SHARED, 6.12.117
 * fs/xfs/xfs_iomap.c:1307) zaps the offset's PTEs, disassociates the old entry and associates as
 * shared (fs/dax.c:882-899); otherwise only a new entry is associated.
 * For a write fault that would allocate (a hole, or a shared extent with CoW), this step is the
 * failure when no block can be allocated (ENOSPC).
 */
export function faultMap(c: Ctx, s: DaxState, p: number): DaxState | undefined {
  const { v, L } = c;
  const phase = s[L.faultPhase + p];
  if (phase !== FAULT.readLocked && phase !== FAULT.writeLocked) return undefined;
  if (faultNeedsAgf(c, s, p) && L.agfHeld(s)) return undefined;
  const slot = s[L.faultSlot + p] - 1;
  const b = L.bmapBlock(s, slot);
  if (phase === FAULT.writeLocked && (b < 0 || cowable(c, s, slot))) {
    if (anyAllocatable(c, s)) return undefined;
    return unlockEntry(L, copyState(s), p);
  }
  const t = copyState(s);
  if (refused(c, s, b)) return unlockEntry(L, t, p);
  const f = L.fileOf(slot);
  const o = L.offsetOf(slot);
  const e = L.entryBlock(t, slot);
  const shared = associatesReadsShared(v) && L.refcount(t, b) > 1;
  if (shared) {
    zapSlot(L, t, slot);
    if (e >= 0) disassociate(v, L, t, e, f, false);
    associate(v, L, t, b, f, o, true);
    t[L.entry + slot] = b + 1;
  } else if (e < 0) {
    associate(v, L, t, b, f, o, false);
    t[L.entry + slot] = b + 1;
  }
  L.setPte(t, p, slot, b);
  return unlockEntry(L, t, p);
}

/**
 * Under the entry lock, a write fault into a hole, in one step: xfs_direct_write_iomap_begin
 * allocates `block` (xfs_iomap_write_direct -> xfs_bmapi_write: needs the AGF), dax_insert_entry
 * associates it, the PTE is installed, iomap_end remaps nothing, dax_unlock_entry.
 */
export function allocMap(c: Ctx, s: DaxState, p: number, block: number): DaxState | undefined {
  const { v, L } = c;
  if (s[L.faultPhase + p] !== FAULT.writeLocked || L.agfHeld(s)) return undefined;
  const slot = s[L.faultSlot + p] - 1;
  if (L.bmapBlock(s, slot) >= 0 || !allocatable(c, s, block)) return undefined;
  const t = copyState(s);
  t[L.bmap + slot] = block + 1;
  associate(v, L, t, block, L.fileOf(slot), L.offsetOf(slot), false);
  t[L.entry + slot] = block + 1;
  L.setPte(t, p, slot, block);
  return unlockEntry(L, t, p);
}

/**
 * Under the entry lock, a write fault on a shared extent: xfs_reflink_allocate_cow stages `block`
 * in the CoW fork (needs the AGF; 6.12.117 fs/xfs/xfs_iomap.c:832-834); dax_fault_iter then, in
 * this order (6.12.117 fs/dax.c:1687-1708; 6.1.192 :1633-1654): direct access to the new block,
 * dax_insert_entry (the CoW iomap carries IOMAP_F_SHARED: zap the offset's PTEs, disassociate the
 * old page, associate the new one as shared, store the entry, :1691), dax_iomap_copy_around from
 * the old block (:1693-1697), the PTE. A source in badblocks fails the copy
 * (__pmem_direct_access -EHWPOISON, drivers/nvdimm/pmem.c:268-273): the fault returns SIGBUS with
 * the entry already on the new block and no PTE. The entry stays locked: `cowEnd` is next.
 */
export function cowAlloc(c: Ctx, s: DaxState, p: number, block: number): DaxState | undefined {
  const { v, L } = c;
  if (s[L.faultPhase + p] !== FAULT.writeLocked || L.agfHeld(s)) return undefined;
  const slot = s[L.faultSlot + p] - 1;
  if (!cowable(c, s, slot) || !allocatable(c, s, block)) return undefined;
  const t = copyState(s);
  const f = L.fileOf(slot);
  zapSlot(L, t, slot);
  const e = L.entryBlock(t, slot);
  if (e >= 0) disassociate(v, L, t, e, f, false);
  associate(v, L, t, block, f, L.offsetOf(slot), true);
  t[L.entry + slot] = block + 1;
  t[L.faultBlock + p] = block + 1;
  if (refused(c, s, L.bmapBlock(s, slot))) {
    t[L.faultPhase + p] = FAULT.cowFailed;
    return t;
  }
  L.setPte(t, p, slot, block);
  t[L.faultPhase + p] = FAULT.cowMapped;
  return t;
}

/**
 * xfs_dax_write_iomap_end (6.12.117 fs/xfs/xfs_iomap.c:932-949; 6.1.192 :905-924), needing the
 * AGF, then dax_unlock_entry. After a copy: xfs_reflink_end_cow remaps the new block and drops a
 * reference on the old. After a failed copy (written == 0, :945-946):
 * xfs_reflink_cancel_cow_range frees the staging block, while the entry the fault inserted still
 * points at it and its page keeps the shared owner it was given. On a shut-down filesystem
 * (source review 2.1) the remap's xfs_trans_alloc fails (xfs_log_reserve returns -EIO, 6.12.117
 * fs/xfs/xfs_log.c:427-428) and iomap_iter drops the error because the page was processed
 * (fs/iomap/iter.c:82): the fault returns with its PTE and entry on the new block, the data fork
 * keeps the old one, and the staging block stays in the CoW fork (nothing can allocate it again
 * after a shutdown).
 */
export function cowEnd({ L }: Ctx, s: DaxState, p: number): DaxState | undefined {
  const phase = s[L.faultPhase + p];
  if ((phase !== FAULT.cowMapped && phase !== FAULT.cowFailed) || L.agfHeld(s)) return undefined;
  const t = copyState(s);
  if (L.shutdown(s)) return unlockEntry(L, t, p);
  if (phase === FAULT.cowFailed) {
    const staged = t[L.faultBlock + p] - 1;
    unlockEntry(L, t, p);
    releaseBlock(L, t, staged);
    return t;
  }
  const slot = t[L.faultSlot + p] - 1;
  const old = L.bmapBlock(t, slot);
  t[L.bmap + slot] = t[L.faultBlock + p];
  unlockEntry(L, t, p);
  releaseBlock(L, t, old);
  return t;
}

/** get_user_pages() through p's PTE at slot: the page gains a reference held for DMA. */
export function pin({ b: bounds, L }: Ctx, s: DaxState, p: number, slot: number): DaxState | undefined {
  const b = L.pteBlock(s, p, slot);
  if (b < 0 || s[L.pagePins + b] >= bounds.pins) return undefined;
  const t = copyState(s);
  t[L.pagePins + b]++;
  return t;
}

/** put_page()/unpin_user_page(): a DMA pin is released. */
export function unpin({ L }: Ctx, s: DaxState, block: number): DaxState | undefined {
  if (s[L.pagePins + block] === 0) return undefined;
  const t = copyState(s);
  t[L.pagePins + block]--;
  return t;
}
