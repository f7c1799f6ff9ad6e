/**
 * Per state queued by a breadth-first search, a bit mask the edge that first reached it gave it:
 * its sleep set (the actions it need not fire, as `Independence.sleepBit`s), or which properties
 * that edge's step may have changed (`Footprints`). That edge ends the state's least shortest
 * path in action order, which the search never cuts, so no other edge's mask is needed (README,
 * Speed: sleep sets).
 *
 * Masks are kept by id, which a breadth-first search hands out in the order it queues states and
 * pops them in.
 */

/** Masks by id for the states queued. */
export class QueuedMasks {
  /** Room for 256 at first, so that `makeRoom` runs within the first few hundred states, before V8 optimizes the loop that records (met first later, it made V8 drop that code). */
  private masks = new Uint32Array(1 << 8);
  /** Id of masks[0]. */
  private base = 0;
  /** One past the last id recorded. */
  private end = 0;
  /** The id popped last: masks before it are no longer needed. */
  private head = 0;

  /** Records the mask of state `id`, just queued (ids come in order). */
  record(id: number, mask: number): void {
    if (id !== this.end) throw new Error(`queued masks: state ${id} recorded after ${this.end - 1}`);
    if (id - this.base === this.masks.length) this.makeRoom();
    this.masks[id - this.base] = mask;
    this.end = id + 1;
  }

  /** The mask of state `id`, being popped (in id order). */
  take(id: number): number {
    this.head = id;
    return this.masks[id - this.base];
  }

  /** Bytes held. */
  bytes(): number {
    return this.masks.byteLength;
  }

  /** Room for one more mask: drops the masks of states popped, and doubles if that frees less than half. */
  private makeRoom(): void {
    const from = this.head - this.base;
    const keep = this.end - this.head;
    if (keep * 2 > this.masks.length) {
      const grown = new Uint32Array(this.masks.length * 2);
      grown.set(this.masks.subarray(from, from + keep));
      this.masks = grown;
    } else {
      this.masks.copyWithin(0, from, from + keep);
    }
    this.base = this.head;
  }
}
