/** A state in kernel terms, as plain JSON: what trace files store and `replay` diffs. */
import { blockName, fileName, procName, slotName } from "./actions.js";
import type { Ctx } from "./context.js";
import { type DaxState, FAULT, type Layout, MAPPING_NONE, MAPPING_SHARED, MF, OOPS, OUT, PAGE_BADBLOCK, PAGE_HWPOISON, SHUTDOWN, TRUNC } from "./state.js";

const blockOrNone = (x: number): string => (x === 0 ? "-" : blockName(x - 1));

function mappingText(m: number): string {
  if (m === MAPPING_NONE) return "NULL";
  if (m === MAPPING_SHARED) return "SHARED(0x1)";
  return fileName(m - 1);
}

function blocksOf(mask: number, n: number): string[] {
  const out: string[] = [];
  for (let b = 0; b < n; b++) if (mask & (1 << b)) out.push(blockName(b));
  return out;
}

const OUTCOME_TEXT: readonly [number, string][] = [
  [OUT.warnAssociate, "WARN dax_associate_entry: page->mapping already set"],
  [OUT.warnDisassociate, "WARN dax_disassociate_entry: page->mapping is another file"],
  [OUT.warnTruncateBusy, "WARN dax_disassociate_entry: truncating a pinned page"],
  [OUT.freedPinned, "block freed while pinned for DMA"],
  [OUT.oops, "OOPS"],
  [OUT.missedKill, "memory_failure finished leaving an entitled mapper unsignalled"],
  [OUT.spuriousSignal, "SIGBUS or SIGKILL for a page the PTE does not map"],
  [OUT.fsShutdown, "XFS (pmem): shutdown SHUTDOWN_CORRUPT_ONDISK"],
];

/** The shutdown line with the rmap owners that caused it. */
function shutdownText(reasons: number): string {
  const why: string[] = [];
  if (reasons & SHUTDOWN.cowStaging) why.push("media error in a CoW staging extent (XFS_RMAP_OWN_COW)");
  if (reasons & SHUTDOWN.inactiveInode) why.push("media error in a block of an inode awaiting inodegc (xfs_iget -ENOENT)");
  return `XFS (pmem): shutdown SHUTDOWN_CORRUPT_ONDISK: ${why.join("; ")}`;
}

const OOPS_TEXT: Record<number, string> = {
  [OOPS.none]: "",
  [OOPS.markerDeref]: "dax_mapping() dereferences the 0x1 shared marker in page->mapping (dax_lock_page/dax_lock_folio)",
  [OOPS.evictedMapping]: "page->mapping points at an evicted inode's address_space",
  [OOPS.unlockNull]: "dax_unlock_page/dax_unlock_folio re-read a NULL page->mapping and dereferenced mapping->host",
  [OOPS.unlockMarker]: "dax_unlock_folio re-read the 0x1 shared marker in page->mapping and dereferenced its ->host",
  [OOPS.unlockBug]: "kernel BUG in dax_unlock_entry: the re-read page->mapping/->index named another entry, which was not locked (BUG_ON(!dax_is_locked(old)))",
  [OOPS.nullMapping]: "dax_lock_page() dereferences a NULL page->mapping (no NULL check)",
};

const MF_TEXT: Record<number, string> = {
  [MF.none]: "idle",
  [MF.lockPage]: "about to dax_lock_page on page->mapping",
  [MF.killByMapping]: "holds the entry lock; collect_procs and kill next",
  [MF.queryRmap]: "about to query the rmap btree",
  [MF.killOwners]: "walking rmap owners under the AGF lock",
  [MF.unlockPage]: "signals sent; dax_unlock_page re-reads page->mapping next",
  [MF.lockWait]: "dax_lock_page sleeps on the entry page->mapping/->index named",
};

const TRUNC_TEXT: Record<number, string> = {
  [TRUNC.none]: "idle",
  [TRUNC.deleteEntries]: "layouts broken; deleting entries next",
  [TRUNC.freeBlocks]: "entries deleted; freeing blocks next",
};

/** A process's fault in flight, in kernel terms. */
function faultText(L: Layout, s: DaxState, p: number): string {
  const phase = s[L.faultPhase + p];
  if (phase === FAULT.none) return "idle";
  const at = slotName(L, s[L.faultSlot + p] - 1);
  if (phase === FAULT.readLocked) return `${at}: entry locked; iomap_begin next`;
  if (phase === FAULT.writeLocked) return `write ${at}: entry locked; iomap_begin allocates next`;
  if (phase === FAULT.cowFailed) {
    return `CoW ${at} into ${blockOrNone(s[L.faultBlock + p])}: entry inserted, the copy failed (SIGBUS), entry locked; xfs_reflink_cancel_cow_range next`;
  }
  return `CoW ${at} into ${blockOrNone(s[L.faultBlock + p])}: entry inserted, PTE installed, entry locked; xfs_reflink_end_cow next`;
}

/** The state as nested records of strings, numbers and booleans. */
export function viewState({ v, b: bounds, L }: Ctx, s: DaxState): Readonly<Record<string, unknown>> {
  const files: Record<string, unknown> = {};
  for (let f = 0; f < L.files; f++) {
    const extents: string[] = [];
    const entries: string[] = [];
    for (let o = 0; o < L.offsets; o++) {
      extents.push(blockOrNone(s[L.bmap + L.slot(f, o)]));
      entries.push(blockOrNone(s[L.entry + L.slot(f, o)]));
    }
    const inodegc = (s[L.inactive] & (1 << f)) !== 0;
    files[fileName(f)] = { alive: L.isAlive(s, f), ...(inodegc ? { awaiting_inodegc: true } : {}), reflink_flag: L.isReflinked(s, f), extents, entries };
  }
  const pages: Record<string, unknown> = {};
  for (let b = 0; b < L.blocks; b++) {
    const m = s[L.pageMapping + b];
    pages[blockName(b)] = {
      mapping: m === MAPPING_SHARED && v.ownership === "folio-share" ? "NULL (shared folio)" : mappingText(m),
      [m === MAPPING_SHARED || (v.ownership === "folio-share" && m === MAPPING_NONE && s[L.pageIndex + b] > 0) ? "share" : "index"]: s[L.pageIndex + b],
      hwpoison: (s[L.pageFlags + b] & PAGE_HWPOISON) !== 0,
      badblock: (s[L.pageFlags + b] & PAGE_BADBLOCK) !== 0,
      pins: s[L.pagePins + b],
      refcount: L.refcount(s, b),
    };
  }
  const processes: Record<string, unknown> = {};
  for (let p = 0; p < L.procs; p++) {
    const vmas: string[] = [];
    for (let f = 0; f < L.files; f++) if (s[L.vmas + p] & (1 << f)) vmas.push(fileName(f));
    const ptes: Record<string, string> = {};
    for (let i = 0; i < L.slots; i++) {
      const b = L.pteBlock(s, p, i);
      if (b >= 0) ptes[slotName(L, i)] = blockName(b);
    }
    processes[procName(p)] = {
      kill: p < bounds.early ? "early" : "late",
      vmas,
      ptes,
      fault: faultText(L, s, p),
      sigbus_ar: blocksOf(s[L.sigAR + p], L.blocks),
      sigbus_ao: blocksOf(s[L.sigAO + p], L.blocks),
      ...(s[L.sigKill + p] !== 0 ? { sigkill: blocksOf(s[L.sigKill + p], L.blocks) } : {}),
    };
  }
  const outcome = s[L.outcome];
  return {
    files,
    pages,
    processes,
    truncate: s[L.truncFile] === 0 ? "idle" : `${fileName(s[L.truncFile] - 1)}: ${TRUNC_TEXT[s[L.truncPhase]]}`,
    memory_failure: s[L.mfPhase] === MF.none
      ? { phase: "idle", poisons_left: s[L.poisonsLeft] }
      : {
          phase: MF_TEXT[s[L.mfPhase]],
          page: blockOrNone(s[L.mfBlock]),
          current: s[L.mfConsumer] === 0 ? "none" : procName(s[L.mfConsumer] - 1),
          mapped_by: Array.from({ length: L.procs }, (_, p) => p).filter((p) => s[L.mfMappers] & (1 << p)).map(procName),
          entry_locked: s[L.mfLocked] === 0 ? "-" : slotName(L, s[L.mfLocked] - 1),
          ...(s[L.mfWait] !== 0 ? { sleeps_on: slotName(L, s[L.mfWait] - 1) } : {}),
          owners_left: Array.from({ length: L.slots }, (_, i) => i).filter((i) => s[L.mfOwners] & (1 << i)).map((i) => slotName(L, i)),
          poisons_left: s[L.poisonsLeft],
        },
    kernel_log: [
      ...OUTCOME_TEXT.filter(([bit]) => outcome & bit).map(([bit, text]) =>
        bit === OUT.oops ? `OOPS: ${OOPS_TEXT[s[L.oopsReason]]}` : bit === OUT.fsShutdown ? shutdownText(s[L.shutdownReason]) : text,
      ),
      ...Array.from({ length: L.slots }, (_, i) => i).filter((i) => s[L.leakedLocks] & (1 << i)).map((i) =>
        `${v.unlockOtherEntry === "warn-leak" ? "WARN unlock_mapping_entry: the re-read page->mapping named an unlocked entry; " : ""}the entry at ${slotName(L, i)} stays locked for ever`,
      ),
    ],
  };
}
