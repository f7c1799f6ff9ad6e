/**
 * A fixed-seed 64-bit fingerprint of a byte string, as two uint32 halves.
 *
 * Two murmur3-style lanes with distinct constants consume the input four bytes at a time
 * (little-endian), the tail is folded in like murmur3, and a cross-mixing finalizer (as in
 * murmur3_x86_128) makes every output bit depend on every input bit of both lanes. Not
 * cryptographic: it only has to spread non-adversarial state encodings evenly.
 */

const SEED_A = 0x9e3779b9;
const SEED_B = 0x85ebca6b;
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const C3 = 0x239b961b;
const C4 = 0xab0e9789;

/** The murmur3 finalizer: a bijective avalanche on 32 bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Whether this machine stores a uint32's low byte first, as `fingerprint` assembles its words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Writes the 64-bit fingerprint of `bytes[0..length)` into `out`: out[0] = high half, out[1] = low half. */
export function fingerprint(bytes: Uint8Array, out: Uint32Array, length: number = bytes.length): void {
  let h1 = SEED_A;
  let h2 = SEED_B;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    const k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    h1 = lane1(h1, k);
    h2 = lane2(h2, k);
  }
  finish(h1, h2, bytes, whole, length, out);
}

/**
 * `fingerprint`, the same value, reading the whole words through `words`, a Uint32Array over the
 * same memory as `bytes` (from its first byte): a load a word instead of four. On a big-endian
 * machine the words would differ, so it reads the bytes there.
 */
export function fingerprintWords(bytes: Uint8Array, words: Uint32Array, out: Uint32Array, length: number = bytes.length): void {
  if (!LITTLE_ENDIAN) {
    fingerprint(bytes, out, length);
    return;
  }
  let h1 = SEED_A;
  let h2 = SEED_B;
  const n = length >>> 2;
  for (let w = 0; w < n; w++) {
    const k = words[w];
    h1 = lane1(h1, k);
    h2 = lane2(h2, k);
  }
  finish(h1, h2, bytes, n << 2, length, out);
}

/** Mixes word `k` into the first lane. */
function lane1(h1: number, k: number): number {
  return mix(h1, k, C1, C2, 15, 13, 0xe6546b64);
}

/** Mixes word `k` into the second lane. */
function lane2(h2: number, k: number): number {
  return mix(h2, k, C3, C4, 17, 11, 0x561ccd1b);
}

/** One murmur3 round: word `k` times `ca`, rotated by `rk`, times `cb`, into `h`, rotated by `rh`, times 5 plus `add`. */
function mix(h: number, k: number, ca: number, cb: number, rk: number, rh: number, add: number): number {
  let m = Math.imul(k, ca);
  m = (m << rk) | (m >>> (32 - rk));
  h ^= Math.imul(m, cb);
  h = (h << rh) | (h >>> (32 - rh));
  return (Math.imul(h, 5) + add) | 0;
}

/** Folds in the tail `bytes[i..length)` (under four bytes) and the length, cross-mixes the lanes and writes them to `out`. */
function finish(h1: number, h2: number, bytes: Uint8Array, i: number, length: number, out: Uint32Array): void {
  const rest = length - i;
  if (rest > 0) {
    let k = bytes[i];
    if (rest > 1) k |= bytes[i + 1] << 8;
    if (rest > 2) k |= bytes[i + 2] << 16;
    let k1 = Math.imul(k, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, C2);
    let k2 = Math.imul(k, C3);
    k2 = (k2 << 17) | (k2 >>> 15);
    h2 ^= Math.imul(k2, C4);
  }
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
}
