/** Invariant outcomes as text: a verdict line each, and short matrix cells. */
import { match } from "ts-pattern";
import { plural } from "./format.js";
import type { InvariantOutcome } from "./verdicts.js";

/** One line per invariant: name, then holds / VIOLATED (with steps) / holds but vacuous (which situation never arose) / undecided. */
export function formatOutcomes(outcomes: readonly InvariantOutcome[]): string[] {
  const width = Math.max(0, ...outcomes.map((o) => o.name.length));
  return outcomes.map((o) => `  ${o.name.padEnd(width)}  ${verdictText(o)}`);
}

/** The verdict part of an outcome's line. */
export function verdictText(o: InvariantOutcome): string {
  return match(o)
    .with({ kind: "holds" }, () => "holds")
    .with({ kind: "violated" }, (v) => `VIOLATED in ${plural(v.path.steps.length, "step")}`)
    .with({ kind: "vacuous" }, (v) => `holds but vacuous: never arose: ${v.partnerDescription} (${v.partner})`)
    .with({ kind: "undecided" }, () => "undecided (a limit stopped the search first)")
    .exhaustive();
}

/** A matrix cell: `holds`, `VIOLATED n` (n steps), `vacuous` or `undecided`. */
export function cellText(o: InvariantOutcome): string {
  return match(o)
    .with({ kind: "holds" }, () => "holds")
    .with({ kind: "violated" }, (v) => `VIOLATED ${v.path.steps.length}`)
    .with({ kind: "vacuous" }, () => "vacuous")
    .with({ kind: "undecided" }, () => "undecided")
    .exhaustive();
}
