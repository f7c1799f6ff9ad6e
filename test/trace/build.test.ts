import { describe, expect, it } from "vitest";
import { replaySteps } from "../../src/engine/index.js";
import { buildTrace, firstMismatch } from "../../src/trace/build.js";
import type { Trace, TraceMeta } from "../../src/trace/itf.js";
import { toyModel } from "../report/toy-model.js";

const meta: TraceMeta = { source: "t", tool: "t 1", variant: "v", bounds: {}, invariant: "below-top", kind: "violation", description: "" };

function toyTrace(): { trace: Trace; states: number[] } {
  const model = toyModel();
  const r = replaySteps(model, 0, [0, 0, 0]);
  if (!r.ok) throw new Error("toy replay failed");
  return { trace: buildTrace(model, r.states, r.actions, meta), states: r.states };
}

describe("buildTrace", () => {
  it("stores each state's view, the labels, and init for the first state", () => {
    const { trace } = toyTrace();
    expect(trace.actions).toEqual(["inc", "inc", "inc"]);
    expect(trace.vars).toEqual(["counter", "seen"]);
    expect(trace.states.map((s) => s.action)).toEqual(["init", "inc", "inc", "inc"]);
    expect(trace.states[2].values).toEqual({ counter: { value: 2, even: true }, seen: ["v0", "v1"] });
  });

  it("refuses a view that ITF cannot hold (a float)", () => {
    const model = { ...toyModel(), view: (n: number) => ({ x: n + 0.5 }) };
    expect(() => buildTrace(model, [0], [], meta)).toThrow(/not an ITF value/);
  });
});

describe("firstMismatch", () => {
  it("finds nothing when the trace matches the replay", () => {
    const { trace, states } = toyTrace();
    expect(firstMismatch(toyModel(), trace, states)).toBeUndefined();
  });

  it("names the step and field of an edited value", () => {
    const { trace, states } = toyTrace();
    const edited: Trace = {
      ...trace,
      states: trace.states.map((s, i) => (i === 2 ? { ...s, values: { ...s.values, counter: { value: 9, even: true } } } : s)),
    };
    expect(firstMismatch(toyModel(), edited, states)).toEqual({ step: 2, field: "counter.value", stored: "9", replayed: "2" });
  });

  it("notices a field the model does not have, and a removed empty record", () => {
    const { trace, states } = toyTrace();
    const extra: Trace = { ...trace, states: trace.states.map((s) => ({ ...s, values: { ...s.values, ghost: 1 } })) };
    expect(firstMismatch(toyModel(), extra, states)).toMatchObject({ step: 0, field: "ghost", replayed: "(none)" });
    const model = { ...toyModel(), view: (n: number) => ({ ...toyModel().view!(n), empty: {} }) };
    expect(firstMismatch(model, trace, states)).toMatchObject({ step: 0, field: "empty" });
  });
});
