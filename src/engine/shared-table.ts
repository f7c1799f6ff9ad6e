/**
 * The level table of a shared search (shared-search.ts): the new states of the level being
 * built, in one open-addressing table in shared memory that every worker thread stores into by
 * compare-and-swap, each slot also holding the least parent id that found its state, which is
 * how the workers together give the one thread's ids. The states of earlier levels are in the
 * stored table (stored-table.ts), to which this one's are added once the level is numbered.
 */
import { claimSlot, homeSlot, slotOf } from "./probe.js";

/** Int32 words per slot: high half, low half, least parent. */
export const SLOT_WORDS = 3;

/** What `insert` throws when every slot is taken: the level is then expanded again from a larger level table. */
export class TableFull extends Error {
  constructor(slots: number) {
    super(`search: the level table of ${slots} slots filled up within one run of parents`);
    this.name = "TableFull";
  }
}

/** What `insert` did: nothing (stored before in this level, by a parent no greater), stored the state, or made `parent` its least. */
export const KNOWN_BEFORE = 0;
export const STORED_NOW = 1;
export const LOWERED = 2;

/**
 * The level table: three words a slot, (hi, lo, least), where least is the least parent of this
 * level that found the state, read in the same cache miss as the fingerprint. hi 0 marks an empty slot and lo 0 one being filled, so a fingerprint half of
 * 0 is stored as 1 (a fingerprint with a half of 0 then shares its slot with the one whose half
 * is 1: two more fingerprints in 2^32 alike, a hair on the collision bound).
 */
export class SharedTable {
  readonly slots: number;
  /** Word index of the slot `insert` or `find` found or filled. */
  at = 0;
  private sink = 0;

  constructor(readonly t: Int32Array) {
    this.slots = t.length / SLOT_WORDS;
  }

  /** An empty table of `slots` slots in shared memory. */
  static create(slots: number): SharedTable {
    return new SharedTable(new Int32Array(new SharedArrayBuffer(slots * SLOT_WORDS * 4)));
  }

  /**
   * Stores a fingerprint found by `parent`: STORED_NOW when it is new, LOWERED when `parent`
   * became its least, KNOWN_BEFORE otherwise; `this.at` is its slot's word index. Throws when
   * every slot is taken.
   */
  insert(hi: number, lo: number, parent: number): number {
    hi = hi | 0 || 1;
    lo = lo | 0 || 1;
    const t = this.t;
    const slots = this.slots;
    let slot = homeSlot(lo, slots);
    for (let probes = 0; ; probes++) {
      if (probes === slots) throw new TableFull(slots);
      const w = slot * SLOT_WORDS;
      let h = t[w];
      if (h === 0) {
        h = Atomics.compareExchange(t, w, 0, hi);
        if (h === 0) {
          // A plain write of the least: the atomic write of the low half after it publishes both.
          t[w + 2] = parent;
          Atomics.store(t, w + 1, lo);
          this.at = w;
          return STORED_NOW;
        }
      }
      if (h === hi) {
        // An atomic read: once it sees the low half, it also sees the least stored before it.
        let l = Atomics.load(t, w + 1);
        while (l === 0) l = Atomics.load(t, w + 1);
        if (l === lo) {
          this.at = w;
          return this.lower(w + 2, parent);
        }
      }
      if (++slot === slots) slot = 0;
    }
  }

  /** Whether a fingerprint is stored (no thread storing meanwhile); `this.at` is then its slot's word index. */
  find(hi: number, lo: number): boolean {
    const w = slotOf(this.t, SLOT_WORDS, hi, lo);
    if (w < 0) return false;
    this.at = w;
    return true;
  }

  /** The least parent in the slot at word `w`. */
  leastAt(w: number): number {
    return this.t[w + 2];
  }

  /** Reads the slots that the inserts of `los[picks[0 .. count)]` will read first, so that their cache misses overlap (as VisitedSet.warm). */
  warmPicked(los: Uint32Array, picks: Int32Array, count: number): void {
    const t = this.t;
    const slots = this.slots;
    let sink = 0;
    for (let i = 0; i < count; i++) sink ^= t[homeSlot(los[picks[i]] | 0 || 1, slots) * SLOT_WORDS];
    this.sink ^= sink;
  }

  /**
   * Moves slots `begin` to `end` of the table `from` (a smaller one, no thread storing into it)
   * into this one, by compare-and-swap, so that threads can move parts of it at once.
   */
  moveFrom(from: Int32Array, begin: number, end: number): void {
    const to = this.t;
    for (let w = begin * SLOT_WORDS; w < end * SLOT_WORDS; w += SLOT_WORDS) {
      const hi = from[w];
      if (hi === 0) continue;
      // Only claiming the slot races (with the other threads moving parts); nothing reads the new table until they are done.
      const v = claimSlot(to, SLOT_WORDS, hi, from[w + 1]);
      if (v < 0) throw new TableFull(this.slots);
      to[v + 2] = from[w + 2];
      to[v + 1] = from[w + 1];
    }
  }

  /**
   * Makes `parent` the least of word `w` if it is less: LOWERED when it did. A plain read first:
   * the least was stored before the low half that `insert` read atomically, and a least only
   * falls, so a value read here is at least the true one, and one at most `parent` settles it.
   * 0 (a slot never filled reads so, and 0 is also a real id) is settled by the atomic loop.
   */
  private lower(w: number, parent: number): number {
    const t = this.t;
    const seen = t[w];
    if (seen !== 0 && seen <= parent) return KNOWN_BEFORE;
    for (;;) {
      const cur = Atomics.load(t, w);
      if (cur <= parent) return KNOWN_BEFORE;
      if (Atomics.compareExchange(t, w, cur, parent) === cur) return LOWERED;
    }
  }
}
