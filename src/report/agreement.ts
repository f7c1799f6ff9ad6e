/** How a set of outcomes compares with what a variant is expected to give on each invariant (at the default bounds). */
import type { InvariantOutcome, OutcomeKind } from "./verdicts.js";

/** One expected verdict and where it comes from (the spec's `Expected`, seen from the engine's side). */
export interface ExpectedVerdict {
  readonly verdict: "violated" | "holds" | "vacuous";
  /** history, seen or hypothesis. */
  readonly kind: string;
}

/** Whether the outcomes agree with the expectation; if not, one note per difference; and what could not be compared. */
export interface Agreement {
  readonly agrees: boolean;
  readonly differences: readonly string[];
  /** The invariants whose cell differs from the expectation (the matrix marks them). */
  readonly marked: readonly string[];
  /** Expected failures whose situation (partner) never arose at these (non-default) bounds: untestable here, not a disagreement. */
  readonly unarisen: readonly string[];
  /** At bounds other than the default: expected failures that held here (the expectation speaks of the default bounds). */
  readonly unreproduced: readonly string[];
}

/** What an outcome says, in the terms of an expectation. */
function verdictOf(kind: OutcomeKind): ExpectedVerdict["verdict"] | undefined {
  return kind === "violated" ? "violated" : kind === "holds" ? "holds" : kind === "vacuous" ? "vacuous" : undefined;
}

/**
 * Compares outcomes with the expected verdict of each invariant, which speaks of the default
 * bounds. At the default bounds every difference counts, and one against a `seen` cell is a
 * model bug until shown otherwise. At other bounds an unexpected violation still differs, but
 * an expected failure that could not arise (partner never reached) or that held is listed
 * apart, and a vacuous pass where a pass was expected is not a difference: smaller bounds may
 * leave out what it needs.
 */
export function compareExpected(
  outcomes: readonly InvariantOutcome[],
  expect: (invariant: string) => ExpectedVerdict,
  atDefaultBounds = true,
): Agreement {
  const differences: string[] = [];
  const marked: string[] = [];
  const unarisen: string[] = [];
  const unreproduced: string[] = [];
  for (const o of outcomes) {
    const e = expect(o.name);
    const got = verdictOf(o.kind);
    if (got === e.verdict) continue;
    if (got === undefined) {
      differences.push(`${o.name} undecided`);
      continue;
    }
    if (!atDefaultBounds && e.verdict === "violated" && got !== "violated") {
      if (o.kind === "vacuous") unarisen.push(`${o.name} (${o.partner} never arose)`);
      else unreproduced.push(o.name);
      continue;
    }
    if (!atDefaultBounds && got !== "violated") continue;
    marked.push(o.name);
    const bug = e.kind === "seen" ? ": a model bug until shown otherwise" : "";
    differences.push(`${o.name} ${describe(got)}, expected ${describe(e.verdict)} (${e.kind}${bug})`);
  }
  return { agrees: differences.length === 0, differences, marked, unarisen, unreproduced };
}

function describe(v: ExpectedVerdict["verdict"]): string {
  return v === "violated" ? "fails" : v === "holds" ? "holds" : "holds vacuously";
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
