import { describe, expect, it } from "vitest";
import type { PropertyVerdict } from "../../src/core/result.js";
import { search } from "../../src/engine/index.js";
import { agreementText, compareExpected } from "../../src/report/agreement.js";
import { cellText, verdictText } from "../../src/report/outcomes.js";
import { classify, violatedBy, withPartner } from "../../src/report/verdicts.js";
import { TOY, toyModel } from "./toy-model.js";

describe("classify", () => {
  it("folds partners in: violated, holds, and vacuous when the partner never arose", () => {
    const model = toyModel();
    const result = search(model, { stopWhenDecided: false });
    const outcomes = classify(model.properties, result.verdicts);
    expect(outcomes.map((o) => [o.name, o.kind])).toEqual([
      [TOY.below, "violated"],
      [TOY.nonNegative, "vacuous"],
      [TOY.noStuck, "violated"],
    ]);
    expect(outcomes[1]).toMatchObject({ partner: TOY.reachNever, partnerDescription: "the counter goes negative" });
    expect(outcomes[0].kind === "violated" && outcomes[0].path.labels).toEqual(["inc", "inc", "inc"]);
  });

  it("says holds when the partner was reached, and undecided when a limit stopped the search", () => {
    const model = toyModel();
    const holds: PropertyVerdict[] = [
      { kind: "holds", name: TOY.below },
      { kind: "reached", name: TOY.reachTop, path: { init: 0, steps: [], labels: [] } },
      { kind: "undecided", name: TOY.nonNegative },
    ];
    expect(classify(model.properties, holds).map((o) => o.kind)).toEqual(["holds", "undecided"]);
    const limited = search(model, { maxStates: 1 });
    expect(classify(model.properties, limited.verdicts).map((o) => o.kind)).toEqual(["undecided", "undecided", "undecided"]);
  });

  it("selects an invariant with its partner", () => {
    expect(withPartner(toyModel().properties, TOY.nonNegative)).toEqual([TOY.nonNegative, TOY.reachNever]);
    expect(withPartner(toyModel().properties, TOY.reachTop)).toEqual([TOY.reachTop]);
  });

  it("evaluates a property on one state, deadlock included", () => {
    const model = toyModel();
    expect(violatedBy(model, TOY.below, 3)).toBe(true);
    expect(violatedBy(model, TOY.below, 2)).toBe(false);
    expect(violatedBy(model, TOY.noStuck, 3)).toBe(true);
    expect(violatedBy(model, TOY.noStuck, 1)).toBe(false);
    expect(violatedBy(model, TOY.reachTop, 3)).toBeUndefined();
    expect(violatedBy(model, "nothing", 3)).toBeUndefined();
  });
});

describe("outcome text", () => {
  const path = { init: 0, steps: [0, 0], labels: ["inc", "inc"] };
  it("gives cells and verdict lines for every kind", () => {
    const d = { name: "p", description: "d" };
    expect(cellText({ kind: "violated", ...d, path })).toBe("VIOLATED 2");
    expect(cellText({ kind: "holds", ...d })).toBe("holds");
    expect(cellText({ kind: "vacuous", ...d, partner: "q", partnerDescription: "q happens" })).toBe("vacuous");
    expect(cellText({ kind: "undecided", ...d })).toBe("undecided");
    expect(verdictText({ kind: "violated", ...d, path })).toBe("VIOLATED in 2 steps");
    expect(verdictText({ kind: "vacuous", ...d, partner: "q", partnerDescription: "q happens" })).toMatch(/vacuous.*q happens \(q\)/);
  });
});

describe("compareExpected", () => {
  const d = { description: "" };
  const path = { init: 0, steps: [0], labels: ["x"] };
  it("agrees when exactly the expected invariants fail", () => {
    expect(compareExpected([{ kind: "violated", name: "a", ...d, path }, { kind: "holds", name: "b", ...d }], ["a"])).toEqual({ agrees: true, differences: [], unarisen: [], unreproduced: [] });
  });
  it("lists every difference; an expected failure that could not arise is set apart, not a difference", () => {
    const r = compareExpected(
      [
        { kind: "holds", name: "a", ...d },
        { kind: "violated", name: "b", ...d, path },
        { kind: "vacuous", name: "c", ...d, partner: "pc", partnerDescription: "" },
        { kind: "undecided", name: "e", ...d },
      ],
      ["a", "c", "z"],
    );
    expect(r.agrees).toBe(false);
    expect(r.differences).toEqual([
      "a expected to fail but holds",
      "b fails, not expected",
      "e undecided",
      "z expected to fail but was not checked",
    ]);
    expect(r.unarisen).toEqual(["c (pc never arose)"]);
  });

  it("away from the default bounds, an expected failure that holds is noted, not a difference; an unexpected one still differs", () => {
    const outcomes = [{ kind: "holds" as const, name: "a", ...d }, { kind: "violated" as const, name: "b", ...d, path }];
    const r = compareExpected(outcomes, ["a"], false);
    expect(r).toEqual({ agrees: false, differences: ["b fails, not expected"], unarisen: [], unreproduced: ["a"] });
    const ok = compareExpected([outcomes[0]], ["a"], false);
    expect(ok.agrees).toBe(true);
    expect(agreementText(ok, ["a"])).toBe("agrees as far as these bounds can show (expected to fail: a); held at these bounds, expected to fail at the default bounds: a");
    expect(agreementText(compareExpected([outcomes[0]], [], true), [])).toBe("agrees (expected to fail: none)");
  });
});
