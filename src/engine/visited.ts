/**
 * The visited set: each distinct state's 64-bit fingerprint in a fingerprint table
 * (fingerprint-table.ts: 10.7 to 16 bytes per state), plus the trail (trail.ts), kept apart,
 * which gives each state's id (its discovery order) a parent link, an action index and a copy
 * of the fingerprint for rebuilding paths.
 */
import { FingerprintTable, MAX_SLOTS, STORED } from "./fingerprint-table.js";
import { Trail } from "./trail.js";

/** Parent id of an initial state. */
export const NO_PARENT = 0xffffffff;

/**
 * Most states a visited set can hold: what keeps the table within MAX_SLOTS at its 3/4 load.
 * A search caps its `maxStates` by this, so reaching it is an "incomplete" verdict rather than a crash.
 */
export const VISITED_CAPACITY = (MAX_SLOTS / 4) * 3;
/** Largest action index the trail keeps. */
export const MAX_ACTION = 0xffff;

/** A set of 64-bit fingerprints with dense ids, parent links and action indices. */
export class VisitedSet {
  private readonly table = new FingerprintTable();
  private readonly trail: Trail;
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
    const where = this.table.find(hi, lo);
    if (where === STORED) return -1;
    const id = this.trail.size;
    if (id >= this.capacity) throw new RangeError(`visited set: full at ${this.capacity} states`);
    if ((action & ~MAX_ACTION) !== 0) throw new RangeError(`visited set: action index ${action} does not fit 16 bits`);
    this.trail.push(parent, action, hi, lo);
    this.table.put(hi, lo, where);
    return id;
  }

  /**
   * Gives the next id to a state a shared search stored in its own table (shared-search.ts):
   * its trail record only, so that paths are rebuilt as for any other; `has` does not find it.
   */
  record(parent: number, action: number, hi: number, lo: number): void {
    if (this.trail.size >= this.capacity) throw new RangeError(`visited set: full at ${this.capacity} states`);
    this.trail.push(parent, action, hi >>> 0, lo >>> 0);
  }

  /** `record` for `count` states at once, four words each (parent, action, high half, low half) in `words`. */
  recordAll(words: Int32Array, count: number): void {
    if (this.trail.size + count > this.capacity) throw new RangeError(`visited set: full at ${this.capacity} states`);
    this.trail.pushAll(words, count);
  }

  /** Whether a fingerprint is stored. */
  has(hi: number, lo: number): boolean {
    return this.table.has(hi, lo);
  }

  /**
   * Reads the table slots that lookups of these low halves will read first: the cache misses
   * of a batch then overlap instead of queueing.
   */
  warm(los: Uint32Array, count: number): void {
    this.table.warm(los, count);
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
    this.table.forEach(fn);
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
}
