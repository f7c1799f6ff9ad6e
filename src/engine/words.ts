/**
 * A growable buffer of 32-bit words and byte strings padded to whole words: how a parallel
 * search packs a batch of states, or their successors, into one ArrayBuffer that moves between
 * threads by transfer (one message per batch, no copy, no per-state objects).
 */

/** Bytes of a new buffer. */
const FIRST_BYTES = 1 << 16;

/** Appends words and padded bytes to an ArrayBuffer, growing it as needed. */
export class WordWriter {
  private u32: Uint32Array;
  private u8: Uint8Array;
  /** Words written. */
  private at = 0;

  constructor(buffer: ArrayBuffer = new ArrayBuffer(FIRST_BYTES)) {
    this.u32 = new Uint32Array(buffer);
    this.u8 = new Uint8Array(buffer);
  }

  /** Starts over in `buffer` (one handed back for reuse) or a new one: the last one may have been transferred away. */
  reset(buffer: ArrayBuffer = new ArrayBuffer(FIRST_BYTES)): void {
    this.u32 = new Uint32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.at = 0;
  }

  /** Appends one unsigned 32-bit word. */
  word(value: number): void {
    if (this.at === this.u32.length) this.grow(1);
    this.u32[this.at++] = value;
  }

  /** Leaves one word to be written later by `patch`; returns its index. */
  hole(): number {
    this.word(0);
    return this.at - 1;
  }

  /** Writes word `index`, left by `hole`. */
  patch(index: number, value: number): void {
    this.u32[index] = value;
  }

  /** Appends `bytes[0..length)`, padded to whole words (the padding is never read; the length is the caller's to write). */
  bytes(bytes: Uint8Array, length: number): void {
    const words = (length + 3) >>> 2;
    if (this.at + words > this.u32.length) this.grow(words);
    const u8 = this.u8;
    const base = this.at << 2;
    if (length <= 64) for (let i = 0; i < length; i++) u8[base + i] = bytes[i];
    else u8.set(bytes.subarray(0, length), base);
    this.at += words;
  }

  /** The buffer holding what was written (it may be longer); `reset` the writer before it writes again. */
  get buffer(): ArrayBuffer {
    return this.u32.buffer as ArrayBuffer;
  }

  /** Room for `words` more words: twice the size, or more. */
  private grow(words: number): void {
    let size = Math.max(16, this.u32.length * 2);
    while (size < this.at + words) size *= 2;
    const next = new Uint32Array(size);
    next.set(this.u32.subarray(0, this.at));
    this.u32 = next;
    this.u8 = new Uint8Array(next.buffer);
  }
}

/** Words needed for `length` bytes padded. */
export function paddedWords(length: number): number {
  return (length + 3) >>> 2;
}
