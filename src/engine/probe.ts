/**
 * Linear probing from the slot the low half picks (multiply-shift, so a table's size need not
 * be a power of two): where every fingerprint table starts (`homeSlot`), and the lookup and the
 * claim of a slot both shared-search tables make (stored-table.ts, shared-table.ts), in a table
 * of Int32 words whose slots start (hi, lo) and whose hi 0 marks an empty slot.
 */

/** 2^-32: a uint32 as a fraction of the table. */
const TO_FRACTION = 2 ** -32;

/** The slot a probe for low half `lo` starts at in a table of `slots` slots: multiply-shift, exact for any size. */
export function homeSlot(lo: number, slots: number): number {
  return ((lo >>> 0) * TO_FRACTION * slots) | 0;
}

/**
 * The word index of the slot holding (hi, lo), halves of 0 read as 1, in table `t` of `words`
 * words a slot, by plain reads (nobody storing meanwhile); -1 when it is not there.
 */
export function slotOf(t: Int32Array, words: number, hi: number, lo: number): number {
  hi = hi | 0 || 1;
  lo = lo | 0 || 1;
  const slots = t.length / words;
  let slot = homeSlot(lo, slots);
  for (let probes = 0; probes < slots; probes++) {
    const w = slot * words;
    const h = t[w];
    if (h === 0) return -1;
    if (h === hi && t[w + 1] === lo) return w;
    if (++slot === slots) slot = 0;
  }
  return -1;
}

/**
 * Claims an empty slot for (hi, lo), halves not 0 and not stored, in table `t` of `words` words
 * a slot, by compare-and-swap on the high half so that threads can add at once while nobody
 * looks the table up; the caller writes the rest of the slot. Its word index, or -1 when full.
 */
export function claimSlot(t: Int32Array, words: number, hi: number, lo: number): number {
  const slots = t.length / words;
  let slot = homeSlot(lo, slots);
  for (let probes = 0; probes < slots; probes++) {
    const w = slot * words;
    if (t[w] === 0 && Atomics.compareExchange(t, w, 0, hi) === 0) return w;
    if (++slot === slots) slot = 0;
  }
  return -1;
}
