/** A growable byte sink for canonical state encodings; reused across states so the hot loop allocates nothing. */
export class Encoder {
  private buf: Uint8Array;
  private len = 0;
  /** The whole words of `buf`, made when first asked for. */
  private wordView: Uint32Array | undefined;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Forgets what was written, keeping the buffer. */
  reset(): void {
    this.len = 0;
  }

  /** Number of bytes written since the last reset. */
  get length(): number {
    return this.len;
  }

  /** Appends one byte (0..255). */
  u8(value: number): void {
    if (this.len === this.buf.length) this.grow(1);
    this.buf[this.len++] = value;
  }

  /** Appends a 32-bit unsigned integer, little-endian. */
  u32(value: number): void {
    if (this.len + 4 > this.buf.length) this.grow(4);
    const b = this.buf;
    const i = this.len;
    b[i] = value & 0xff;
    b[i + 1] = (value >>> 8) & 0xff;
    b[i + 2] = (value >>> 16) & 0xff;
    b[i + 3] = (value >>> 24) & 0xff;
    this.len = i + 4;
  }

  /** Appends raw bytes. */
  bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.len + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    const at = this.len;
    // A loop beats TypedArray.prototype.set, a runtime call, on the short encodings of the hot loop.
    if (n <= 128) for (let i = 0; i < n; i++) buf[at + i] = src[i];
    else buf.set(src, at);
    this.len = at + n;
  }

  /** Appends `n` bytes for the caller to fill in place, returning where they start in `buffer` (fetch `buffer` after the call: it may have grown). */
  claim(n: number): number {
    if (this.len + n > this.buf.length) this.grow(n);
    const at = this.len;
    this.len = at + n;
    return at;
  }

  /** The backing buffer without allocating: its first `length` bytes are the encoding, valid until the next write or reset. */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** The backing buffer's whole words, over the same memory (for fingerprintWords): valid until the next write or reset. */
  get words(): Uint32Array {
    return (this.wordView ??= new Uint32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length >>> 2));
  }

  /** A view of the bytes written: valid until the next write or reset. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  private grow(extra: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.wordView = undefined;
  }
}
