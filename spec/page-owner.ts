/**
 * The page back-pointer: fs/dax.c dax_associate_entry() and dax_disassociate_entry(), in the
 * flavour each variant declares. These edit a state copy in place.
 */
import { type DaxState, type Layout, MAPPING_NONE, MAPPING_SHARED, OUT } from "./state.js";
import type { PageOwnership, Variant } from "./variants.js";

/**
 * dax_associate_entry(entry, mapping, vma, address, shared): give page `block` the owner
 * (file, offset), or count one more sharer.
 * - singular (4.18 fs/dax.c): WARN_ON_ONCE(page->mapping); page->mapping = mapping; page->index = index.
 * - share-marker (6.12 fs/dax.c): if shared, dax_page_share_get(): a page with a regular owner
 *   restarts at share = 1, ->mapping = PAGE_MAPPING_DAX_SHARED, then share++; else as singular.
 */
export function associate(
  v: Variant,
  L: Layout,
  s: DaxState,
  block: number,
  file: number,
  offset: number,
  shared: boolean,
): void {
  const m = L.pageMapping + block;
  const i = L.pageIndex + block;
  if (v.ownership === "folio-share") {
    associateFolio(v, L, s, block, file, offset, shared);
    return;
  }
  if (shared && v.ownership !== "singular") {
    if (s[m] !== MAPPING_SHARED) {
      if (s[m] !== MAPPING_NONE) s[i] = 1;
      s[m] = MAPPING_SHARED;
    }
    s[i] = s[i] + 1;
    return;
  }
  if (s[m] !== MAPPING_NONE) s[L.outcome] |= OUT.warnAssociate;
  s[m] = file + 1;
  s[i] = v.recordsIndex ? offset : 0;
}

/**
 * Whether any fault of a shared extent associates as shared: dax_insert_entry takes `shared` from
 * IOMAP_F_SHARED, which xfs_read_iomap_begin sets for reads too (6.12.117 fs/dax.c:877,
 * fs/xfs/xfs_iomap.c:1307; fs/dax.c @ 00c010e130e5 :1062); 6.0-6.1 only for CoW faults
 * (dax_fault_is_cow, 6.1.192 fs/dax.c:843-847).
 */
export function associatesReadsShared(v: Variant): boolean {
  return v.ownership === "share-marker" || v.ownership === "folio-share";
}

/** Whether a 6.15 folio reads as shared: ->mapping NULL and ->share (which is ->index) non-zero (dax_folio_is_shared, fs/dax.c @ 00c010e130e5 :352-355). */
function folioShared(L: Layout, s: DaxState, block: number): boolean {
  const m = s[L.pageMapping + block];
  return m === MAPPING_SHARED || (m === MAPPING_NONE && s[L.pageIndex + block] > 0);
}

/**
 * 6.15 dax_associate_entry (fs/dax.c @ 00c010e130e5 :441-469): a shared association of a folio
 * that has an owner or is shared: dax_folio_make_shared (->mapping NULL, ->share = 1) if owned,
 * then ->share++; otherwise WARN_ON_ONCE(folio->mapping) and a regular owner. The model keeps
 * "->mapping NULL, shared" as MAPPING_SHARED, which every reader takes as NULL.
 */
function associateFolio(v: Variant, L: Layout, s: DaxState, block: number, file: number, offset: number, shared: boolean): void {
  const m = L.pageMapping + block;
  const i = L.pageIndex + block;
  const owned = s[m] !== MAPPING_NONE && s[m] !== MAPPING_SHARED;
  if (shared && (owned || folioShared(L, s, block))) {
    if (owned) s[i] = 1;
    s[m] = MAPPING_SHARED;
    s[i] = s[i] + 1;
    return;
  }
  if (owned) s[L.outcome] |= OUT.warnAssociate;
  s[m] = file + 1;
  s[i] = v.recordsIndex ? offset : 0;
}

/**
 * 6.15 dax_folio_put (fs/dax.c @ 00c010e130e5 :381-419): a shared folio loses one sharer and
 * stays shared while any remain; at 0, or for a singly owned folio, ->mapping = NULL, and
 * ->index (->share) is cleared only where `staleShareAfterPut` is off.
 */
function putFolio(v: Variant, L: Layout, s: DaxState, block: number): void {
  const m = L.pageMapping + block;
  const i = L.pageIndex + block;
  if (folioShared(L, s, block)) {
    s[i] = s[i] - 1;
    const left = v.sharePutReturnsNew ? s[i] : s[i] + 1;
    s[m] = left > 0 ? MAPPING_SHARED : MAPPING_NONE;
    return;
  }
  s[m] = MAPPING_NONE;
  if (!v.staleShareAfterPut) s[i] = 0;
}

/**
 * For the marker designs: a page under the shared marker loses one sharer, and is still shared
 * while any remain. A plain switch, checked exhaustive at compile time: this runs per step.
 */
function keepsShared(v: Variant, ownership: Exclude<PageOwnership, "folio-share">, L: Layout, s: DaxState, block: number): boolean {
  switch (ownership) {
    case "share-marker":
    case "cow-marker": {
      if (s[L.pageMapping + block] !== MAPPING_SHARED) return false;
      const i = L.pageIndex + block;
      s[i] = s[i] - 1;
      return v.sharePutReturnsNew ? s[i] > 0 : s[i] + 1 > 0;
    }
    case "singular":
      return false;
    default: {
      const never: never = ownership;
      return never;
    }
  }
}

/**
 * dax_disassociate_entry(entry, mapping, trunc): drop (file)'s claim on page `block`.
 * WARN_ON_ONCE(trunc && page_ref_count(page) > 1) first; then a shared page loses one sharer
 * and keeps its marker while any remain (6.12: `if (dax_page_share_put(page) > 0) continue;`,
 * i.e. --share > 0); otherwise WARN_ON_ONCE(page->mapping && page->mapping != mapping) and
 * ->mapping = NULL, ->index = 0.
 */
export function disassociate(
  v: Variant,
  L: Layout,
  s: DaxState,
  block: number,
  file: number,
  trunc: boolean,
): void {
  const m = L.pageMapping + block;
  const i = L.pageIndex + block;
  if (v.disassociateWarns && trunc && s[L.pagePins + block] > 0) s[L.outcome] |= OUT.warnTruncateBusy;
  if (v.ownership === "folio-share") {
    putFolio(v, L, s, block);
    return;
  }
  if (keepsShared(v, v.ownership, L, s, block)) return;
  if (v.disassociateWarns && s[m] !== MAPPING_SHARED && s[m] !== MAPPING_NONE && s[m] !== file + 1) s[L.outcome] |= OUT.warnDisassociate;
  s[m] = MAPPING_NONE;
  s[i] = 0;
}
