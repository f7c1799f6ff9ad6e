import { describe, expect, it } from "vitest";
import type { Encoder } from "../../src/core/encoder.js";
import type { Model } from "../../src/core/model.js";
import { formatReplayError, type ReplayError, replayLabels, replaySteps } from "../../src/engine/replay.js";
import { search } from "../../src/engine/search.js";
import { type Graph, graphModel } from "./graph-model.js";

// 0 -e0-> 1 -e2-> 2 -e3-> 3, 0 -e1(disabled)-> 3, 1 -e4-> 0
const g: Graph = {
  nodes: 4,
  edges: [
    { from: 0, to: 1, enabled: true, kind: 0 },
    { from: 0, to: 3, enabled: false, kind: 0 },
    { from: 1, to: 2, enabled: true, kind: 1 },
    { from: 2, to: 3, enabled: true, kind: 1 },
    { from: 1, to: 0, enabled: true, kind: 2 },
  ],
  inits: [0, 2],
  bad: [3],
  target: [],
  inFlight: [],
};
const model = graphModel(g);

function failure<S, A>(r: ReturnType<typeof replaySteps<S, A>>): ReplayError {
  if (r.ok) throw new Error("expected the replay to fail");
  return r.error;
}

describe("replay", () => {
  it("replays a path the search found, by indices and by labels", () => {
    const r = search(model, {});
    const v = r.verdicts[0];
    if (v.kind !== "violated") throw new Error("expected a violation");
    expect(v.path).toEqual({ init: 1, steps: [0], labels: ["e3:2->3"] });
    const bySteps = replaySteps(model, v.path.init, v.path.steps);
    const byLabels = replayLabels(model, v.path.init, v.path.labels);
    expect(bySteps).toEqual({ ok: true, states: [2, 3], actions: [3] });
    expect(byLabels).toEqual(bySteps);
    expect(replayLabels(model, 0, ["e0:0->1", "e4:1->0", "e0:0->1", "e2:1->2"])).toEqual({
      ok: true,
      states: [0, 1, 0, 1, 2],
      actions: [0, 4, 0, 2],
    });
    expect(replaySteps(model, 0, [])).toEqual({ ok: true, states: [0], actions: [] });
  });

  it("a label not enabled: typed error with the step, the label and what was enabled", () => {
    const e = failure(replayLabels(model, 0, ["e0:0->1", "e3:2->3"]));
    expect(e).toMatchObject({ code: "label-not-enabled", step: 2, label: "e3:2->3", enabled: ["e2:1->2", "e4:1->0"] });
    expect(e.likelyCause).toMatch(/another version of the model/);
    expect(e.likelyCause).toMatch(/edited by hand/);
    expect(e.likelyCause).toMatch(/not deterministic/);
    expect(e.likelyCause).toMatch(/Map\/Set/);
    expect(e.likelyCause).toMatch(/randomness/);
  });

  it("a disabled candidate's label is not enabled", () => {
    const e = failure(replayLabels(model, 0, ["e1:0->3"]));
    expect(e).toMatchObject({ code: "label-not-enabled", step: 1, enabled: ["e0:0->1"] });
  });

  it("indices: out of range, not enabled, no such initial state", () => {
    expect(failure(replaySteps(model, 0, [0, 2]))).toMatchObject({ code: "index-out-of-range", step: 2, index: 2 });
    expect(failure(replaySteps(model, 0, [0, -1]))).toMatchObject({ code: "index-out-of-range", step: 2 });
    expect(failure(replaySteps(model, 0, [0.5]))).toMatchObject({ code: "index-out-of-range", step: 1 });
    expect(failure(replaySteps(model, 0, [1]))).toMatchObject({
      code: "not-enabled",
      step: 1,
      index: 1,
      label: "e1:0->3",
      enabled: ["e0:0->1"],
    });
    expect(failure(replaySteps(model, 2, []))).toMatchObject({ code: "no-such-init", step: 0, index: 2, enabled: [] });
    expect(failure(replayLabels(model, -1, []))).toMatchObject({ code: "no-such-init", step: 0 });
  });

  it("formats an error as one line naming the step, the label and the likely cause", () => {
    const line = formatReplayError(failure(replayLabels(model, 0, ["e0:0->1", "e3:2->3"])));
    expect(line).not.toMatch(/\n/);
    expect(line).toMatch(/^replay failed at step 2: no enabled action is labelled "e3:2->3" \(enabled there: e2:1->2, e4:1->0\); /);
    expect(line).toMatch(/another version of the model/);
    expect(formatReplayError(failure(replaySteps(model, 7, [])))).toMatch(/^replay failed at initial state: initial state 7/);
  });

  describe("labels shared by several enabled actions", () => {
    // Actions 0 and 1 are both labelled "go"; with `same`, they lead to the same state.
    const twin = (same: boolean): Model<number, number> => ({
      initStates: () => [0],
      actions: (_s, out) => {
        out.push(0, 1);
      },
      nextState: (s, a) => (s === 0 ? (same ? 1 : 1 + a) : undefined),
      encode: (s, out: Encoder) => out.u8(s),
      decode: (b) => b[0],
      properties: [],
      actionLabel: () => "go",
      actionKind: () => 0,
      actionKinds: ["go"],
    });

    it("are fine when they lead to the same state", () => {
      expect(replayLabels(twin(true), 0, ["go"])).toEqual({ ok: true, states: [0, 1], actions: [0] });
    });

    it("are an error when they lead to different states", () => {
      const e = failure(replayLabels(twin(false), 0, ["go"]));
      expect(e).toMatchObject({ code: "label-ambiguous", step: 1, label: "go", enabled: ["go", "go"] });
      expect(e.likelyCause).toMatch(/same label/);
    });
  });
});
