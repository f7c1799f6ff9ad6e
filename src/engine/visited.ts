/**
 * The visited set: an open-addressing table holding each distinct state's 64-bit fingerprint
 * itself (8 bytes a slot, no ids or pointers), plus the trail (trail.ts), kept apart, which
 * gives each state's id (its discovery order) a parent link, an action index and a copy of the
 * fingerprint for rebuilding paths.
 *
 * The table probes linearly from a slot picked by the low half (multiply-shift, so its size
 * need not be a power of two), is at most 3/4 full, and grows by half when it passes that, so
 * it stays at least half full: 10.7 to 16 bytes per state. The all-zero fingerprint, which
 * marks an empty slot, is held by a flag.
 */
import { Trail } from "./trail.js";

/** Parent id of an initial state. */
export const NO_PARENT = 0xffffffff;

const INITIAL_SLOTS = 4096;
/** Largest table: 2^29 eight-byte slots (4 GiB). */
const MAX_SLOTS = 2 ** 29;
/**
 * Most states a visited set can hold: what keeps the table within MAX_SLOTS at its 3/4 load.
 * A search caps its `maxStates` by this, so reaching it is an "incomplete" verdict rather than a crash.
 */
export const VISITED_CAPACITY = (MAX_SLOTS / 4) * 3;
/** Largest action index the trail keeps. */
export const MAX_ACTION = 0xffff;
/** 2^-32: turns a uint32 into a fraction in [0, 1) exactly. */
const TO_FRACTION = 2 ** -32;

/** A set of 64-bit fingerprints with dense ids, parent links and action indices. */
export class VisitedSet {
  /** Slot i holds a fingerprint's high half at 2i and low half at 2i + 1; (0, 0) is empty. */
  private table: Uint32Array = new Uint32Array(INITIAL_SLOTS * 2);
  private slots = INITIAL_SLOTS;
  /** Most states before the table grows: 3/4 of its slots. */
  private limit = (INITIAL_SLOTS / 4) * 3;
  private inTable = 0;
  /** Whether the fingerprint (0, 0), which the table cannot hold, is stored. */
  private zero = false;
  private readonly trail: Trail;
  /** Table entries read by `warm`. */
  private sink = 0;
  /** Most states this set holds: `insert` of a new fingerprint throws beyond it. */
  readonly capacity: number;

  /**
   * An empty set holding at most `capacity` states (default and largest: VISITED_CAPACITY);
   * its trail keeps `trailMemoryChunks` chunks of 65,536 records in memory before spilling.
   */
  constructor(capacity: number = VISITED_CAPACITY, trailMemoryChunks?: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= VISITED_CAPACITY)) {
      throw new RangeError(`visited set: capacity ${capacity} must be an integer in 1..${VISITED_CAPACITY}`);
    }
    if (trailMemoryChunks !== undefined && !(Number.isInteger(trailMemoryChunks) && trailMemoryChunks >= 1)) {
      throw new RangeError(`visited set: trailMemoryChunks ${trailMemoryChunks} must be a whole number, at least 1`);
    }
    this.capacity = capacity;
    this.trail = new Trail(trailMemoryChunks);
  }

  /** Number of distinct states stored. */
  get size(): number {
    return this.trail.size;
  }

  /**
   * Stores a fingerprint with its parent id and action index; returns the new id, or -1 when
   * already present. Throws when the set is full (`size === capacity`) and the fingerprint is new.
   */
  insert(hi: number, lo: number, parent: number, action: number): number {
    hi >>>= 0;
    lo >>>= 0;
    let slot = -1;
    if ((hi | lo) === 0) {
      if (this.zero) return -1;
    } else {
      slot = this.probe(hi, lo);
      if (slot < 0) return -1;
    }
    const id = this.trail.size;
    if (id >= this.capacity) throw new RangeError(`visited set: full at ${this.capacity} states`);
    if ((action & ~MAX_ACTION) !== 0) throw new RangeError(`visited set: action index ${action} does not fit 16 bits`);
    this.trail.push(parent, action, hi, lo);
    if (slot < 0) {
      this.zero = true;
      return id;
    }
    const t = this.table;
    t[slot << 1] = hi;
    t[(slot << 1) + 1] = lo;
    if (++this.inTable > this.limit) this.grow();
    return id;
  }

  /** Whether a fingerprint is stored. */
  has(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    return (hi | lo) === 0 ? this.zero : this.probe(hi, lo) < 0;
  }

  /** The empty slot where this (non-zero) fingerprint would go, or -1 when it is stored. */
  private probe(hi: number, lo: number): number {
    const t = this.table;
    const slots = this.slots;
    let slot = (lo * TO_FRACTION * slots) | 0;
    for (;;) {
      const w = slot << 1;
      const l = t[w + 1];
      const h = t[w];
      if (l === lo && h === hi) return -1;
      if ((h | l) === 0) return slot;
      if (++slot === slots) slot = 0;
    }
  }

  /**
   * Reads the table slots that lookups of these low halves will read first: the cache misses
   * of a batch then overlap instead of queueing.
   */
  warm(los: Uint32Array, count: number): void {
    const t = this.table;
    const slots = this.slots;
    let sink = 0;
    for (let i = 0; i < count; i++) sink ^= t[(((los[i] >>> 0) * TO_FRACTION * slots) | 0) << 1];
    this.sink ^= sink;
  }

  /** Parent id of a state, or NO_PARENT for an initial state. */
  parentOf(id: number): number {
    this.check(id);
    return this.trail.read(id, 0);
  }

  /** Action index that led to a state, or for an initial state its index among the initial states. */
  actionOf(id: number): number {
    this.check(id);
    return this.trail.read(id, 1);
  }

  /** High half of a state's fingerprint. */
  hiOf(id: number): number {
    this.check(id);
    return this.trail.read(id, 2);
  }

  /** Low half of a state's fingerprint. */
  loOf(id: number): number {
    this.check(id);
    return this.trail.read(id, 3);
  }

  /** Calls `fn` with every stored fingerprint (high, low halves, unsigned), in no promised order: what a shard writes out. */
  forEachFingerprint(fn: (hi: number, lo: number) => void): void {
    if (this.zero) fn(0, 0);
    const t = this.table;
    for (let w = 0; w < t.length; w += 2) if ((t[w] | t[w + 1]) !== 0) fn(t[w] >>> 0, t[w + 1] >>> 0);
  }

  /** The most bytes the next insertions may allocate at once: a grown table next to this one, and a trail chunk. */
  growthReserveBytes(): number {
    return this.table.byteLength * 1.5 + this.trail.reserveBytes();
  }

  /** Bytes of memory held: the table and the trail's in-memory chunks. */
  bytes(): number {
    return this.table.byteLength + this.trail.memoryBytes();
  }

  /** Bytes of the fingerprint table alone. */
  tableBytes(): number {
    return this.table.byteLength;
  }

  /** Bytes of the trail spilled to its temporary file. */
  trailDiskBytes(): number {
    return this.trail.diskBytes();
  }

  /** Closes the trail's temporary file; parent links can no longer be read. Membership still works. */
  close(): void {
    this.trail.close();
  }

  private check(id: number): void {
    if (!(id >= 0 && id < this.trail.size && Number.isInteger(id))) {
      throw new RangeError(`visited set: no state with id ${id} (size ${this.trail.size})`);
    }
  }

  /** Half as many slots again, the fingerprints re-placed from the old table. */
  private grow(): void {
    const slots = Math.min(MAX_SLOTS, this.slots + (this.slots >>> 1));
    if (slots === this.slots) throw new RangeError(`visited set: the table would exceed ${MAX_SLOTS} slots`);
    const old = this.table;
    const t = new Uint32Array(slots * 2);
    for (let w = 0; w < old.length; w += 2) {
      const hi = old[w];
      const lo = old[w + 1];
      if ((hi | lo) === 0) continue;
      let slot = ((lo >>> 0) * TO_FRACTION * slots) | 0;
      while ((t[slot << 1] | t[(slot << 1) + 1]) !== 0) if (++slot === slots) slot = 0;
      t[slot << 1] = hi;
      t[(slot << 1) + 1] = lo;
    }
    this.table = t;
    this.slots = slots;
    this.limit = Math.floor((slots / 4) * 3);
  }
}
