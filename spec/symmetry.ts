/**
 * What the DAX model treats alike, for the engine's symmetry reduction.
 *
 * - Blocks: every pmem page is like every other. No step names a block: the allocator's pick
 *   (`alloc_map`, `cow_alloc`) and the poison target are choices over all blocks, and every
 *   invariant quantifies over all of them, so renaming blocks maps runs to runs.
 * - Processes with the same kill setting: the first `early` processes asked for early kill
 *   (task_early_kill), the rest did not; otherwise a process is only an index. Which file a
 *   process maps first is part of the initial state, not of the rules, so it does not matter.
 * - Files are not renamed: the rmap walk visits a block's owners in key order (lowest slot first,
 *   `Layout.nextOwner`, as xfs_rmap_query_range walks records by owner inode), so which file
 *   memory_failure reaches first depends on the names, and swapping files would not map runs to runs.
 *
 * test/spec/symmetry.test.ts checks the first two on reachable states of every variant: the
 * successors of a renamed state are the renamed successors, and every property agrees.
 */
import type { Encoder } from "../src/core/encoder.js";
import type { Symmetry } from "../src/core/model.js";
import type { Bounds } from "./bounds.js";
import type { DaxState, Layout } from "./state.js";

/** One renaming as lookup tables: block references (block+1, 0 none), block bitmasks, process order and process bitmasks. */
export interface DaxRenaming {
  readonly blockRef: Uint8Array;
  readonly blockMask: Uint8Array;
  readonly proc: Uint8Array;
  readonly procRef: Uint8Array;
  readonly procMask: Uint8Array;
  readonly blk: Uint8Array;
}

/** The blocks, and the processes by kill setting, as the engine's symmetry declaration. */
export function daxSymmetry(L: Layout, b: Bounds): Symmetry<DaxState> {
  const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  const early = Math.min(b.early, L.procs);
  const scratch = new Uint8Array(L.size);
  return {
    dimensions: [
      { name: "blocks", size: L.blocks, classes: [range(0, L.blocks)] },
      { name: "processes", size: L.procs, classes: [range(0, early), range(early, L.procs)] },
    ],
    prepare: (perms) => renaming(perms[0], perms[1]),
    encodePermuted(s: DaxState, r: unknown, out: Encoder): void {
      permuteInto(L, s, r as DaxRenaming, scratch);
      out.bytes(scratch);
    },
  };
}

/** Lookup tables for block b renamed blk[b] and process p renamed proc[p]. */
export function renaming(blk: Uint8Array, proc: Uint8Array): DaxRenaming {
  const maskTable = (perm: Uint8Array): Uint8Array =>
    Uint8Array.from({ length: 256 }, (_, m) => {
      let r = 0;
      for (let i = 0; i < perm.length; i++) if ((m & (1 << i)) !== 0) r |= 1 << perm[i];
      return r;
    });
  const refTable = (perm: Uint8Array): Uint8Array => Uint8Array.from({ length: 256 }, (_, v) => (v === 0 || v > perm.length ? v : perm[v - 1] + 1));
  return { blockRef: refTable(blk), blockMask: maskTable(blk), proc, procRef: refTable(proc), procMask: maskTable(proc), blk };
}

/** Writes into `t` the state `s` renamed by `r`. */
export function permuteInto(L: Layout, s: DaxState, r: DaxRenaming, t: Uint8Array): void {
  // A loop: TypedArray.prototype.set is a runtime call, slow for a few dozen bytes.
  for (let i = 0; i < s.length; i++) t[i] = s[i];
  const { blockRef, blockMask, proc, blk } = r;
  const slots = L.slots;
  for (let i = 0; i < slots; i++) {
    t[L.bmap + i] = blockRef[s[L.bmap + i]];
    t[L.entry + i] = blockRef[s[L.entry + i]];
  }
  for (let b = 0; b < L.blocks; b++) {
    const to = blk[b];
    t[L.pageMapping + to] = s[L.pageMapping + b];
    t[L.pageIndex + to] = s[L.pageIndex + b];
    t[L.pageFlags + to] = s[L.pageFlags + b];
    t[L.pagePins + to] = s[L.pagePins + b];
  }
  for (let p = 0; p < L.procs; p++) {
    const to = proc[p];
    t[L.vmas + to] = s[L.vmas + p];
    const from = L.pte + p * slots;
    const into = L.pte + to * slots;
    for (let i = 0; i < slots; i++) t[into + i] = blockRef[s[from + i]];
    t[L.sigAR + to] = blockMask[s[L.sigAR + p]];
    t[L.sigAO + to] = blockMask[s[L.sigAO + p]];
    t[L.sigKill + to] = blockMask[s[L.sigKill + p]];
    t[L.faultPhase + to] = s[L.faultPhase + p];
    t[L.faultSlot + to] = s[L.faultSlot + p];
    t[L.faultBlock + to] = blockRef[s[L.faultBlock + p]];
  }
  t[L.mfBlock] = blockRef[s[L.mfBlock]];
  t[L.mfConsumer] = r.procRef[s[L.mfConsumer]];
  t[L.mfMappers] = r.procMask[s[L.mfMappers]];
}
