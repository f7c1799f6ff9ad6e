import { describe, expect, it } from "vitest";
import { median, middleOf, splitSection } from "../../bench/dax-dist.js";

describe("splitSection", () => {
  it("keeps commas inside the bounds and takes the whole numbers from the end", () => {
    expect(splitSection("--por", "v6.12,small,20000", 2, 1)).toEqual({ variant: "v6.12", bounds: "small", numbers: [20000] });
    expect(splitSection("--por", "v6.12,small,20000,3", 2, 1)).toEqual({ variant: "v6.12", bounds: "small", numbers: [20000, 3] });
    expect(splitSection("--por", "v6.12,small,procs=3,5000,2", 2, 1)).toEqual({ variant: "v6.12", bounds: "small,procs=3", numbers: [5000, 2] });
    expect(splitSection("--check", "v4.18,tiny,blocks=3,100", 1)).toEqual({ variant: "v4.18", bounds: "tiny,blocks=3", numbers: [100] });
  });

  it("refuses a section without its numbers, naming the form", () => {
    expect(() => splitSection("--check", "v6.12,small", 1)).toThrow(/bench --check 'v6.12,small': give VARIANT,BOUNDS then 1 whole number,/);
    expect(() => splitSection("--por", "v6.12,20000", 2, 1)).toThrow(/bench --por 'v6.12,20000': give VARIANT,BOUNDS then 1 to 2 whole numbers/);
  });
});

describe("middleOf", () => {
  it("is the item with the median key, the lower middle one of an even number", () => {
    const runs = [{ rate: 250 }, { rate: 120 }, { rate: 300 }, { rate: 90 }, { rate: 200 }];
    expect(middleOf(runs, (r) => r.rate)).toBe(runs[4]);
    expect(middleOf([{ rate: 4 }, { rate: 1 }, { rate: 3 }, { rate: 2 }], (r) => r.rate)).toEqual({ rate: 2 });
    expect(() => middleOf([], (r: { rate: number }) => r.rate)).toThrow(/no items/);
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the middle two, whatever the order", () => {
    expect(median([43.7, 54.9, 43.3])).toBe(43.7);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(/no values/);
  });
});
