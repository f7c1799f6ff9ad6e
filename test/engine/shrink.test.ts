/** Shrinker soundness over random traces: the result replays, violates the same invariant, is no longer and names no more ids. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildExplainer } from "../../spec/explain/index.js";
import { PRESETS, VARIANTS, buildModel } from "../../spec/index.js";
import { measureOf, replayPath, shrink } from "../../src/engine/shrink.js";
import { walkOnce } from "../../src/engine/simulate.js";
import { violatedBy } from "../../src/report/verdicts.js";

const variant = VARIANTS.find((v) => v.id === "v6.12")!;
const bounds = PRESETS.tiny;
const model = buildModel(variant, bounds);
const explainer = buildExplainer(variant, bounds);
const targets = model.properties.filter((p) => p.kind !== "sometimes");

function targetFor(property: string) {
  return {
    model,
    init: 0,
    violates: (s: Uint8Array) => violatedBy(model, property, s) === true,
    ids: explainer.ids,
    rename: explainer.rename,
    lane: explainer.lane,
  };
}

describe("shrink", () => {
  it("keeps any random walk's violation, never grows, uses no more ids, and is deterministic", () => {
    let shrunk = 0;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 5, maxLength: 40, size: "max" }), (choices) => {
        const found = walkOnce(model, choices, targets, () => {});
        if (found === undefined) return;
        const t = targetFor(found.property);
        const r = shrink(t, found.path);
        expect(r).toBeDefined();
        if (r === undefined) return;
        shrunk++;
        const states = replayPath(model, 0, r.path);
        expect(states).toBeDefined();
        expect(t.violates(states![states!.length - 1])).toBe(true);
        expect(r.path.length).toBeLessThanOrEqual(found.path.length);
        const before = measureOf(t, found.path);
        expect(r.measure.distinctIds).toBeLessThanOrEqual(before.distinctIds);
        expect(shrink(t, found.path)?.path.map((a) => model.actionLabel(a))).toEqual(r.path.map((a) => model.actionLabel(a)));
      }),
      { seed: 20261130, numRuns: 300 },
    );
    expect(shrunk).toBeGreaterThan(20);
  });

  it("removes steps padded into a shortest counterexample, back to a path no longer than it", () => {
    const found = walkOnce(model, [], targets, () => {});
    expect(found).toBeUndefined();
    const labels = ["reflink(A->B)", "mmap(Y,A)", "munmap(Y,A)", "fault(X,A[0])", "mmap(Y,A)", "scrub(p1)", "munmap(Y,B)", "mf_query_rmap"];
    const path = pathOf(labels);
    const r = shrink(targetFor("no_deadlock"), path)!;
    expect(r.path.map((a) => model.actionLabel(a))).toEqual(["reflink(A->B)", "fault(X,A[0])", "scrub(p1)", "mf_query_rmap"]);
    expect(r.changes.map((c) => c.pass)).toContain("chunk");
  });

  it("lowers ids: a block allocated as p2 becomes p1, and then the steps that freed p1 go", () => {
    const labels = ["truncate_begin(A)", "truncate_delete", "truncate_free", "alloc(X,A[0])", "alloc_map(X,p2)", "reflink(A->B)", "fault(X,A[0])", "scrub(p2)", "mf_query_rmap"];
    const t = targetFor("no_deadlock");
    const r = shrink(t, pathOf(labels))!;
    expect(r.changes.map((c) => c.pass)).toContain("ids");
    expect(r.path.map((a) => model.actionLabel(a))).toEqual(["reflink(A->B)", "fault(X,A[0])", "scrub(p1)", "mf_query_rmap"]);
    expect(r.measure.idSum).toBeLessThan(measureOf(t, pathOf(labels)).idSum);
  });

  it("refuses a path that does not violate, and a renamed action the model would never list", () => {
    expect(shrink(targetFor("no_deadlock"), pathOf(["mmap(Y,A)"]))).toBeUndefined();
    const bad = { kind: "reflink" as const, src: 0, dst: 0 };
    expect(replayPath(model, 0, [bad])).toBeUndefined();
  });
});

function pathOf(labels: readonly string[]) {
  const out = [];
  let s = model.initStates()[0];
  for (const l of labels) {
    const candidates: Parameters<typeof model.nextState>[1][] = [];
    model.actions(s, candidates);
    const a = candidates.find((c) => model.actionLabel(c) === l && model.nextState(s, c) !== undefined);
    if (a === undefined) throw new Error(`${l} is not enabled`);
    out.push(a);
    s = model.nextState(s, a)!;
  }
  return out;
}
