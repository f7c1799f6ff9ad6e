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
  /** A word view of the buffer `bytes` copied from last. */
  private lastSource: Uint32Array | undefined;

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

  /**
   * Appends `bytes[0..length)`, padded to whole words (the padding is never read; the length is
   * the caller's to write): word by word when `bytes` starts on a word boundary of the buffer
   * seen last (states popped one after another lie in one frontier chunk), else byte by byte.
   */
  bytes(bytes: Uint8Array, length: number): void {
    const from = bytes.byteOffset >>> 2;
    if ((bytes.byteOffset & 3) === 0 && bytes.buffer === this.lastSource?.buffer && from + paddedWords(length) <= this.lastSource.length) {
      this.words(this.lastSource, from, length);
      return;
    }
    if ((bytes.byteOffset & 3) === 0 && (bytes.buffer.byteLength & 3) === 0) {
      this.lastSource = new Uint32Array(bytes.buffer);
      this.words(this.lastSource, from, length);
      return;
    }
    const words = paddedWords(length);
    if (this.at + words > this.u32.length) this.grow(words);
    const u8 = this.u8;
    const base = this.at << 2;
    for (let i = 0; i < length; i++) u8[base + i] = bytes[i];
    this.at += words;
  }

  /** Appends `length` bytes that start at word `from` of `source`, padded to whole words, copying words (three times faster than bytes at 47). */
  words(source: Uint32Array, from: number, length: number): void {
    const words = paddedWords(length);
    if (this.at + words > this.u32.length) this.grow(words);
    const u32 = this.u32;
    const at = this.at;
    for (let i = 0; i < words; i++) u32[at + i] = source[from + i];
    this.at = at + words;
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
