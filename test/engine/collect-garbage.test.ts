import { describe, expect, it } from "vitest";
import { RELEASE_BYTES, releaseDropped } from "../../src/engine/collect-garbage.js";

const MIB = 2 ** 20;

/** Bytes of ArrayBuffers and SharedArrayBuffers this process holds, after the sweeper has had a turn. */
async function bufferBytes(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return process.memoryUsage().arrayBuffers;
}

describe("releaseDropped", () => {
  it("frees a large shared buffer once nothing references it, without waiting for V8's next full collection", async () => {
    const holder: { table?: Int32Array } = { table: new Int32Array(new SharedArrayBuffer(96 * MIB)) };
    holder.table?.fill(1);
    const held = await bufferBytes();
    holder.table = undefined;
    expect(releaseDropped(96 * MIB)).toBe(true);
    expect(held - (await bufferBytes())).toBeGreaterThanOrEqual(90 * MIB);
  });

  it("leaves a small buffer to the next collection: a full one costs milliseconds", () => {
    expect(releaseDropped(RELEASE_BYTES - 1)).toBe(false);
    expect(releaseDropped(0)).toBe(false);
  });
});
