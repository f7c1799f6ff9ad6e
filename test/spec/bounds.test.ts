/** Bounds presets, key=value edits and their one-line errors. */
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRESET, PRESETS, formatBounds, parseBounds } from "../../spec/index.js";

const ok = (t?: string) => Either.getOrThrow(parseBounds(t));
const err = (t: string) => Either.match(parseBounds(t), { onLeft: (e) => e, onRight: () => "accepted" });

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
  });
});
