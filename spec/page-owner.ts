/**
 * The page back-pointer: fs/dax.c dax_associate_entry() and dax_disassociate_entry(), in the
 * flavour each variant declares. These edit a state copy in place.
 */
import { match } from "ts-pattern";
import { type DaxState, type Layout, MAPPING_NONE, MAPPING_SHARED, OUT } from "./state.js";
import type { Variant } from "./variants.js";

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
  s[i] = offset;
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
  if (trunc && s[L.pagePins + block] > 0) s[L.outcome] |= OUT.warnTruncateBusy;
  const keepShared = match(v.ownership)
    .with("share-marker", "cow-marker", () => {
      if (s[m] !== MAPPING_SHARED) return false;
      s[i] = s[i] - 1;
      return v.sharePutReturnsNew ? s[i] > 0 : s[i] + 1 > 0;
    })
    .with("singular", () => false)
    .exhaustive();
  if (keepShared) return;
  if (s[m] !== MAPPING_SHARED && s[m] !== MAPPING_NONE && s[m] !== file + 1) s[L.outcome] |= OUT.warnDisassociate;
  s[m] = MAPPING_NONE;
  s[i] = 0;
}
