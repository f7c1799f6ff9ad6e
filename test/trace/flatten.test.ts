import { describe, expect, it } from "vitest";
import { deepEqual, diffViews, flatten, formatLeaf } from "../../src/trace/flatten.js";

describe("flatten and diff", () => {
  it("walks records and keeps lists and scalars as leaves", () => {
    expect([...flatten({ a: { b: 1, c: [1, 2] }, d: "x", e: {} })]).toEqual([["a.b", 1], ["a.c", [1, 2]], ["d", "x"]]);
  });

  it("lists changed, added and removed leaves in order", () => {
    const before = { p: { m: "NULL", i: 0 }, q: { k: "v" }, l: [] };
    const after = { p: { m: "A", i: 0 }, l: ["w"], r: { s: true } };
    expect(diffViews(before, after)).toEqual([
      { path: "p.m", before: "NULL", after: "A" },
      { path: "q.k", before: "v", after: undefined },
      { path: "l", before: [], after: ["w"] },
      { path: "r.s", before: undefined, after: true },
    ]);
  });

  it("compares structurally", () => {
    expect(deepEqual({ a: [1, { b: 2n }] }, { a: [1, { b: 2n }] })).toBe(true);
    expect(deepEqual({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual(1, "1")).toBe(false);
  });

  it("prints leaves briefly", () => {
    expect(formatLeaf("p1")).toBe("p1");
    expect(formatLeaf(["A", "B"])).toBe("[A, B]");
    expect(formatLeaf(undefined)).toBe("(none)");
    expect(formatLeaf([{ k: 1 }])).toBe("[{k: 1}]");
    expect(formatLeaf(false)).toBe("false");
  });
});
