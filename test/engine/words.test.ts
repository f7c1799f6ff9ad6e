import { describe, expect, it } from "vitest";
import { WordWriter, paddedWords } from "../../src/engine/words.js";

/** The first `words` words a writer wrote into `buffer`, and its bytes. */
function written(buffer: ArrayBuffer, words: number): { words: number[]; bytes: number[] } {
  return { words: [...new Uint32Array(buffer, 0, words)], bytes: [...new Uint8Array(buffer, 0, words * 4)] };
}

describe("WordWriter", () => {
  it("appends words and byte strings padded to whole words, from any offset, growing past its first buffer", () => {
    const out = new WordWriter(new ArrayBuffer(8));
    const source = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
    out.word(0xdeadbeef);
    out.bytes(source.subarray(4, 9), 5); // word-aligned in a buffer of whole words: copied by words
    out.bytes(source.subarray(1, 4), 3); // not aligned: copied by bytes
    out.words(new Uint32Array([0x04030201, 0x08070605]), 1, 2);
    const { words, bytes } = written(out.buffer, 6);
    expect(words[0]).toBe(0xdeadbeef);
    expect(bytes.slice(4, 9)).toEqual([5, 6, 7, 8, 9]);
    expect(bytes.slice(12, 15)).toEqual([2, 3, 4]);
    expect(bytes.slice(16, 18)).toEqual([5, 6]);
    expect(out.buffer.byteLength).toBe(64);
  });

  it("starts over in the buffer it is handed, or in a new one when the last was transferred away", () => {
    const out = new WordWriter();
    out.word(7);
    const first = out.buffer;
    structuredClone(first, { transfer: [first] });
    expect(first.byteLength).toBe(0);
    out.reset();
    out.word(8);
    expect(written(out.buffer, 1).words).toEqual([8]);
    const mine = new ArrayBuffer(16);
    out.reset(mine);
    out.word(9);
    expect(out.buffer).toBe(mine);
    expect(written(mine, 1).words).toEqual([9]);
  });

  it("pads lengths to whole words", () => {
    expect([0, 1, 4, 5, 47].map(paddedWords)).toEqual([0, 1, 1, 2, 12]);
  });
});
