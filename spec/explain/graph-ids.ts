/** Node ids of ownership graphs: letters, digits and underscores only, and the same for the same thing in every state. */
import { blockName, fileName, procName } from "../actions.js";
import type { Layout } from "../state.js";

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
