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
import { permutationsOf } from "../src/core/permutations.js";
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
  const classes = [range(0, early), range(early, L.procs)];
  const canonical = processesThenBlocks(L, classes);
  return {
    dimensions: [
      { name: "blocks", size: L.blocks, classes: [range(0, L.blocks)] },
      { name: "processes", size: L.procs, classes },
    ],
    prepare: (perms) => renaming(perms[0], perms[1]),
    encodePermuted(s: DaxState, r: unknown, out: Encoder): void {
      const at = out.claim(L.size);
      permuteInto(L, s, r as DaxRenaming, out.buffer, at);
    },
    encodeCanonical: canonical,
  };
}

/** Words of a block's signature. */
const SIG = 4;

/**
 * The canonical form: blocks sorted by a signature of everything that refers to them (its page's
 * fields; which slots' extents, entries and PTEs point at it; which faults staged it;
 * memory_failure's target; which processes were signalled for it). Renaming blocks permutes the
 * signatures and nothing else, and two blocks with one signature are referred to by nothing that
 * tells them apart, so the sorted state is the same for every renaming of blocks.
 *
 * With like processes, they are renamed too. Each process gets a signature that no
 * renaming of blocks changes (its VMAs, its fault's phase and slot, which slots it has PTEs for,
 * how many blocks it was signalled for, its part in the failure in flight). Over the orders of
 * the like processes that sort those signatures (usually one; every order when all tie), the
 * state so renamed with its blocks then sorted, and of those the least, byte by byte.
 *
 * Why it is canonical: sorting blocks is canonical for block renamings with the processes' names
 * fixed; a renaming of the state renames the signatures with the processes, so the orders that
 * sort them give the same set of renamed states up to blocks; and the least of the same set is the
 * same state. One block sort per sorting order replaces trying every renaming (blocks! times as
 * many per order of the processes).
 */
function processesThenBlocks(L: Layout, classes: readonly (readonly number[])[]): (s: DaxState, out: Encoder) => boolean {
  const order = blockOrder(L);
  const blocks = Uint8Array.from({ length: L.blocks }, (_, b) => b);
  const orders = permutationsOf(L.procs, classes);
  const renamings = orders.map((proc) => renaming(blocks, proc));
  const unsorted = renamings[0];
  // Per order, which process each new index takes: inverse[k][j] is the process renamed j.
  const inverses = orders.map((proc) => {
    const inv = new Uint8Array(L.procs);
    for (let p = 0; p < L.procs; p++) inv[proc[p]] = p;
    return inv;
  });
  // Neighbours within a class, whose signatures a sorting order must leave in order.
  const neighbours = classes.flatMap((members) => members.slice(1).map((m, k) => [members[k], m] as const));
  const sig = new Float64Array(L.procs);
  const sorting = new Uint8Array(orders.length);
  const candidate = new Uint8Array(L.size);
  const best = new Uint8Array(L.size);
  return (s, out) => {
    // With no two processes alike the identity is the only order, and sorts them.
    if (neighbours.length > 0) processSignatures(L, s, sig);
    let n = 0;
    for (let k = 0; k < orders.length; k++) {
      const inv = inverses[k];
      let sorted = true;
      for (let j = 0; j < neighbours.length && sorted; j++) sorted = sig[inv[neighbours[j][0]]] <= sig[inv[neighbours[j][1]]];
      if (sorted) sorting[n++] = k;
    }
    if (n === 1) {
      // Usually one order sorts the processes: rename them and sort the blocks in one pass.
      const k = sorting[0];
      const r = order(s, orders[k]);
      if (k === 0 && r === undefined) return false;
      // claim first: it may grow the buffer.
      const at = out.claim(L.size);
      permuteBoth(L, s, r ?? unsorted, renamings[k], out.buffer, at);
      return true;
    }
    // Processes that tie: the least of the forms the sorting orders give (the identity first).
    let own = false;
    for (let i = 0; i < n; i++) {
      const k = sorting[i];
      const r = order(s, orders[k]);
      const t = k === 0 && r === undefined ? s : candidate;
      if (t === candidate) permuteBoth(L, s, r ?? unsorted, renamings[k], candidate);
      if (i === 0 || lessBytes(t, best)) {
        own = t === s;
        best.set(t);
      }
    }
    if (own) return false;
    const at = out.claim(L.size);
    out.buffer.set(best, at);
    return true;
  };
}

/**
 * Each process's signature, unchanged by renaming blocks: VMAs, fault phase and slot, whether the
 * fault staged a block, which slots it has PTEs for, how many blocks each kind of signal named,
 * whether it is the failure's consumer and among its mappers. Packed in 47 bits of a number.
 */
function processSignatures(L: Layout, s: DaxState, sig: Float64Array): void {
  const consumer = s[L.mfConsumer];
  const mappers = s[L.mfMappers];
  for (let p = 0; p < L.procs; p++) {
    let ptes = 0;
    for (let i = 0; i < L.slots; i++) if (s[L.pte + p * L.slots + i] !== 0) ptes |= 1 << i;
    let k = s[L.vmas + p];
    k = k * 256 + s[L.faultPhase + p];
    k = k * 256 + s[L.faultSlot + p];
    k = k * 2 + (s[L.faultBlock + p] === 0 ? 0 : 1);
    k = k * 256 + ptes;
    k = k * 16 + bitCount(s[L.sigAR + p]);
    k = k * 16 + bitCount(s[L.sigAO + p]);
    k = k * 16 + bitCount(s[L.sigKill + p]);
    k = k * 2 + (consumer === p + 1 ? 1 : 0);
    sig[p] = k * 2 + ((mappers >> p) & 1);
  }
}

/** The bits set in a byte. */
function bitCount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** Whether `a` comes before `b`, byte by byte (same length). */
function lessBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/**
 * The renaming of blocks that sorts a state's blocks by signature once its processes are renamed
 * by `proc` (read through it, not done), or undefined when they are sorted already; the lookup
 * tables of each order met are kept (at most blocks! of them).
 */
function blockOrder(L: Layout): (s: DaxState, proc: Uint8Array) => DaxRenaming | undefined {
  const sig = new Uint32Array(L.blocks * SIG);
  const order = new Uint8Array(L.blocks);
  const rank = new Uint8Array(L.blocks);
  const procs = Uint8Array.from({ length: L.procs }, (_, p) => p);
  const prepared = new Map<number, DaxRenaming>();
  const identity = identityCode(L.blocks);
  return (s, proc) => {
    signatures(L, s, proc, sig);
    for (let b = 0; b < L.blocks; b++) order[b] = b;
    // Insertion sort of at most eight blocks by signature.
    for (let i = 1; i < L.blocks; i++) {
      const x = order[i];
      let j = i - 1;
      while (j >= 0 && compareSig(sig, order[j], x) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
    let code = 0;
    for (let k = 0; k < L.blocks; k++) {
      rank[order[k]] = k;
      code = code * 8 + order[k];
    }
    if (code === identity) return undefined;
    let r = prepared.get(code);
    if (r === undefined) prepared.set(code, (r = renaming(rank.slice(), procs)));
    return r;
  };
}

/** The code blockOrder gives the identity order 0, 1, ..., n-1 (base-8 digits). */
function identityCode(n: number): number {
  let code = 0;
  for (let k = 0; k < n; k++) code = code * 8 + k;
  return code;
}

/** Each block's signature words, with process p named proc[p]: page fields; slots of extents and entries, staging faults, the failure's target; PTEs; signals. */
function signatures(L: Layout, s: DaxState, proc: Uint8Array, sig: Uint32Array): void {
  const blocks = L.blocks;
  for (let b = 0; b < blocks; b++) {
    const w = b * SIG;
    sig[w] = (s[L.pageMapping + b] << 24) | (s[L.pageIndex + b] << 16) | (s[L.pageFlags + b] << 8) | s[L.pagePins + b];
    sig[w + 1] = 0;
    sig[w + 2] = 0;
    sig[w + 3] = 0;
  }
  const mf = s[L.mfBlock];
  if (mf !== 0) sig[(mf - 1) * SIG + 1] |= 1 << 24;
  for (let i = 0; i < L.slots; i++) {
    const e = s[L.bmap + i];
    if (e !== 0) sig[(e - 1) * SIG + 1] |= 1 << i;
    const n = s[L.entry + i];
    if (n !== 0) sig[(n - 1) * SIG + 1] |= 1 << (i + 8);
  }
  for (let p = 0; p < L.procs; p++) {
    const q = proc[p];
    const f = s[L.faultBlock + p];
    if (f !== 0) sig[(f - 1) * SIG + 1] |= 1 << (q + 16);
    for (let i = 0; i < L.slots; i++) {
      const t = s[L.pte + p * L.slots + i];
      if (t !== 0) sig[(t - 1) * SIG + 2] |= 1 << (q * L.slots + i);
    }
    // Signals are rare: a process with none adds nothing to any block.
    const ar = s[L.sigAR + p];
    const ao = s[L.sigAO + p];
    const kill = s[L.sigKill + p];
    if ((ar | ao | kill) === 0) continue;
    for (let b = 0; b < blocks; b++) {
      const bit = 1 << b;
      sig[b * SIG + 3] |= ((ar & bit) !== 0 ? 1 << q : 0) | ((ao & bit) !== 0 ? 1 << (q + 8) : 0) | ((kill & bit) !== 0 ? 1 << (q + 16) : 0);
    }
  }
}

/** Signatures of blocks a and b compared word by word, as unsigned numbers. */
function compareSig(sig: Uint32Array, a: number, b: number): number {
  for (let k = 0; k < SIG; k++) {
    const d = sig[a * SIG + k] - sig[b * SIG + k];
    if (d !== 0) return d;
  }
  return 0;
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

/** Writes into `into` from byte `at` (0 by default) the state `s` renamed by `r`. */
export function permuteInto(L: Layout, s: DaxState, r: DaxRenaming, into: Uint8Array, at = 0): void {
  permuteBoth(L, s, r, r, into, at);
}

/** As permuteInto, with the blocks renamed by `rb` and the processes by `rp`. */
function permuteBoth(L: Layout, s: DaxState, rb: DaxRenaming, rp: DaxRenaming, into: Uint8Array, at = 0): void {
  // A view from `at`: the renaming below writes fields by their offsets in a state.
  const t = at === 0 ? into : into.subarray(at, at + s.length);
  // A loop: TypedArray.prototype.set is a runtime call, slow for a few dozen bytes.
  for (let i = 0; i < s.length; i++) t[i] = s[i];
  const { blockRef, blockMask, blk } = rb;
  const proc = rp.proc;
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
  t[L.mfConsumer] = rp.procRef[s[L.mfConsumer]];
  t[L.mfMappers] = rp.procMask[s[L.mfMappers]];
}
