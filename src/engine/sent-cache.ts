/**
 * The fingerprints a worker thread has sent to be stored, remembered lossily: one per slot, the
 * newest wins. The main thread stores a batch's successors in order before it reads any later
 * batch, so a fingerprint this worker sent before is stored by the time the main thread reads
 * it again (or the search has stopped first): the worker can send it as known, without its
 * fingerprint and encoding, and the main thread skips a lookup whose answer is fixed. Most
 * successors in a breadth-first search are states seen already, so this saves most of the
 * copying and of the main thread's work. A slot lost to a newer fingerprint only costs a lookup.
 */

/** Slots by default: 2^20 (8 MiB per worker), which catches three quarters of the duplicates at v6.12 small with two workers. */
const DEFAULT_SLOTS_LOG2 = 20;

/** A direct-mapped table of 64-bit fingerprints (the zero one is never remembered). */
export class SentCache {
  private readonly table: Uint32Array;
  private readonly mask: number;

  constructor(slotsLog2: number = DEFAULT_SLOTS_LOG2) {
    this.table = new Uint32Array(2 << slotsLog2);
    this.mask = (1 << slotsLog2) - 1;
  }

  /** Whether (hi, lo) was added and not since pushed out; false proves nothing. */
  has(hi: number, lo: number): boolean {
    const s = (lo & this.mask) << 1;
    const t = this.table;
    return t[s] === hi >>> 0 && t[s + 1] === lo >>> 0 && (hi | lo) !== 0;
  }

  /** Remembers (hi, lo), pushing out whatever had its slot. */
  add(hi: number, lo: number): void {
    const s = (lo & this.mask) << 1;
    this.table[s] = hi;
    this.table[s + 1] = lo;
  }
}
