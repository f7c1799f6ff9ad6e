/**
 * The visited set: every distinct state's 64-bit fingerprint, parent link and action index,
 * in dense columns indexed by state id (0, 1, 2, ... in discovery order), plus an
 * open-addressing hash table from fingerprint to id.
 *
 * Columns live in fixed-size chunks, so growing never copies them. A table slot holds id + 1
 * (0 = empty) in its low 27 bits and 5 bits of the fingerprint's high half above them, so a
 * probe reads the fingerprint column (a likely cache miss) only when those bits match. The
 * table probes linearly, is indexed by the low fingerprint half, stays at most 3/4 full and
 * doubles by rehashing from the columns. Per state: 8 (fingerprint) + 4 (parent) + 2 (action)
 * column bytes and 5.3..10.7 table bytes: 19.3 to 24.7 bytes, plus the last chunk's slack.
 */

/** Parent id of an initial state. */
export const NO_PARENT = 0xffffffff;

const CHUNK_BITS = 16;
/** States per column chunk. */
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const INITIAL_TABLE = 1 << 12;
/** Largest table: 2^30 four-byte slots (4 GiB). */
const MAX_TABLE = 1 << 30;
/** Bits of a table slot that hold id + 1; the rest hold a fingerprint tag. */
const ID_BITS = 27;
const ID_MASK = (1 << ID_BITS) - 1;
/** Most states the slot layout can address. */
const MAX_STATES = ID_MASK - 1;
/**
 * Most states a visited set can hold: what the slot layout addresses (2^27 - 2), and no more
 * than keeps the table within MAX_TABLE slots at its 3/4 load factor. A search caps its
 * `maxStates` by this, so reaching it is an "incomplete" verdict rather than a crash.
 */
export const VISITED_CAPACITY = Math.min(MAX_STATES, (MAX_TABLE / 4) * 3);
/** The tag bits of a slot for a fingerprint's high half. */
const tagOf = (hi: number): number => (hi >>> ID_BITS) << ID_BITS;
/** Largest action index the Uint16 column holds. */
export const MAX_ACTION = 0xffff;

/** A set of 64-bit fingerprints with dense ids, parent links and action indices. */
export class VisitedSet {
  private readonly fpChunks: Uint32Array[] = [];
  private readonly parentChunks: Uint32Array[] = [];
  private readonly actionChunks: Uint16Array[] = [];
  private table: Uint32Array = new Uint32Array(INITIAL_TABLE);
  private mask = INITIAL_TABLE - 1;
  private count = 0;
  /** Table entries read by `warm`. */
  private scratch = new Uint32Array(64);
  /** Where `warm` leaves what it read, so the reads are not optimised away. */
  private sink = 0;
  /** Most states this set holds: `insert` of a new fingerprint throws beyond it. */
  readonly capacity: number;

  /** An empty set holding at most `capacity` states (default and largest: VISITED_CAPACITY). */
  constructor(capacity: number = VISITED_CAPACITY) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= VISITED_CAPACITY)) {
      throw new RangeError(`visited set: capacity ${capacity} must be an integer in 1..${VISITED_CAPACITY}`);
    }
    this.capacity = capacity;
  }

  /** Number of distinct states stored. */
  get size(): number {
    return this.count;
  }

  /**
   * Stores a fingerprint with its parent id and action index; returns the new id, or -1 when
   * already present. Throws when the set is full (`size === capacity`) and the fingerprint is new.
   */
  insert(hi: number, lo: number, parent: number, action: number): number {
    hi >>>= 0;
    lo >>>= 0;
    const slot = this.probe(hi, lo);
    const table = this.table;
    if (table[slot] !== 0) return -1;
    const fpChunks = this.fpChunks;
    const tag = tagOf(hi);
    const id = this.count;
    if (id >= this.capacity) throw new RangeError(`visited set: full at ${this.capacity} states`);
    if ((action & ~MAX_ACTION) !== 0) throw new RangeError(`visited set: action index ${action} does not fit 16 bits`);
    const chunk = id >>> CHUNK_BITS;
    if (chunk === fpChunks.length) this.addChunk();
    const off = id & CHUNK_MASK;
    const fp = fpChunks[chunk];
    fp[off << 1] = hi;
    fp[(off << 1) + 1] = lo;
    this.parentChunks[chunk][off] = parent;
    this.actionChunks[chunk][off] = action;
    table[slot] = (tag | (id + 1)) >>> 0;
    this.count = id + 1;
    if (this.count * 4 > table.length * 3) this.grow();
    return id;
  }

  /** Whether a fingerprint is stored. */
  has(hi: number, lo: number): boolean {
    return this.table[this.probe(hi >>> 0, lo >>> 0)] !== 0;
  }

  /** The table slot holding this fingerprint, or the empty slot where it would go (hi and lo unsigned). */
  private probe(hi: number, lo: number): number {
    const table = this.table;
    const mask = this.mask;
    const fpChunks = this.fpChunks;
    const tag = tagOf(hi);
    let slot = lo & mask;
    for (;;) {
      const entry = table[slot];
      if (entry === 0) return slot;
      if (((entry ^ tag) & ~ID_MASK) === 0) {
        const id = (entry & ID_MASK) - 1;
        const fp = fpChunks[id >>> CHUNK_BITS];
        const off = (id & CHUNK_MASK) << 1;
        if (fp[off + 1] === lo && fp[off] === hi) return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Reads the table slots, and the fingerprints they point to, that lookups of these low
   * halves will read first: the cache misses of a batch then overlap instead of queueing.
   */
  warm(los: Uint32Array, count: number): void {
    const table = this.table;
    const mask = this.mask;
    const fpChunks = this.fpChunks;
    const entries = this.scratch.length >= count ? this.scratch : (this.scratch = new Uint32Array(count * 2));
    for (let i = 0; i < count; i++) entries[i] = table[los[i] & mask];
    let sink = 0;
    for (let i = 0; i < count; i++) {
      const entry = entries[i];
      if (entry !== 0) {
        const id = (entry & ID_MASK) - 1;
        sink ^= fpChunks[id >>> CHUNK_BITS][(id & CHUNK_MASK) << 1];
      }
    }
    this.sink ^= sink;
  }

  /** Parent id of a state, or NO_PARENT for an initial state. */
  parentOf(id: number): number {
    this.check(id);
    return this.parentChunks[id >>> CHUNK_BITS][id & CHUNK_MASK];
  }

  /** Action index that led to a state, or for an initial state its index among the initial states. */
  actionOf(id: number): number {
    this.check(id);
    return this.actionChunks[id >>> CHUNK_BITS][id & CHUNK_MASK];
  }

  /** High half of a state's fingerprint. */
  hiOf(id: number): number {
    this.check(id);
    return this.fpChunks[id >>> CHUNK_BITS][(id & CHUNK_MASK) << 1];
  }

  /** Low half of a state's fingerprint. */
  loOf(id: number): number {
    this.check(id);
    return this.fpChunks[id >>> CHUNK_BITS][((id & CHUNK_MASK) << 1) + 1];
  }

  /** Calls `fn` with every stored fingerprint (high, low halves, unsigned), in no promised order: what a shard writes out. */
  forEachFingerprint(fn: (hi: number, lo: number) => void): void {
    for (let id = 0; id < this.count; id++) {
      const fp = this.fpChunks[id >>> CHUNK_BITS];
      const off = (id & CHUNK_MASK) << 1;
      fn(fp[off], fp[off + 1]);
    }
  }

  /** The most bytes the next insertions may allocate at once: a doubled table, and a chunk of columns. */
  growthReserveBytes(): number {
    return this.table.byteLength * 2 + CHUNK * 14;
  }

  /** Exact bytes held by all the typed arrays (columns and table). */
  bytes(): number {
    let total = this.table.byteLength;
    for (let c = 0; c < this.fpChunks.length; c++) {
      total += this.fpChunks[c].byteLength + this.parentChunks[c].byteLength + this.actionChunks[c].byteLength;
    }
    return total;
  }

  private check(id: number): void {
    if (!(id >= 0 && id < this.count && Number.isInteger(id))) {
      throw new RangeError(`visited set: no state with id ${id} (size ${this.count})`);
    }
  }

  /** Allocates all three columns before adding any, so a failed allocation leaves the set consistent. */
  private addChunk(): void {
    const fp = new Uint32Array(CHUNK * 2);
    const parent = new Uint32Array(CHUNK);
    const action = new Uint16Array(CHUNK);
    this.fpChunks.push(fp);
    this.parentChunks.push(parent);
    this.actionChunks.push(action);
  }

  private grow(): void {
    const size = this.table.length * 2;
    if (size > MAX_TABLE) throw new RangeError("visited set: hash table would exceed 2^30 slots");
    const table = new Uint32Array(size);
    const mask = size - 1;
    const n = this.count;
    for (let c = 0; c * CHUNK < n; c++) {
      const fp = this.fpChunks[c];
      const end = Math.min(CHUNK, n - c * CHUNK);
      for (let off = 0; off < end; off++) {
        let slot = fp[(off << 1) + 1] & mask;
        while (table[slot] !== 0) slot = (slot + 1) & mask;
        table[slot] = (tagOf(fp[off << 1]) | (c * CHUNK + off + 1)) >>> 0;
      }
    }
    this.table = table;
    this.mask = mask;
  }
}
