/** How a set of outcomes compares with the list of invariants expected to fail. */
import { match } from "ts-pattern";
import type { InvariantOutcome } from "./verdicts.js";

/** Whether the outcomes agree with the expectation, and if not, one note per difference. */
export interface Agreement {
  readonly agrees: boolean;
  readonly differences: readonly string[];
}

/** Compares outcomes with `expectedFails`: an expected failure must be violated, everything else must not be. */
export function compareExpected(outcomes: readonly InvariantOutcome[], expectedFails: readonly string[]): Agreement {
  const expected = new Set(expectedFails);
  const differences: string[] = [];
  for (const o of outcomes) {
    const wanted = expected.has(o.name);
    const note = match(o)
      .with({ kind: "violated" }, () => (wanted ? undefined : `${o.name} fails, not expected`))
      .with({ kind: "holds" }, () => (wanted ? `${o.name} expected to fail but holds` : undefined))
      .with({ kind: "vacuous" }, (v) => (wanted ? `${o.name} expected to fail but holds vacuously (${v.partner} never arose)` : undefined))
      .with({ kind: "undecided" }, () => `${o.name} undecided`)
      .exhaustive();
    if (note !== undefined) differences.push(note);
  }
  const checked = new Set(outcomes.map((o) => o.name));
  for (const name of expectedFails) if (!checked.has(name)) differences.push(`${name} expected to fail but was not checked`);
  return { agrees: differences.length === 0, differences };
}
