/** Random walks: a fixed seed finds a known violation, the same way every time, and coverage counts only the walks before it. */
import { describe, expect, it } from "vitest";
import { PRESETS, VARIANTS, buildModel, expectedFails } from "../../spec/index.js";
import { simulate } from "../../src/engine/simulate.js";

const v612 = VARIANTS.find((v) => v.id === "v6.12")!;
const v418 = VARIANTS.find((v) => v.id === "v4.18")!;

describe("simulate", () => {
  it("finds a violation v6.12 is known for at full bounds from a fixed seed, and repeats it exactly", () => {
    const model = buildModel(v612, PRESETS.full);
    const opts = { runs: 2000, depth: 60, seed: 7, targets: ["poison_reaches_every_mapping"] };
    const a = simulate(model, opts);
    const b = simulate(model, opts);
    expect(a.violation?.property).toBe("poison_reaches_every_mapping");
    expect(expectedFails(v612)).toContain("poison_reaches_every_mapping");
    expect(a.violation!.path.length).toBeLessThanOrEqual(a.violation!.foundLength);
    expect(b.violation?.path.map((x) => model.actionLabel(x))).toEqual(a.violation!.path.map((x) => model.actionLabel(x)));
    expect(b.runs).toBe(a.runs);
    expect(a.steps).toBe(a.kindSteps.reduce((x, y) => x + y, 0));
  });

  it("finds nothing in v4.18 at tiny for an invariant it keeps, and reports what the walks covered", () => {
    const model = buildModel(v418, PRESETS.tiny);
    const r = simulate(model, { runs: 200, depth: 30, seed: 1, targets: ["poison_reaches_every_mapping"] });
    expect(r.violation).toBeUndefined();
    expect(r.runs).toBe(200);
    // Walk lengths spread up to the depth, so the average is near half of it (fast-check's default size would keep most under ten).
    expect(r.steps / r.runs).toBeGreaterThan(10);
    expect(r.kindSteps[model.actionKinds.indexOf("mmap")]).toBeGreaterThan(0);
    expect(r.reached.has("page_owned")).toBe(true);
  });
});
