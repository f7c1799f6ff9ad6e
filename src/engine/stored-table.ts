/**
 * The states a shared search (shared-search.ts) stored in the levels before the one it builds:
 * an open-addressing table of 64-bit fingerprints in shared memory, 8 bytes a slot and nothing
 * else, as the one thread's FingerprintTable. The workers only read it while they expand a
 * level, storing the level's new states in the level's own table (shared-table.ts), whose slots
 * are added here once the level is numbered. At most 3/4 full and grown by half, so 10.7 to 16
 * bytes a state.
 */
import { claimSlot, homeSlot, slotOf } from "./probe.js";

/** Int32 words per slot: high half, low half. */
export const STORED_WORDS = 2;
/** Most of its slots the table holds: past this it grows by half (to at least what it must hold). */
export const STORED_LOAD = 0.75;

/**
 * The stored fingerprints. hi 0 marks an empty slot, so a half of 0 is kept as 1, as the level
 * table keeps it (shared-table.ts): the halves added from there are already so.
 */
export class StoredTable {
  readonly slots: number;
  private sink = 0;

  constructor(readonly t: Int32Array) {
    this.slots = t.length / STORED_WORDS;
  }

  /** An empty table of `slots` slots in shared memory. */
  static create(slots: number): StoredTable {
    return new StoredTable(new Int32Array(new SharedArrayBuffer(slots * STORED_WORDS * 4)));
  }

  /** Most fingerprints it holds before it must grow. */
  get limit(): number {
    return Math.floor(this.slots * STORED_LOAD);
  }

  /** Whether a fingerprint is stored: plain reads, as nothing adds to the table while anyone looks. */
  has(hi: number, lo: number): boolean {
    return slotOf(this.t, STORED_WORDS, hi, lo) >= 0;
  }

  /** Stores a fingerprint if it is not stored yet (one thread, nobody reading); whether it was new. */
  put(hi: number, lo: number): boolean {
    if (this.has(hi, lo)) return false;
    this.add(hi | 0 || 1, lo | 0 || 1);
    return true;
  }

  /**
   * Stores a fingerprint (halves not 0) that is not here, claiming its slot by compare-and-swap
   * on the high half so that threads can add at once; nothing looks the table up meanwhile.
   */
  add(hi: number, lo: number): void {
    const w = claimSlot(this.t, STORED_WORDS, hi, lo);
    if (w < 0) throw new Error(`search: the table of stored states (${this.slots} slots) is full`);
    this.t[w + 1] = lo;
  }

  /**
   * Adds slots `begin` to `end` of the table `from`, whose slots are `words` Int32 words that
   * start (hi, lo), none of them stored here: a part of a smaller stored table, or of a level's.
   */
  addFrom(from: Int32Array, words: number, begin: number, end: number): void {
    for (let w = begin * words; w < end * words; w += words) {
      const hi = from[w];
      if (hi !== 0) this.add(hi, from[w + 1]);
    }
  }

  /** Reads the slots these lookups will read first, so that their cache misses overlap (as VisitedSet.warm). */
  warm(los: Uint32Array, count: number): void {
    const t = this.t;
    const slots = this.slots;
    let sink = 0;
    for (let i = 0; i < count; i++) sink ^= t[homeSlot(los[i] | 0 || 1, slots) * STORED_WORDS];
    this.sink ^= sink;
  }
}
