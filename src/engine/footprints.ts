/**
 * Properties skipped where a step could not have changed them. A breadth-first search checks a
 * state's undecided properties after its parent's, so each was undecided in the parent too; when
 * the step from the parent changed no byte a property reads (`Property.reads`), its answer in the
 * state is the parent's, and evaluating it again decides nothing.
 */
import type { Model, Property } from "../core/model.js";

/** Every property may have changed: a state with no parent, or a step the footprints cannot judge. */
export const ALL_CHANGED = 0xffffffff;

/** Per byte of a state's own encoding, which properties (bits by index among those selected) read it. */
export class Footprints<S> {
  /** The parent `changed` compares with, copied into whole words (the bytes view shares them) when first compared. */
  private parentBytes = new Uint8Array(0);
  private parentWords = new Uint32Array(0);
  private parentLength = 0;
  /** The parent's own encoding, not copied yet (undefined once copied). */
  private pending: Uint8Array | undefined;

  private constructor(
    private readonly readers: Uint32Array,
    /** Bits of the properties evaluated whatever changed: no `reads`, or a deadlock check (it depends on what is enabled). */
    private readonly always: number,
    private readonly ownEncoding: (state: S) => Uint8Array,
  ) {}

  /** Footprints of the `selected` properties of `model`, or undefined when its states are not their own encodings, none declares what it reads, or there are more than 32. */
  static of<S, A>(model: Model<S, A>, selected: readonly Property<S>[]): Footprints<S> | undefined {
    const own = model.ownEncoding;
    if (own === undefined || selected.length > 32 || !selected.some((p) => p.kind !== "deadlockFree" && p.reads !== undefined)) return undefined;
    let always = 0;
    let size = 0;
    for (const p of selected) if (p.kind !== "deadlockFree" && p.reads !== undefined) for (const at of p.reads) size = Math.max(size, at + 1);
    const readers = new Uint32Array(size);
    selected.forEach((p, i) => {
      const bit = (1 << i) >>> 0;
      if (p.kind === "deadlockFree" || p.reads === undefined) always |= bit;
      else for (const at of p.reads) readers[at] |= bit;
    });
    return new Footprints(readers, always >>> 0, own.bind(model));
  }

  /**
   * Makes `parent` the state `changed` compares with, until the next call: its encoding is copied
   * into whole words (a popped state's bytes need not be aligned) only when first compared, as
   * most states have no new successor to compare.
   */
  setParent(parent: S): void {
    this.pending = this.ownEncoding(parent);
  }

  /** Copies the pending parent's encoding into whole words. */
  private copyParent(parent: Uint8Array): void {
    this.pending = undefined;
    if (parent.length > this.parentBytes.length) {
      const buffer = new ArrayBuffer((parent.length + 3) & ~3);
      this.parentBytes = new Uint8Array(buffer);
      this.parentWords = new Uint32Array(buffer);
    }
    this.parentBytes.set(parent);
    this.parentLength = parent.length;
  }

  /**
   * Bits of the properties whose answer may differ between the parent (`setParent`) and `child`,
   * a successor's own encoding; `childWords` views its whole words when it is aligned.
   */
  changed(child: Uint8Array, childWords: Uint32Array | undefined): number {
    if (this.pending !== undefined) this.copyParent(this.pending);
    const { readers, parentBytes, parentWords } = this;
    if (child.length !== this.parentLength) return ALL_CHANGED;
    // Bytes past the last one any footprint covers are read by none of them.
    const n = Math.min(child.length, readers.length);
    let bits = this.always;
    let k = 0;
    if (childWords !== undefined) {
      // A step changes a few bytes: compare words, then look at the bytes of those that differ.
      const words = Math.min(n >>> 2, childWords.length);
      for (let w = 0; w < words; w++) {
        const x = parentWords[w] ^ childWords[w];
        if (x === 0) continue;
        const at = w << 2;
        if ((x & 0xff) !== 0) bits |= readers[at];
        if ((x & 0xff00) !== 0) bits |= readers[at + 1];
        if ((x & 0xff0000) !== 0) bits |= readers[at + 2];
        if ((x & 0xff000000) !== 0) bits |= readers[at + 3];
      }
      k = words << 2;
    }
    for (; k < n; k++) if (parentBytes[k] !== child[k]) bits |= readers[k];
    return bits >>> 0;
  }
}
