import { describe, expect, it } from "vitest";
import { Encoder } from "../../src/core/encoder.js";

describe("Encoder.claim", () => {
  it("appends room to fill in place, growing the buffer, and returns where it starts", () => {
    const e = new Encoder(4);
    e.u8(7);
    const at = e.claim(6);
    expect(at).toBe(1);
    expect(e.length).toBe(7);
    expect(e.buffer.length).toBeGreaterThanOrEqual(7);
    e.buffer.set([1, 2, 3, 4, 5, 6], at);
    expect([...e.view()]).toEqual([7, 1, 2, 3, 4, 5, 6]);
  });
});
