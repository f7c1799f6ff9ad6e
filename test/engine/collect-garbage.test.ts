import { describe, expect, it } from "vitest";
import { RELEASE_BYTES, releaseDropped } from "../../src/engine/collect-garbage.js";

const MIB = 2 ** 20;

/** Bytes of ArrayBuffers and SharedArrayBuffers this process holds now. */
const bufferBytes = (): number => process.memoryUsage().arrayBuffers;

/** The bytes held once they fall to `atMost`, or after two seconds (V8 may free on a sweeper thread, which a busy machine delays). */
async function bufferBytesOnceAtMost(atMost: number): Promise<number> {
  const until = Date.now() + 2000;
  while (bufferBytes() > atMost && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  return bufferBytes();
}

describe("releaseDropped", () => {
  it("frees a large shared buffer once nothing references it, without waiting for V8's next full collection", async () => {
    const holder: { table?: Int32Array } = { table: new Int32Array(new SharedArrayBuffer(96 * MIB)) };
    holder.table?.fill(1);
    const held = bufferBytes();
    holder.table = undefined;
    expect(releaseDropped(96 * MIB)).toBe(true);
    expect(held - (await bufferBytesOnceAtMost(held - 90 * MIB))).toBeGreaterThanOrEqual(90 * MIB);
  });

  it("leaves a small buffer to the next collection: a full one costs milliseconds", () => {
    expect(releaseDropped(RELEASE_BYTES - 1)).toBe(false);
    expect(releaseDropped(0)).toBe(false);
  });
});
