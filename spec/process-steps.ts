/**
 * What processes do: mmap, munmap, page faults (read, allocating write, copy-on-write write)
 * and get_user_pages pins. Each function returns the successor or undefined when not enabled.
 */
import { type Ctx, isFree, releaseBlock, zapSlot } from "./context.js";
import { associate, disassociate } from "./page-owner.js";
import { type DaxState, PAGE_BADBLOCK } from "./state.js";

/** mmap(MAP_SHARED) of a whole file (xfs_file_mmap): one VMA. */
export function mmap({ L }: Ctx, s: DaxState, p: number, f: number): DaxState | undefined {
  if (!L.isAlive(s, f) || (s[L.vmas + p] & (1 << f)) !== 0 || s[L.cowProc] === p + 1) return undefined;
  const t = s.slice();
  t[L.vmas + p] |= 1 << f;
  return t;
}

/** munmap(): the VMA goes and its PTEs are zapped; waits while the process is inside a fault. */
export function munmap({ L }: Ctx, s: DaxState, p: number, f: number): DaxState | undefined {
  if ((s[L.vmas + p] & (1 << f)) === 0 || s[L.cowProc] === p + 1) return undefined;
  const t = s.slice();
  t[L.vmas + p] &= ~(1 << f);
  for (let o = 0; o < L.offsets; o++) L.setPte(t, p, L.slot(f, o), -1);
  return t;
}

/** Whether the pmem driver refuses direct access to a block (badblocks: __pmem_direct_access returns -EHWPOISON, the fault gets SIGBUS). */
function refused({ L }: Ctx, s: DaxState, block: number): boolean {
  return (s[L.pageFlags + block] & PAGE_BADBLOCK) !== 0;
}

/** The common precondition of a DAX page fault by p at slot: filesystem up, VMA present, MMAPLOCK and entry lock free. */
function canFault({ L }: Ctx, s: DaxState, p: number, slot: number): boolean {
  const f = L.fileOf(slot);
  return (
    !L.shutdown(s) &&
    L.isAlive(s, f) &&
    (s[L.vmas + p] & (1 << f)) !== 0 &&
    s[L.truncFile] !== f + 1 &&
    s[L.cowProc] !== p + 1 &&
    !L.entryLocked(s, slot)
  );
}

/**
 * A fault of an allocated block (dax_iomap_pte_fault -> dax_insert_entry). With page->share
 * (6.12) a fault of a shared extent (IOMAP_F_SHARED from xfs_read_iomap_begin) first zaps the
 * offset's PTEs (unmap_mapping_pages), disassociates the old entry and associates as shared;
 * otherwise only a new entry is associated. Then the PTE is installed.
 */
export function fault(c: Ctx, s: DaxState, p: number, slot: number): DaxState | undefined {
  const { v, L } = c;
  const b = L.bmapBlock(s, slot);
  if (b < 0 || L.pteBlock(s, p, slot) >= 0 || refused(c, s, b) || !canFault(c, s, p, slot)) return undefined;
  const t = s.slice();
  const f = L.fileOf(slot);
  const o = L.offsetOf(slot);
  const e = L.entryBlock(t, slot);
  const shared = v.ownership === "share-marker" && L.refcount(t, b) > 1;
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
  return t;
}

/** A write fault into a hole: XFS allocates `block` (xfs_direct_write_iomap_begin), dax_insert_entry associates it. */
export function alloc(c: Ctx, s: DaxState, p: number, slot: number, block: number): DaxState | undefined {
  const { v, L } = c;
  if (L.bmapBlock(s, slot) >= 0 || !isFree(L, s, block) || refused(c, s, block) || L.agfHeld(s) || !canFault(c, s, p, slot)) return undefined;
  const t = s.slice();
  t[L.bmap + slot] = block + 1;
  associate(v, L, t, block, L.fileOf(slot), L.offsetOf(slot), false);
  t[L.entry + slot] = block + 1;
  L.setPte(t, p, slot, block);
  return t;
}

/**
 * A write fault on a shared extent (5.19+ DAX CoW): under the entry lock, xfs_reflink_allocate_cow
 * puts `block` in the CoW fork, dax_iomap_copy_around copies, dax_insert_entry (the CoW iomap
 * carries IOMAP_F_SHARED) zaps the offset's PTEs, disassociates the old page and associates the
 * new one as shared, and the writer's PTE maps the new block. The remap is `cowEnd`.
 */
export function cowFault(c: Ctx, s: DaxState, p: number, slot: number, block: number): DaxState | undefined {
  const { v, b: bounds, L } = c;
  if (!v.daxCow || bounds.cow === 0 || s[L.cowSlot] !== 0) return undefined;
  const old = L.bmapBlock(s, slot);
  if (old < 0 || L.refcount(s, old) < 2 || !isFree(L, s, block) || refused(c, s, block) || refused(c, s, old)) return undefined;
  if (L.agfHeld(s) || !canFault(c, s, p, slot)) return undefined;
  const t = s.slice();
  const f = L.fileOf(slot);
  zapSlot(L, t, slot);
  const e = L.entryBlock(t, slot);
  if (e >= 0) disassociate(v, L, t, e, f, false);
  associate(v, L, t, block, f, L.offsetOf(slot), true);
  t[L.entry + slot] = block + 1;
  L.setPte(t, p, slot, block);
  t[L.cowSlot] = slot + 1;
  t[L.cowProc] = p + 1;
  t[L.cowOld] = old + 1;
  t[L.cowNew] = block + 1;
  return t;
}

/** xfs_dax_write_iomap_end -> xfs_reflink_end_cow: remap the new block, drop a reference on the old (needs the AGF), unlock the entry. */
export function cowEnd({ L }: Ctx, s: DaxState): DaxState | undefined {
  if (s[L.cowSlot] === 0 || L.agfHeld(s)) return undefined;
  const t = s.slice();
  const slot = t[L.cowSlot] - 1;
  const old = t[L.cowOld] - 1;
  t[L.bmap + slot] = t[L.cowNew];
  t[L.cowSlot] = t[L.cowProc] = t[L.cowOld] = t[L.cowNew] = 0;
  releaseBlock(L, t, old);
  return t;
}

/** get_user_pages() through p's PTE at slot: the page gains a reference held for DMA. */
export function pin({ b: bounds, L }: Ctx, s: DaxState, p: number, slot: number): DaxState | undefined {
  const b = L.pteBlock(s, p, slot);
  if (b < 0 || s[L.pagePins + b] >= bounds.pins) return undefined;
  const t = s.slice();
  t[L.pagePins + b]++;
  return t;
}

/** put_page()/unpin_user_page(): a DMA pin is released. */
export function unpin({ L }: Ctx, s: DaxState, block: number): DaxState | undefined {
  if (s[L.pagePins + block] === 0) return undefined;
  const t = s.slice();
  t[L.pagePins + block]--;
  return t;
}
