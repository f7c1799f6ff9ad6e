/** How a set of outcomes compares with the list of invariants expected to fail (at the default bounds). */
import { match } from "ts-pattern";
import type { InvariantOutcome } from "./verdicts.js";

/** Whether the outcomes agree with the expectation; if not, one note per difference; and what could not be compared. */
export interface Agreement {
  readonly agrees: boolean;
  readonly differences: readonly string[];
  /** Expected failures whose situation (partner) never arose at these bounds: untestable here, not a disagreement. */
  readonly unarisen: readonly string[];
  /** At bounds other than the default: expected failures that held here (the expectation speaks of the default bounds). */
  readonly unreproduced: readonly string[];
}

/**
 * Compares outcomes with `expectedFails`, which history states for the default bounds: an
 * expected failure must be violated, everything else must not be. An expected failure whose
 * partner never arose could not arise at these bounds and is listed apart; so, away from the
 * default bounds (`atDefaultBounds` false), is one that held, since smaller bounds may leave
 * out what it needs. An unexpected violation is a difference at any bounds.
 */
export function compareExpected(outcomes: readonly InvariantOutcome[], expectedFails: readonly string[], atDefaultBounds = true): Agreement {
  const expected = new Set(expectedFails);
  const differences: string[] = [];
  const unarisen: string[] = [];
  const unreproduced: string[] = [];
  for (const o of outcomes) {
    const wanted = expected.has(o.name);
    match(o)
      .with({ kind: "violated" }, () => void (wanted || differences.push(`${o.name} fails, not expected`)))
      .with({ kind: "holds" }, () => {
        if (!wanted) return;
        if (atDefaultBounds) differences.push(`${o.name} expected to fail but holds`);
        else unreproduced.push(o.name);
      })
      .with({ kind: "vacuous" }, (v) => void (wanted && unarisen.push(`${o.name} (${v.partner} never arose)`)))
      .with({ kind: "undecided" }, () => void differences.push(`${o.name} undecided`))
      .exhaustive();
  }
  const checked = new Set(outcomes.map((o) => o.name));
  for (const name of expectedFails) if (!checked.has(name)) differences.push(`${name} expected to fail but was not checked`);
  return { agrees: differences.length === 0, differences, unarisen, unreproduced };
}

/** The agreement as one line: agrees or differs, then what could not arise, or held, at these bounds. */
export function agreementText(a: Agreement, expectedFails: readonly string[]): string {
  const expected = expectedFails.length === 0 ? "none" : expectedFails.join(", ");
  const partial = a.unarisen.length + a.unreproduced.length > 0;
  const head = !a.agrees
    ? `differs: ${a.differences.join("; ")}`
    : partial
      ? `agrees as far as these bounds can show (expected to fail: ${expected})`
      : `agrees (expected to fail: ${expected})`;
  const notes = [
    a.unarisen.length === 0 ? "" : `; could not arise at these bounds (not a disagreement): ${a.unarisen.join(", ")}`,
    a.unreproduced.length === 0 ? "" : `; held at these bounds, expected to fail at the default bounds: ${a.unreproduced.join(", ")}`,
  ];
  return head + notes.join("");
}
