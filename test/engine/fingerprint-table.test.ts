import { describe, expect, it } from "vitest";
import { FingerprintTable } from "../../src/engine/fingerprint-table.js";

describe("FingerprintTable", () => {
  it("stores each fingerprint once across growth, the all-zero one included, and lists them all", () => {
    const table = new FingerprintTable();
    const before = table.byteLength;
    // 20,000 fingerprints, spread and clustered (equal low halves), and (0, 0).
    const fps: [number, number][] = [[0, 0]];
    for (let i = 1; i < 10_000; i++) fps.push([i, Math.imul(i, 0x9e3779b9) >>> 0], [i, 7]);
    for (const [hi, lo] of fps) expect(table.add(hi, lo)).toBe(true);
    for (const [hi, lo] of fps) expect(table.add(hi, lo)).toBe(false);
    expect(table.size).toBe(fps.length);
    expect(table.byteLength).toBeGreaterThan(before);
    expect(table.has(0, 0) && table.has(5, 7) && !table.has(5, 8) && !table.has(0, 1)).toBe(true);
    const listed = new Set<string>();
    table.forEach((hi, lo) => listed.add(`${hi},${lo}`));
    expect(listed).toEqual(new Set(fps.map(([hi, lo]) => `${hi},${lo}`)));
  });

  it("treats halves as unsigned: -1 and 0xffffffff are one fingerprint", () => {
    const table = new FingerprintTable();
    expect(table.add(-1, 3)).toBe(true);
    expect(table.add(0xffffffff, 3)).toBe(false);
    expect(table.has(-1, 3)).toBe(true);
  });
});
