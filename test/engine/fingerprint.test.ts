import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprint, fingerprintWords } from "../../src/engine/fingerprint.js";

const out = new Uint32Array(2);
function fp(bytes: Uint8Array, length?: number): [number, number] {
  fingerprint(bytes, out, length);
  return [out[0], out[1]];
}
function u32le(v: number, into = new Uint8Array(4)): Uint8Array {
  into[0] = v & 0xff;
  into[1] = (v >>> 8) & 0xff;
  into[2] = (v >>> 16) & 0xff;
  into[3] = v >>> 24;
  return into;
}
/** Number of equal neighbours after sorting: collisions among the values. */
function collisions(values: BigUint64Array | Uint32Array): number {
  values.sort();
  let c = 0;
  for (let i = 1; i < values.length; i++) if (values[i] === values[i - 1]) c++;
  return c;
}
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

describe("fingerprint", () => {
  it("equal bytes give equal fingerprints, wherever they sit", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat({ max: 7 }), (bytes, shift) => {
        const copy = new Uint8Array(bytes.length + shift + 5).fill(0xab);
        copy.set(bytes, shift);
        expect(fp(copy.subarray(shift, shift + bytes.length))).toEqual(fp(bytes));
        expect(fp(copy.subarray(shift), bytes.length)).toEqual(fp(bytes));
      }),
    );
  });

  it("has a fixed seed: pinned values", () => {
    expect(fp(new Uint8Array(0))).toEqual([2203605473, 73651462]);
    expect(fp(new Uint8Array([1, 2, 3, 4, 5]))).toEqual([1071662808, 1935952883]);
  });

  it("length matters: runs of zeros of different lengths differ", () => {
    const seen = new Set<string>();
    for (let n = 0; n <= 64; n++) seen.add(fp(new Uint8Array(n)).join(":"));
    expect(seen.size).toBe(65);
  });

  it("no 64-bit collisions among 1e6 u32 encodings; each half no worse than random", () => {
    const n = 1_000_000;
    const full = new BigUint64Array(n);
    const his = new Uint32Array(n);
    const los = new Uint32Array(n);
    const buf = new Uint8Array(4);
    for (let i = 0; i < n; i++) {
      // Distinct inputs: consecutive, then strided through the whole u32 range.
      const v = i < n / 2 ? i : i * 4099;
      fingerprint(u32le(v, buf), out);
      his[i] = out[0];
      los[i] = out[1];
      full[i] = (BigInt(out[0]) << 32n) | BigInt(out[1]);
    }
    expect(collisions(full)).toBe(0);
    // A random 32-bit function has about n^2 / 2^33 = 116 colliding pairs here.
    expect(collisions(his)).toBeLessThan(200);
    expect(collisions(los)).toBeLessThan(200);
  });

  it("no 64-bit collisions among 1e6 40-byte encodings differing in a few small fields", () => {
    const n = 1_000_000;
    const full = new BigUint64Array(n);
    const bytes = new Uint8Array(40);
    for (let i = 0; i < n; i++) {
      bytes[3] = i % 100;
      bytes[17] = Math.floor(i / 100) % 100;
      bytes[38] = Math.floor(i / 10000);
      fingerprint(bytes, out);
      full[i] = (BigInt(out[0]) << 32n) | BigInt(out[1]);
    }
    expect(collisions(full)).toBe(0);
  });

  it("every input bit flips about half of each output half (avalanche)", () => {
    const bytes = new Uint8Array(41);
    let state = 12345;
    const flips = new Float64Array(41 * 8);
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      for (let i = 0; i < bytes.length; i++) {
        state = (Math.imul(state, 1103515245) + 12345) | 0;
        bytes[i] = state >>> 24;
      }
      const [hi, lo] = fp(bytes);
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        bytes[bit >>> 3] ^= 1 << (bit & 7);
        const [hi2, lo2] = fp(bytes);
        bytes[bit >>> 3] ^= 1 << (bit & 7);
        expect(hi2 === hi || lo2 === lo).toBe(false);
        flips[bit] += popcount(hi ^ hi2) + popcount(lo ^ lo2);
      }
    }
    for (let bit = 0; bit < flips.length; bit++) {
      const mean = flips[bit] / trials;
      expect(mean).toBeGreaterThan(30);
      expect(mean).toBeLessThan(34);
    }
  });

  it("is sensitive to every byte", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
        const i = at % bytes.length;
        const other = bytes.slice();
        other[i] = (other[i] + delta) & 0xff;
        expect(fp(other)).not.toEqual(fp(bytes));
      }),
    );
  });

  it("reads the same value through a word view as through the bytes, at every length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(80), (bytes, cut) => {
        const length = Math.min(cut, bytes.length);
        const held = new Uint8Array(bytes.length);
        held.set(bytes);
        const words = new Uint32Array(held.buffer, 0, held.length >>> 2);
        const viaWords = new Uint32Array(2);
        fingerprintWords(held, words, viaWords, length);
        expect([viaWords[0], viaWords[1]]).toEqual(fp(bytes, length));
      }),
      { numRuns: 500 },
    );
  });
});
