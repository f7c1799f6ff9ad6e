/** Bounds presets, key=value edits, decoding from any source, and their one-line errors. */
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRESET, PRESETS, decodeBounds, formatBounds, parseBounds } from "../../spec/index.js";

const ok = (t?: string) => Either.getOrThrow(parseBounds(t));
const err = (t: string) => Either.match(parseBounds(t), { onLeft: (e) => e, onRight: () => "accepted" });
const decodeErr = (v: unknown) => Either.match(decodeBounds(v), { onLeft: (e) => e, onRight: () => "accepted" });

const KEYS = "files, offsets, blocks, procs, early, pins, poisons, cow, evict, via";

describe("parseBounds", () => {
  it("defaults to the default preset and names presets", () => {
    expect(ok()).toEqual(PRESETS[DEFAULT_PRESET]);
    expect(ok("tiny")).toEqual(PRESETS.tiny);
  });
  it("edits the default preset, or a named one", () => {
    expect(ok("blocks=3")).toEqual({ ...PRESETS[DEFAULT_PRESET], blocks: 3 });
    expect(ok("tiny,early=2,pins=1")).toEqual({ ...PRESETS.tiny, early: 2, pins: 1 });
  });
  it("round-trips through formatBounds", () => {
    for (const b of [PRESETS.tiny, { ...PRESETS.full, procs: 3 }]) expect(ok(formatBounds(b))).toEqual(b);
  });
  it("rejects bad input with a reason that names the fix", () => {
    expect(err("huge")).toMatch(/unknown bounds preset 'huge': use one of tiny, small, full/);
    expect(err("files=9")).toBe("bound 'files' must be an integer from 1 to 4");
    expect(err("colours=2")).toMatch(/unknown bound 'colours': the keys are files, offsets/);
    expect(err("files=two")).toBe("bound 'files=two' is not a whole number");
    expect(err("procs=1,early=2")).toMatch(/'early' \(2\) cannot exceed 'procs' \(1\)/);
    expect(err("tiny,small")).toBe("preset 'small' must come first: write 'small,key=value,...'");
    expect(err("files=99999999999999999999")).toBe("bound 'files' must be an integer from 1 to 4");
  });
  it("finds no presets or keys on Object.prototype", () => {
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"]) {
      expect(err(name)).toBe(`unknown bounds preset '${name}': use one of tiny, small, full, one-file, or key=value pairs`);
      expect(err(`tiny,${name}`)).toBe(`unknown bounds preset '${name}': use one of tiny, small, full, one-file, or key=value pairs`);
      expect(err(`${name}=1`)).toBe(`unknown bound '${name}': the keys are ${KEYS}`);
    }
  });
  it("caps long text in its reasons (the CLI escapes control characters when it prints them)", () => {
    expect(err("files=1\x072")).toBe("bound 'files=1\x072' is not a whole number");
    expect(err(`k${"x".repeat(100)}=1`)).toBe(`unknown bound 'k${"x".repeat(79)}…': the keys are ${KEYS}`);
  });
});

describe("decodeBounds", () => {
  it("accepts exactly the bound keys, in range, and returns them in order", () => {
    const shuffled = Object.fromEntries(Object.entries(PRESETS.tiny).reverse());
    const b = Either.getOrThrow(decodeBounds(shuffled));
    expect(b).toEqual(PRESETS.tiny);
    expect(Object.keys(b)).toEqual(KEYS.split(", "));
    expect(Either.isRight(decodeBounds(JSON.parse(JSON.stringify(PRESETS.full))))).toBe(true);
  });
  it("names an extra key, even one on Object.prototype", () => {
    expect(decodeErr({ ...PRESETS.tiny, colour: 1 })).toBe(`unknown bound 'colour': the keys are ${KEYS}`);
    expect(decodeErr({ ...PRESETS.tiny, toString: 1 })).toBe(`unknown bound 'toString': the keys are ${KEYS}`);
    expect(decodeErr(JSON.parse(`{"__proto__": 1, ${JSON.stringify(PRESETS.tiny).slice(1)}`))).toBe(`unknown bound '__proto__': the keys are ${KEYS}`);
  });
  it("names a missing key", () => {
    const { files: _files, ...rest } = PRESETS.tiny;
    expect(decodeErr(rest)).toBe("bound 'files' is missing");
    expect(decodeErr({})).toBe("bound 'files' is missing");
    const { evict: _evict, ...noEvict } = PRESETS.small;
    expect(decodeErr(noEvict)).toBe("bound 'evict' is missing");
  });
  it("rejects non-objects", () => {
    for (const v of [null, undefined, 3, "tiny", [], [1, 2], new Map(), new Date(0)]) {
      expect(decodeErr(v)).toBe(`bounds must be an object with the keys ${KEYS}`);
    }
  });
  it("rejects values that are not safe integers in range", () => {
    for (const files of [0, 5, 1.5, "2", null, Number.NaN, Infinity, 2 ** 53 + 2, true]) {
      expect(decodeErr({ ...PRESETS.tiny, files })).toBe("bound 'files' must be an integer from 1 to 4");
    }
    expect(decodeErr({ ...PRESETS.tiny, files: undefined })).toBe("bound 'files' must be an integer from 1 to 4");
  });
  it("checks the relations between bounds", () => {
    expect(decodeErr({ ...PRESETS.tiny, procs: 1, early: 2 })).toBe("bound 'early' (2) cannot exceed 'procs' (1)");
    expect(decodeErr({ ...PRESETS.tiny, offsets: 2, blocks: 1 })).toBe("bound 'blocks' (1) must be at least 'offsets' (2): file A starts with data");
  });
  it("accepts an object without a prototype", () => {
    expect(Either.getOrThrow(decodeBounds(Object.assign(Object.create(null) as object, PRESETS.small)))).toEqual(PRESETS.small);
  });
});

describe("the via bound (poison kinds)", () => {
  const via = (text: string) => Either.match(parseBounds(text), { onLeft: (e) => e, onRight: (b) => b.via });
  it("takes a number or kind names joined by '+'", () => {
    expect(via("tiny")).toBe(1);
    expect(via("tiny,via=6")).toBe(6);
    expect(via("tiny,via=media+corrupt-pfn")).toBe(5);
    expect(via("tiny,via=madvise+ars")).toBe(10);
  });
  it("refuses unknown kinds and values out of range, naming the fix", () => {
    expect(via("tiny,via=laser")).toBe("bound 'via=laser' must be a number from 1 to 15 or names joined by '+': media, madvise, corrupt-pfn, ars");
    expect(via("tiny,via=0")).toBe("bound 'via' must be an integer from 1 to 15");
    expect(via("tiny,via=16")).toBe("bound 'via' must be an integer from 1 to 15");
  });
  it("reads bounds written before it existed as a media error, what those runs modelled", () => {
    const { via: _via, ...old } = PRESETS.small;
    expect(Either.getOrThrow(decodeBounds(old))).toEqual(PRESETS.small);
  });
});
