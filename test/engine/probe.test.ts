import { describe, expect, it } from "vitest";
import { claimSlot, homeSlot, slotOf } from "../../src/engine/probe.js";

describe("slotOf", () => {
  it("probes from the slot the low half picks, wrapping past the last slot, and reads halves of 0 as 1", () => {
    // Three slots of two words; lo 0xffffffff picks the last slot, which is taken, so (5, 0xffffffff) went on to slot 0.
    const t = Int32Array.from([5, -1, 0, 0, 7, -1]);
    expect(slotOf(t, 2, 5, 0xffffffff)).toBe(0);
    expect(slotOf(t, 2, 7, -1)).toBe(4);
    // Slot 1 is empty: a probe that reaches it stops there.
    expect(slotOf(t, 2, 6, 0xffffffff)).toBe(-1);
    expect(slotOf(Int32Array.from([1, 1, 9]), 3, 0, 0)).toBe(0);
  });

  it("gives up after every slot of a full table", () => {
    expect(slotOf(Int32Array.from([1, 2, 3, 4]), 2, 9, 9)).toBe(-1);
  });
});

describe("homeSlot", () => {
  it("maps the low half, read unsigned, onto the slots in proportion", () => {
    expect(homeSlot(0, 3)).toBe(0);
    expect(homeSlot(0x7fffffff, 2)).toBe(0);
    expect(homeSlot(0x80000000, 2)).toBe(1);
    expect(homeSlot(-1, 3)).toBe(2);
    expect(homeSlot(0xffffffff, 1000)).toBe(999);
  });
});

describe("claimSlot", () => {
  it("claims the first empty slot from the home slot on, wrapping, and writes only the high half", () => {
    const t = Int32Array.from([0, 0, 0, 0, 7, -1]);
    expect(claimSlot(t, 2, 5, -1)).toBe(0);
    expect(Array.from(t)).toEqual([5, 0, 0, 0, 7, -1]);
    expect(claimSlot(t, 2, 6, 0)).toBe(2);
    expect(Array.from(t)).toEqual([5, 0, 6, 0, 7, -1]);
  });

  it("returns -1 when every slot is taken", () => {
    expect(claimSlot(Int32Array.from([1, 2, 3, 4]), 2, 9, 9)).toBe(-1);
  });
});
