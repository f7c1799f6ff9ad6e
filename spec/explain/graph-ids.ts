/** Node ids of ownership graphs: letters, digits and underscores only, and the same for the same thing in every state. */
import { blockName, fileName, procName, slotName } from "../actions.js";
import type { Ctx } from "../context.js";
import { type DaxState, type Layout, MF, TRUNC } from "../state.js";

/** A file's inode (its address_space), what page->mapping names. */
export const fileId = (f: number): string => `file_${fileName(f)}`;
/** The cluster of a file's inode and offsets. */
export const fileCluster = (f: number): string => `cluster_file_${fileName(f)}`;
/** One (file, offset). */
export const offsetId = (L: Layout, slot: number): string => `off_${fileName(L.fileOf(slot))}_${L.offsetOf(slot)}`;
/** A pmem page (its struct page). */
export const pageId = (b: number): string => `page_${blockName(b)}`;
/** A process. */
export const procId = (p: number): string => `proc_${procName(p)}`;
/** A process's cluster. */
export const procCluster = (p: number): string => `cluster_proc_${procName(p)}`;
/** memory_failure() in flight. */
export const MF_ID = "memory_failure";
/** The truncate in flight. */
export const TRUNC_ID = "truncate";
/** The kernel log note. */
export const LOG_ID = "kernel_log";
/** The cluster of pmem pages. */
export const PAGES_CLUSTER = "cluster_pages";
/** The cluster of kernel operations in flight. */
export const KERNEL_CLUSTER = "cluster_kernel";

/** The node of wait-for graph operation n (locks.ts numbering: processes' faults, then memory_failure, then truncate). */
export function operationId(L: Layout, n: number): string {
  if (n < L.procs) return procId(n);
  return n === L.procs ? MF_ID : TRUNC_ID;
}

/** The key an edge is highlighted by: kind, ends and label. */
export const edgeKey = (kind: string, from: string, to: string, label = ""): string => `${kind}:${from}->${to}:${label}`;

/** What operation `n` of the wait-for graph (locks.ts waitsFor: processes, then memory_failure, then truncate) waits for, as an edge label. */
export function waitLabel(c: Ctx, s: DaxState, n: number): string {
  const { L } = c;
  if (n < L.procs) return "needs the AGF";
  if (n === L.procs) {
    const phase = s[L.mfPhase];
    if (phase === MF.queryRmap) return "needs the AGF";
    const slot = phase === MF.lockWait ? s[L.mfWait] - 1 : phase === MF.killOwners ? L.nextOwner(s) : L.indexedSlot(s, s[L.mfBlock] - 1);
    return slot >= 0 && slot < L.slots ? `needs entry lock ${slotName(L, slot)}` : "needs an entry lock";
  }
  return s[L.truncPhase] === TRUNC.freeBlocks ? "needs the AGF" : "needs the file's entry locks";
}
