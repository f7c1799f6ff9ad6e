/**
 * Facts about a state that rule single candidates out before they are tried: which files each
 * process maps, which files exist, which PTEs are present, which extents have a block and which
 * pages are pinned. Each need below mirrors a first guard of its step, so leaving out a candidate
 * whose need fails never changes the enabled set; most candidates a state lists are disabled by
 * exactly these guards (v4.18 at `full`: 20 of 28 tried), and each costs a step call to find out.
 */
import type { DaxAction } from "./actions.js";
import type { DaxState, Layout } from "./state.js";

/** 1 for a byte above 0, else 0, without a branch the byte's value would mispredict. */
function nonZero(byte: number): number {
  return (byte + 255) >>> 8;
}

/** A candidate's need: bit `bit` of the facts key is set (`set`) or clear. */
interface Need {
  readonly bit: number;
  readonly set: boolean;
}

/** A candidate's needs as bits of the facts key: those that must be set, those that must be clear. */
export interface FactMasks {
  readonly set: number;
  readonly clear: number;
}

/** Where each group of facts sits in the key, or -1 when the bounds leave no room for it. */
interface FactBits {
  readonly vma: number;
  readonly alive: number;
  readonly pte: number;
  readonly bmap: number;
  readonly pinned: number;
}

/** The facts of a state as one small integer, and which bits of it each candidate needs. */
export class CandidateFacts {
  private readonly at: FactBits;

  /** Facts of at most `budget` bits: the groups that rule out the most candidates first, a group that does not fit left out whole. */
  constructor(
    private readonly L: Layout,
    budget: number,
  ) {
    let used = 0;
    const place = (width: number): number => {
      if (used + width > budget) return -1;
      used += width;
      return used - width;
    };
    const pte = place(L.procs * L.slots);
    const bmap = place(L.slots);
    const pinned = place(L.blocks);
    const vma = place(L.procs * L.files);
    const alive = place(L.files);
    this.at = { vma, alive, pte, bmap, pinned };
  }

  /** The facts of `s`. */
  key(s: DaxState): number {
    const { L, at } = this;
    let k = 0;
    if (at.pte >= 0) for (let i = 0; i < L.procs * L.slots; i++) k |= nonZero(s[L.pte + i]) << (at.pte + i);
    if (at.bmap >= 0) for (let i = 0; i < L.slots; i++) k |= nonZero(s[L.bmap + i]) << (at.bmap + i);
    if (at.pinned >= 0) for (let b = 0; b < L.blocks; b++) k |= nonZero(s[L.pagePins + b]) << (at.pinned + b);
    const files = (1 << L.files) - 1;
    if (at.vma >= 0) for (let p = 0; p < L.procs; p++) k |= (s[L.vmas + p] & files) << (at.vma + p * L.files);
    if (at.alive >= 0) k |= (s[L.alive] & files) << at.alive;
    return k;
  }

  /**
   * Candidate `a`'s needs as two masks of facts bits, those that must be set and those that must be
   * clear: facts `key` leave `a` possibly enabled when `(key & set) === set && (key & clear) === 0`.
   */
  masks(a: DaxAction): FactMasks {
    let set = 0;
    let clear = 0;
    for (const need of this.needs(a)) {
      if (need.set) set |= 1 << need.bit;
      else clear |= 1 << need.bit;
    }
    return { set, clear };
  }

  /**
   * The facts `a` needs, each the first guard of its step: mmap, munmap (process-steps.ts: the
   * file exists and is, or is not, mapped); a fault's start (`fault` needs an extent and no PTE,
   * `alloc` a hole, `cow_fault` an extent; `lockEntry`: the file exists and p maps it); pin,
   * consume and madvise a present PTE; unpin a pinned page; evict a file that exists and that no
   * process maps (fs-steps.ts `evict`: fileMapped); reflink two files that exist.
   */
  private needs(a: DaxAction): Need[] {
    const { L } = this;
    const needs: Need[] = [];
    const want = (group: number, index: number, set: boolean): void => {
      if (group >= 0) needs.push({ bit: group + index, set });
    };
    const at = this.at;
    const vma = (p: number, f: number, set: boolean): void => want(at.vma, p * L.files + f, set);
    const alive = (f: number): void => want(at.alive, f, true);
    const pte = (p: number, slot: number, set: boolean): void => want(at.pte, p * L.slots + slot, set);
    const faultStart = (p: number, slot: number, extent: boolean): void => {
      want(at.bmap, slot, extent);
      vma(p, L.fileOf(slot), true);
      alive(L.fileOf(slot));
    };
    switch (a.kind) {
      case "mmap": alive(a.file); vma(a.proc, a.file, false); break;
      case "munmap": vma(a.proc, a.file, true); break;
      case "fault": faultStart(a.proc, a.slot, true); pte(a.proc, a.slot, false); break;
      case "alloc": faultStart(a.proc, a.slot, false); break;
      case "cow_fault": faultStart(a.proc, a.slot, true); break;
      case "pin": case "consume": case "madvise": pte(a.proc, a.slot, true); break;
      case "unpin": want(at.pinned, a.block, true); break;
      case "evict":
        alive(a.file);
        for (let p = 0; p < L.procs; p++) vma(p, a.file, false);
        break;
      case "reflink": alive(a.src); alive(a.dst); break;
      default: break;
    }
    return needs;
  }
}
