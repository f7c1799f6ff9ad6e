/**
 * The fingerprint table of the shared-table prototype (shared-search.ts): one open-addressing
 * table in shared memory that every worker thread stores into by compare-and-swap, each slot
 * also holding the least parent id that found its state in the level being built.
 */

/** 2^-32: a uint32 as a fraction of the table. */
const TO_FRACTION = 2 ** -32;

/**
 * The shared table: three words a slot, (hi, lo, least), where least is the least parent of this
 * level that found the state (or of the level that stored it), read in the same cache miss as
 * the fingerprint. hi 0 marks an empty slot and lo 0 one being filled, so a fingerprint half of
 * 0 is stored as 1 (two fingerprints in 2^32 then share a slot: a collision bound of 64 bits
 * less a hair).
 */
export class SharedTable {
  readonly slots: number;
  /** Word index of the slot `insert` found or filled. */
  at = 0;
  private sink = 0;
  constructor(readonly t: Int32Array) {
    this.slots = t.length / 3;
  }

  /** 1 when stored now, 2 when `parent` became its least, 0 otherwise; `this.at` is its slot's word index. */
  insert(hi: number, lo: number, parent: number, levelStart: number): number {
    hi |= 0;
    lo |= 0;
    if (hi === 0) hi = 1;
    if (lo === 0) lo = 1;
    const t = this.t;
    const slots = this.slots;
    let slot = ((lo >>> 0) * TO_FRACTION * slots) | 0;
    for (let probes = 0; ; probes++) {
      if (probes === slots) throw new RangeError("bench --shared: the shared table is full; raise N (the table does not grow)");
      const w = slot * 3;
      let h = t[w];
      if (h === 0) {
        h = Atomics.compareExchange(t, w, 0, hi);
        if (h === 0) {
          Atomics.store(t, w + 2, parent);
          Atomics.store(t, w + 1, lo);
          this.at = w;
          return 1;
        }
      }
      if (h === hi) {
        // An atomic read: once it sees the low half, it also sees the least stored before it.
        let l = Atomics.load(t, w + 1);
        while (l === 0) l = Atomics.load(t, w + 1);
        if (l === lo) {
          this.at = w;
          return this.lower(w + 2, parent, levelStart);
        }
      }
      if (++slot === slots) slot = 0;
    }
  }

  /** Reads the slots these lookups will read first, so that their cache misses overlap (as VisitedSet.warm). */
  warm(los: Uint32Array, count: number): void {
    const t = this.t;
    const slots = this.slots;
    let sink = 0;
    for (let i = 0; i < count; i++) sink ^= t[((((los[i] | 0 || 1) >>> 0) * TO_FRACTION * slots) | 0) * 3];
    this.sink ^= sink;
  }

  /**
   * Makes `parent` the least of word `w` if it is of this level and less: 2 when it did, else 0.
   * A plain read first: the least was stored before the low half that `insert` read atomically,
   * and within a level a least only falls, so a value read here is at least the true one, and one
   * at most `parent` or of an earlier level settles it. 0 (a slot never filled reads so, and 0 is
   * also a real id) is settled by the atomic loop.
   */
  private lower(w: number, parent: number, levelStart: number): number {
    const t = this.t;
    const seen = t[w];
    if (seen !== 0 && (seen < levelStart || seen <= parent)) return 0;
    for (;;) {
      const cur = Atomics.load(t, w);
      if (cur < levelStart || cur <= parent) return 0;
      if (Atomics.compareExchange(t, w, cur, parent) === cur) return 2;
    }
  }
}
