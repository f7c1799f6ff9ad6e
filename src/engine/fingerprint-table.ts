/**
 * A set of 64-bit fingerprints: an open-addressing table holding each fingerprint itself (8
 * bytes a slot, no ids or pointers). What the visited set stores states in, and all that
 * `daxmc merge` needs to count the union of shards.
 *
 * The table probes linearly from a slot picked by the low half (multiply-shift, so its size
 * need not be a power of two), is at most 3/4 full, and grows by half when it passes that, so
 * it stays at least half full: 10.7 to 16 bytes per fingerprint. The all-zero fingerprint,
 * which marks an empty slot, is held by a flag.
 */

import { homeSlot } from "./probe.js";

/** Slots at first: few, so that the table grows (and its growth path gets V8's type feedback) within the first thousand states, before the search loop is optimized; first met after 3,072 states, it made V8 drop the optimized code of the loop's store. */
const INITIAL_SLOTS = 1024;
/** Largest table: 2^29 eight-byte slots (4 GiB). */
export const MAX_SLOTS = 2 ** 29;
/** What `find` returns for a fingerprint already stored. */
export const STORED = -1;
/** What `find` returns for the all-zero fingerprint when not stored: it goes in the flag, not a slot. */
const ZERO = -2;

/** Fingerprints, each stored once. */
export class FingerprintTable {
  /** Slot i holds a fingerprint's high half at 2i and low half at 2i + 1; (0, 0) is empty. */
  private table: Uint32Array = new Uint32Array(INITIAL_SLOTS * 2);
  private slots = INITIAL_SLOTS;
  /** Most fingerprints in slots before the table grows: 3/4 of its slots. */
  private limit = limitOf(INITIAL_SLOTS);
  private inTable = 0;
  /** Whether the fingerprint (0, 0), which the table cannot hold, is stored. */
  private zero = false;
  /** Table entries read by `warm`. */
  private sink = 0;

  /** Number of fingerprints stored. */
  get size(): number {
    return this.inTable + (this.zero ? 1 : 0);
  }

  /** Where a fingerprint (halves unsigned) would go, for `put`; STORED when it is already here. */
  find(hi: number, lo: number): number {
    if ((hi | lo) === 0) return this.zero ? STORED : ZERO;
    const t = this.table;
    const slots = this.slots;
    let slot = homeSlot(lo, slots);
    for (;;) {
      const w = slot << 1;
      const l = t[w + 1];
      const h = t[w];
      if (l === lo && h === hi) return STORED;
      if ((h | l) === 0) return slot;
      if (++slot === slots) slot = 0;
    }
  }

  /** Stores a fingerprint where `find` (called just before, nothing stored since) said it goes; grows the table when it passes 3/4 full. */
  put(hi: number, lo: number, where: number): void {
    if (where === ZERO) {
      this.zero = true;
      return;
    }
    const t = this.table;
    t[where << 1] = hi;
    t[(where << 1) + 1] = lo;
    if (++this.inTable > this.limit) this.grow();
  }

  /** Stores a fingerprint; whether it was new. */
  add(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    const where = this.find(hi, lo);
    if (where === STORED) return false;
    this.put(hi, lo, where);
    return true;
  }

  /** Whether a fingerprint is stored. */
  has(hi: number, lo: number): boolean {
    return this.find(hi >>> 0, lo >>> 0) === STORED;
  }

  /**
   * Reads the table slots that lookups of these low halves will read first: the cache misses
   * of a batch then overlap instead of queueing.
   */
  warm(los: Uint32Array, count: number): void {
    const t = this.table;
    const slots = this.slots;
    let sink = 0;
    for (let i = 0; i < count; i++) sink ^= t[homeSlot(los[i], slots) << 1];
    this.sink ^= sink;
  }

  /** Calls `fn` with every stored fingerprint (high, low halves, unsigned), in no promised order. */
  forEach(fn: (hi: number, lo: number) => void): void {
    if (this.zero) fn(0, 0);
    const t = this.table;
    for (let w = 0; w < t.length; w += 2) if ((t[w] | t[w + 1]) !== 0) fn(t[w] >>> 0, t[w + 1] >>> 0);
  }

  /** Bytes of the table. */
  get byteLength(): number {
    return this.table.byteLength;
  }

  /** Half as many slots again, the fingerprints re-placed from the old table. */
  private grow(): void {
    const slots = Math.min(MAX_SLOTS, this.slots + (this.slots >>> 1));
    if (slots === this.slots) throw new RangeError(`fingerprint table: the table would exceed ${MAX_SLOTS} slots`);
    const old = this.table;
    const t = new Uint32Array(slots * 2);
    for (let w = 0; w < old.length; w += 2) {
      const hi = old[w];
      const lo = old[w + 1];
      if ((hi | lo) === 0) continue;
      let slot = homeSlot(lo, slots);
      while ((t[slot << 1] | t[(slot << 1) + 1]) !== 0) if (++slot === slots) slot = 0;
      t[slot << 1] = hi;
      t[(slot << 1) + 1] = lo;
    }
    this.table = t;
    this.slots = slots;
    this.limit = limitOf(slots);
  }
}

/** Most fingerprints a table of `slots` slots holds before it grows, floor(3/4 of them), in integers only: a division's fraction made V8 drop the optimized `grow`. */
function limitOf(slots: number): number {
  return slots - ((slots + 3) >>> 2);
}
