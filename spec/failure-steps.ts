/**
 * memory_failure() on a pmem page, split where its locking lets other steps interleave.
 * Two paths: through page->mapping/page->index (4.19 memory_failure_dev_pagemap; 6.x
 * mf_generic_kill_procs, the fallback when the filesystem returns -EOPNOTSUPP), and through the
 * filesystem's rmap btree (6.0+ xfs_dax_notify_failure -> mf_dax_kill_procs per owner).
 */
import { type Ctx, collects, isCowStaging, owed, zapSlot } from "./context.js";
import { copyState, type DaxState, type Layout, MAPPING_NONE, MAPPING_SHARED, MF, OOPS, OUT, PAGE_BADBLOCK, PAGE_HWPOISON, SHUTDOWN, VIA } from "./state.js";

/** Whether any PTE maps the block or any extent points at it: a page memory_failure() can be asked about. */
function inUse({ L }: Ctx, s: DaxState, block: number): boolean {
  return L.refcount(s, block) > 0 || isCowStaging(L, s, block) || L.mappersOf(s, block) !== 0;
}

/**
 * memory_failure(pfn, flags) starts: one at a time (mf_mutex), recording who maps the page now.
 * A real media error is also in the pmem driver's badblocks from here on, so new DAX faults of
 * the block fail; software injection (MADV_HWPOISON, corrupt-pfn) leaves badblocks alone.
 */
function start(c: Ctx, s: DaxState, block: number, consumer: number, badblock: boolean): DaxState | undefined {
  const { v, L } = c;
  if (s[L.mfPhase] !== MF.none || s[L.poisonsLeft] === 0) return undefined;
  const t = copyState(s);
  t[L.poisonsLeft]--;
  if (badblock) t[L.pageFlags + block] |= PAGE_BADBLOCK;
  t[L.mfBlock] = block + 1;
  t[L.mfConsumer] = consumer + 1;
  t[L.mfMappers] = L.mappersOf(t, block);
  t[L.mfPhase] = v.lookup === "rmap" ? MF.queryRmap : MF.lockPage;
  return t;
}

/** page->mapping as the kernel reads it: a 6.15 shared folio has ->mapping NULL (the model's MAPPING_SHARED there is no marker). */
function readMapping({ v, L }: Ctx, s: DaxState, b: number): number {
  const m = s[L.pageMapping + b];
  return m === MAPPING_SHARED && v.ownership === "folio-share" ? MAPPING_NONE : m;
}

/** Whether the `via` bound allows this kind of poison event. */
const allowed = ({ b }: Ctx, kind: number): boolean => (b.via & kind) !== 0;

/** A media error found in the background (a patrol-scrub machine check, SRAO): badblocks, then memory_failure(pfn, 0) with no consuming task. */
export function scrub(c: Ctx, s: DaxState, block: number): DaxState | undefined {
  return allowed(c, VIA.media) && inUse(c, s, block) ? start(c, s, block, -1, true) : undefined;
}

/** Process p consumes a media error through its PTE at slot (a machine check): badblocks, and p is `current`, owed BUS_MCEERR_AR. */
export function consume(c: Ctx, s: DaxState, p: number, slot: number): DaxState | undefined {
  const b = c.L.pteBlock(s, p, slot);
  return b < 0 || !allowed(c, VIA.media) ? undefined : start(c, s, b, p, true);
}

/** madvise(MADV_HWPOISON) by p on its mapping at slot (madvise_inject_error): memory_failure with p as `current`; no badblocks. */
export function madvise(c: Ctx, s: DaxState, p: number, slot: number): DaxState | undefined {
  const b = c.L.pteBlock(s, p, slot);
  return b < 0 || !allowed(c, VIA.madvise) ? undefined : start(c, s, b, p, false);
}

/** echo pfn > corrupt-pfn (hwpoison_inject, mm/hwpoison-inject.c:52): memory_failure(pfn, MF_SW_SIMULATED), no consumer, no badblocks. */
export function inject(c: Ctx, s: DaxState, block: number): DaxState | undefined {
  return allowed(c, VIA.corruptPfn) && inUse(c, s, block) ? start(c, s, block, -1, false) : undefined;
}

/** An ARS scrub finds a media error: the nfit driver adds it to badblocks (drivers/acpi/nfit/mce.c:66-69); no memory_failure. */
export function ars(c: Ctx, s: DaxState, block: number): DaxState | undefined {
  const { L } = c;
  if (!allowed(c, VIA.ars) || s[L.poisonsLeft] === 0 || !inUse(c, s, block) || (s[L.pageFlags + block] & PAGE_BADBLOCK) !== 0) return undefined;
  const t = copyState(s);
  t[L.poisonsLeft]--;
  t[L.pageFlags + block] |= PAGE_BADBLOCK;
  return t;
}

/**
 * dax_lock_page() (4.19) / dax_lock_folio() (6.12): read ->mapping; NULL gives up (-EBUSY,
 * "Failed"); the shared marker is passed to dax_mapping(), which dereferences it: oops; an
 * evicted inode's mapping is a use after free: oops. Otherwise lock the entry at ->index; while
 * another operation holds it, sleep: where the variant re-reads ->mapping and ->index on waking
 * and touches nothing else (`revalidate`), the sleep and the re-read are this one step, enabled
 * once the entry is free; otherwise the sleep is a phase of its own (`mfWake`).
 * The whole-mapping design has its own walk (`mfScanMapping`).
 */
export function mfLock(c: Ctx, s: DaxState): DaxState | undefined {
  const { v, L } = c;
  if (s[L.mfPhase] === MF.lockWait) return mfWake(c, s);
  if (s[L.mfPhase] !== MF.lockPage) return undefined;
  const b = s[L.mfBlock] - 1;
  const m = readMapping(c, s, b);
  if (m === MAPPING_NONE) return v.lockChecksNullMapping ? finish(c, copyState(s)) : oops(c, s, OOPS.nullMapping);
  if (m === MAPPING_SHARED) return oops(c, s, OOPS.markerDeref);
  if (!L.isAlive(s, m - 1)) return oops(c, s, OOPS.evictedMapping);
  if (v.lookup === "whole-mapping") return mfScanMapping(c, s, b, m - 1);
  const slot = L.indexedSlot(s, b);
  const t = copyState(s);
  if (L.entryLocked(s, slot)) {
    if (v.lockAfterSleep === "revalidate") return undefined;
    t[L.mfWait] = slot + 1;
    t[L.mfPhase] = MF.lockWait;
    return t;
  }
  t[L.mfLocked] = slot + 1;
  t[L.mfPhase] = MF.killByMapping;
  return t;
}

/**
 * dax_lock_page() wakes once the entry it slept on is unlocked. 4.19.0 (`touch-freed`) retakes
 * the old mapping's xa_lock first: if the inode was evicted meanwhile that is a use after free
 * (fixed by "dax: Do not access a freed inode"); otherwise it starts again from ->mapping. The
 * seeded `no-recheck` locks the entry it slept on without reading ->mapping/->index again.
 */
function mfWake(c: Ctx, s: DaxState): DaxState | undefined {
  const { v, L } = c;
  const slot = s[L.mfWait] - 1;
  if (L.entryLocked(s, slot)) return undefined;
  if (!L.isAlive(s, L.fileOf(slot))) return oops(c, s, OOPS.evictedMapping);
  const t = copyState(s);
  t[L.mfWait] = 0;
  if (v.lockAfterSleep === "no-recheck") {
    t[L.mfLocked] = slot + 1;
    t[L.mfPhase] = MF.killByMapping;
  } else {
    t[L.mfPhase] = MF.lockPage;
  }
  return t;
}

/**
 * The whole-mapping design: no ->index, so memory_failure searches every offset of ->mapping's
 * file under the xarray lock for entries and PTEs of the page, and collects and kills at each
 * (collect_procs over the whole file's VMAs). No entry lock is held across steps, so there is
 * no unlock to re-read anything.
 */
function mfScanMapping(c: Ctx, s: DaxState, b: number, f: number): DaxState {
  const { L } = c;
  const t = copyState(s);
  t[L.pageFlags + b] |= PAGE_HWPOISON;
  for (let o = 0; o < L.offsets; o++) {
    const slot = L.slot(f, o);
    if (L.entryBlock(t, slot) === b || slotMaps(L, t, slot, b)) unmapAndKill(c, t, slot, b);
  }
  return finish(c, t);
}

/** Whether some process's PTE at slot maps block b. */
function slotMaps(L: Layout, s: DaxState, slot: number, b: number): boolean {
  for (let p = 0; p < L.procs; p++) if (L.pteBlock(s, p, slot) === b) return true;
  return false;
}

/**
 * Under the entry lock (mf_generic_kill_procs, 6.12.117 mm/memory-failure.c:1787-1826; 6.1.192
 * :1616-1655): SetPageHWPoison, collect_procs() on ->mapping at ->index, re-read: a NULL ->mapping
 * collects nobody (6.1.192 :618); the shared marker, which a shared fault elsewhere may have put
 * there, makes folio_test_anon() true, so collect_procs_anon() finds no anon_vma and collects
 * nobody either; another file is collected at its ->index. unmap_mapping_range() runs if anyone
 * was collected, then kill_procs(). The unlock is `mfUnlock`.
 */
export function mfKill(c: Ctx, s: DaxState): DaxState | undefined {
  const { L } = c;
  if (s[L.mfPhase] !== MF.killByMapping) return undefined;
  const b = s[L.mfBlock] - 1;
  const m = s[L.pageMapping + b];
  const t = copyState(s);
  t[L.pageFlags + b] |= PAGE_HWPOISON;
  if (m !== MAPPING_NONE && m !== MAPPING_SHARED) unmapAndKill(c, t, L.indexedSlot(t, b), b);
  t[L.mfPhase] = MF.unlockPage;
  return t;
}

/**
 * dax_unlock_page() (6.1.192 fs/dax.c:478-487) / dax_unlock_folio() (6.12.117 :470-479) / 4.19
 * dax_unlock_mapping_entry(page): read ->mapping and ->index again and unlock the entry they
 * name. NULL or the 0x1 marker: mapping->host is dereferenced, oops. The entry it locked: unlocked,
 * memory_failure returns. Another entry (a fault or truncate of another file sharing the page
 * moved ->mapping while the entry was held): the locked entry stays locked for ever, and
 * - `bug` (6.x dax_unlock_entry): the cookie is stored there and BUG_ON(!dax_is_locked(old))
 *   fires unless that entry was locked (6.12.117 fs/dax.c:283-285), oops;
 * - `warn-leak` (4.19 unlock_mapping_entry): WARN_ON_ONCE on an unlocked entry, and return.
 * Where that other entry is locked by another operation the kernel releases that lock for its
 * holder; the model keeps it (no variant can reach that case at the presets).
 */
export function mfUnlock(c: Ctx, s: DaxState): DaxState | undefined {
  const { v, L } = c;
  if (s[L.mfPhase] !== MF.unlockPage) return undefined;
  const b = s[L.mfBlock] - 1;
  const m = readMapping(c, s, b);
  if (m === MAPPING_NONE) return oops(c, s, OOPS.unlockNull);
  if (m === MAPPING_SHARED) return oops(c, s, OOPS.unlockMarker);
  const locked = s[L.mfLocked] - 1;
  const named = L.indexedSlot(s, b);
  const t = copyState(s);
  if (named !== locked) {
    if (v.unlockOtherEntry === "bug" && !L.entryLocked(s, named)) return oops(c, s, OOPS.unlockBug);
    t[L.leakedLocks] |= 1 << locked;
  }
  t[L.mfLocked] = 0;
  return finish(c, t);
}

/**
 * xfs_dax_notify_failure() with rmapbt=1: lock the AGF and query the rmap btree for the
 * block's owners (inode, offset). A non-inode owner (XFS_RMAP_OWN_COW: the staging block of an
 * in-flight CoW) sets want_shutdown in xfs_dax_failure_fn: the walk goes on, then the filesystem
 * is shut down (SHUTDOWN_CORRUPT_ONDISK) and nobody is signalled for it (6.12.117
 * fs/xfs/xfs_notify_failure.c:82-89, :317-321). So does an inode waiting for inodegc:
 * xfs_iget(XFS_IGET_INCORE) returns -ENOENT for XFS_NEED_INACTIVE with nlink 0 (6.12.117
 * fs/xfs/xfs_icache.c:570-575; 6.1.192 :522-531) and anything but -ENODATA sets want_shutdown
 * (xfs_notify_failure.c:95-100; 6.1.192 :88-93). No owner: return 0, no fallback.
 */
export function mfQueryRmap(c: Ctx, s: DaxState): DaxState | undefined {
  const { L } = c;
  if (s[L.mfPhase] !== MF.queryRmap) return undefined;
  const b = s[L.mfBlock] - 1;
  const t = copyState(s);
  let owners = 0;
  for (let i = 0; i < L.slots; i++) {
    if (L.bmapBlock(t, i) !== b) continue;
    if ((t[L.inactive] & (1 << L.fileOf(i))) !== 0) shutDown(L, t, SHUTDOWN.inactiveInode);
    else owners |= 1 << i;
  }
  if (isCowStaging(L, t, b)) shutDown(L, t, SHUTDOWN.cowStaging);
  if (owners === 0) return finish(c, t);
  t[L.mfOwners] = owners;
  t[L.mfPhase] = MF.killOwners;
  return t;
}

/**
 * For the next owner, still under the AGF lock: mf_dax_kill_procs() -> dax_lock_mapping_entry()
 * (waits while the entry is locked; no entry: nothing to do), SetPageHWPoison on the page the
 * entry maps, collect_procs_fsdax(), unmap_and_kill(). After the last owner the AGF is released.
 */
export function mfKillOwner(c: Ctx, s: DaxState): DaxState | undefined {
  const { L } = c;
  if (s[L.mfPhase] !== MF.killOwners) return undefined;
  const slot = L.nextOwner(s);
  if (L.entryLocked(s, slot)) return undefined;
  const t = copyState(s);
  const e = L.entryBlock(t, slot);
  if (e >= 0) {
    t[L.pageFlags + e] |= PAGE_HWPOISON;
    unmapAndKill(c, t, slot, e);
  }
  t[L.mfOwners] &= ~(1 << slot);
  return t[L.mfOwners] === 0 ? finish(c, t) : t;
}

/** XFS shuts down (xfs_force_shutdown), noting why. */
function shutDown(L: Layout, t: DaxState, reason: number): void {
  t[L.outcome] |= OUT.fsShutdown;
  t[L.shutdownReason] |= reason;
}

/**
 * collect_procs + unmap_and_kill for one (file, offset) and page: a process is collected when
 * task_early_kill() takes it (`collects`) and its VMA has a present PTE at that address
 * (__add_to_kill drops size_shift == 0; 4.19 kept it with addr_valid = 0 and SIGKILLed it,
 * `killsVmaWithoutPte`). unmap_mapping_range runs only when someone with a PTE was collected;
 * `current` gets BUS_MCEERR_AR, the others BUS_MCEERR_AO.
 */
function unmapAndKill(c: Ctx, t: DaxState, slot: number, block: number): void {
  const { v, L } = c;
  const f = L.fileOf(slot);
  const consumer = t[L.mfConsumer] - 1;
  let collected = 0;
  for (let p = 0; p < L.procs; p++) {
    if (!collects(c, t, p) || (t[L.vmas + p] & (1 << f)) === 0) continue;
    const pte = L.pteBlock(t, p, slot);
    if (pte >= 0) {
      collected |= 1 << p;
      if (pte !== block) t[L.outcome] |= OUT.spuriousSignal;
    } else if (v.killsVmaWithoutPte) {
      t[L.sigKill + p] |= 1 << block;
      t[L.outcome] |= OUT.spuriousSignal;
    }
  }
  if (collected === 0) return;
  zapSlot(L, t, slot);
  for (let p = 0; p < L.procs; p++) {
    if ((collected & (1 << p)) === 0) continue;
    if (p === consumer) t[L.sigAR + p] |= 1 << block;
    else t[L.sigAO + p] |= 1 << block;
  }
}

/** memory_failure() returns: a process owed a signal that mapped the page at the failure and still maps it unsignalled was missed. */
function finish(c: Ctx, t: DaxState): DaxState {
  const { L } = c;
  const b = t[L.mfBlock] - 1;
  const mappedThroughout = t[L.mfMappers] & L.mappersOf(t, b);
  for (let p = 0; p < L.procs; p++) {
    if ((mappedThroughout & (1 << p)) === 0 || !owed(c, t, p)) continue;
    const signalled = ((t[L.sigAR + p] | t[L.sigAO + p]) & (1 << b)) !== 0;
    if (!signalled) t[L.outcome] |= OUT.missedKill;
  }
  t[L.mfPhase] = t[L.mfBlock] = t[L.mfConsumer] = t[L.mfLocked] = t[L.mfWait] = t[L.mfOwners] = t[L.mfMappers] = 0;
  return t;
}

/** The kernel oopses: the run stops here. */
function oops({ L }: Ctx, s: DaxState, reason: number): DaxState {
  const t = copyState(s);
  t[L.outcome] |= OUT.oops;
  t[L.oopsReason] = reason;
  return t;
}
