/**
 * The fingerprints a search met lately, in a small direct-mapped table that stays in the
 * processor's cache. Most successors already stored are reached again soon after they were
 * first met (the other order of two steps that commute, from a sibling state), so finding them
 * here spares a cache miss in the visited table, which is far too large to stay cached. Only
 * fingerprints the visited set holds are added, so a hit here is exactly a lookup there finding
 * the fingerprint: the search's states, ids and paths do not change.
 */

/** Slots: 2^16, 512 KiB of fingerprints, which fits a second-level cache. */
const SLOT_BITS = 16;
const SLOTS = 1 << SLOT_BITS;

/** A cache of fingerprints known to be stored; a newer one evicts the one in its slot. */
export class RecentFingerprints {
  private readonly his = new Uint32Array(SLOTS);
  private readonly los = new Uint32Array(SLOTS);
  /** What `pick` left: successors not found here, by index, and their fingerprints' low halves (to warm the big table with). */
  picks = new Int32Array(64);
  pickedLos = new Uint32Array(64);
  picked = 0;

  /** Picks the successors, by fingerprint halves `his` and `los`, of `count`, not found here: only those need the big table. */
  pick(his: Uint32Array, los: Uint32Array, count: number): void {
    if (count > this.picks.length) {
      this.picks = new Int32Array(count * 2);
      this.pickedLos = new Uint32Array(count * 2);
    }
    const { picks, pickedLos } = this;
    let n = 0;
    for (let b = 0; b < count; b++) {
      if (this.has(his[b], los[b])) continue;
      picks[n] = b;
      pickedLos[n++] = los[b];
    }
    this.picked = n;
  }

  /** Whether fingerprint (hi, lo) was added and not evicted since. The empty slot reads as (0, 0), so that fingerprint is never held. */
  has(hi: number, lo: number): boolean {
    const slot = slotOf(lo);
    return this.los[slot] === lo >>> 0 && this.his[slot] === hi >>> 0 && (hi | lo) !== 0;
  }

  /** Forgets every fingerprint. */
  clear(): void {
    this.his.fill(0);
    this.los.fill(0);
  }

  /** Adds fingerprint (hi, lo), which the visited set holds. */
  add(hi: number, lo: number): void {
    const slot = slotOf(lo);
    this.his[slot] = hi;
    this.los[slot] = lo;
  }
}

/** The slot of a fingerprint: the low half's low bits (the visited table places by its high bits). */
function slotOf(lo: number): number {
  return lo & (SLOTS - 1);
}
