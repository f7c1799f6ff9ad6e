/**
 * The lookup both shared-search tables make (stored-table.ts, shared-table.ts): linear probing
 * from the slot the low half picks (multiply-shift, so a table's size need not be a power of
 * two), in a table of Int32 words whose slots start (hi, lo) and whose hi 0 marks an empty slot.
 */

/** 2^-32: a uint32 as a fraction of the table. */
export const TO_FRACTION = 2 ** -32;

/**
 * The word index of the slot holding (hi, lo), halves of 0 read as 1, in table `t` of `words`
 * words a slot, by plain reads (nobody storing meanwhile); -1 when it is not there.
 */
export function slotOf(t: Int32Array, words: number, hi: number, lo: number): number {
  hi = hi | 0 || 1;
  lo = lo | 0 || 1;
  const slots = t.length / words;
  let slot = ((lo >>> 0) * TO_FRACTION * slots) | 0;
  for (let probes = 0; probes < slots; probes++) {
    const w = slot * words;
    const h = t[w];
    if (h === 0) return -1;
    if (h === hi && t[w + 1] === lo) return w;
    if (++slot === slots) slot = 0;
  }
  return -1;
}
