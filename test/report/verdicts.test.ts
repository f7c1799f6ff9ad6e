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
  /** Expected to fail: those in `fails` (as `kind`); to hold vacuously: those in `vacuous`; the rest to hold. */
  const expecting = (fails: string[], kind = "history", vacuous: string[] = []) => (name: string) => ({
    verdict: fails.includes(name) ? ("violated" as const) : vacuous.includes(name) ? ("vacuous" as const) : ("holds" as const),
    kind,
  });

  it("agrees when each invariant gives its expected verdict, vacuous passes included", () => {
    const outcomes = [
      { kind: "violated" as const, name: "a", ...d, path },
      { kind: "holds" as const, name: "b", ...d },
      { kind: "vacuous" as const, name: "c", ...d, partner: "pc", partnerDescription: "" },
    ];
    expect(compareExpected(outcomes, expecting(["a"], "seen", ["c"]))).toEqual({ agrees: true, differences: [], marked: [], unarisen: [], unreproduced: [] });
  });

  it("at the default bounds lists and marks every difference, naming the evidence; a seen cell that differs is a model bug", () => {
    const r = compareExpected(
      [
        { kind: "holds", name: "a", ...d },
        { kind: "violated", name: "b", ...d, path },
        { kind: "vacuous", name: "c", ...d, partner: "pc", partnerDescription: "" },
        { kind: "undecided", name: "e", ...d },
      ],
      expecting(["a", "c"], "seen"),
    );
    expect(r.agrees).toBe(false);
    expect(r.differences).toEqual([
      "a holds, expected fails (seen: a model bug until shown otherwise)",
      "b fails, expected holds (seen: a model bug until shown otherwise)",
      "c holds vacuously, expected fails (seen: a model bug until shown otherwise)",
      "e undecided",
    ]);
    expect(r.marked).toEqual(["a", "b", "c"]);
  });

  it("away from the default bounds, an expected failure that holds or could not arise is noted, not a difference; an unexpected one still differs", () => {
    const outcomes = [
      { kind: "holds" as const, name: "a", ...d },
      { kind: "violated" as const, name: "b", ...d, path },
      { kind: "vacuous" as const, name: "c", ...d, partner: "pc", partnerDescription: "" },
      { kind: "vacuous" as const, name: "f", ...d, partner: "pf", partnerDescription: "" },
    ];
    const r = compareExpected(outcomes, expecting(["a", "c"], "hypothesis"), false);
    expect(r).toEqual({ agrees: false, differences: ["b fails, expected holds (hypothesis)"], marked: ["b"], unarisen: ["c (pc never arose)"], unreproduced: ["a"] });
    const ok = compareExpected([outcomes[0]], expecting(["a"]), false);
    expect(ok.agrees).toBe(true);
    expect(agreementText(ok, ["a"])).toBe("agrees as far as these bounds can show (expected to fail: a); held at these bounds, expected to fail at the default bounds: a");
    expect(agreementText(compareExpected([outcomes[0]], expecting([])), [])).toBe("agrees (expected to fail: none)");
  });
});
