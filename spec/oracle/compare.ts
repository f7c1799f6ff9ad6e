/** Whether what a kernel did is one of the outcomes the model allows, and the table row that says so. */
import type { GuestOutcome } from "./guest-log.js";
import type { Observed } from "./predict.js";

/** Observables as one short text: `0 AR+1 AO / pte 1 / WARN associate`. */
export function observedText(o: Observed): string {
  const parts = [o.signals.join("+") || "no signal", o.keepsPte.length === 0 ? "no PTE kept" : `PTE kept by ${o.keepsPte.join("+")}`];
  if (o.kernel.length > 0) parts.push(o.kernel.join("+"));
  if (o.failedTouches.length > 0) parts.push(`touch ${o.failedTouches.join("+")} failed`);
  if (o.blocked.length > 0) parts.push(`${o.blocked.join("+")} blocked`);
  if (o.verdicts.length > 0) parts.push(`memory_failure ${o.verdicts.join("+")}`);
  const badReads = o.lateReads.filter((r) => !r.endsWith(" ok"));
  if (o.lateReads.length > 0) parts.push(badReads.length === 0 ? "late reads ok" : `late ${badReads.join("+")}`);
  if (o.hung) parts.push("hung");
  return parts.join(" / ");
}

/**
 * Whether `observed` equals one predicted outcome in every observable. After an oops the
 * guest's processes cannot report (the oopsing task dies, the others may hang on the locks it
 * held), so an outcome with an oops is compared on its kernel lines only.
 */
export function agrees(predicted: readonly Observed[], observed: Observed): boolean {
  const oops = observed.kernel.includes("OOPS");
  const key = (o: Observed): string => JSON.stringify(oops ? [o.kernel] : [o.signals, o.keepsPte, o.kernel, o.blocked, o.failedTouches, o.lateReads, o.verdicts, o.hung]);
  return predicted.some((p) => key(p) === key(observed));
}

/** One row of the conformance table. */
export interface ConformanceRow {
  readonly scenario: string;
  readonly kernel: string;
  readonly predicted: string;
  readonly observed: string;
  readonly verdict: "agree" | "DISAGREE" | "not run";
  /** Why a row was not run, or the run's errors. */
  readonly note?: string;
}

/** The row for one scenario on one kernel. */
export function rowFor(scenario: string, kernel: string, predicted: readonly Observed[], outcome: GuestOutcome | undefined, skipped?: string): ConformanceRow {
  const p = predicted.map(observedText).join(" OR ");
  if (skipped !== undefined) return { scenario, kernel, predicted: p, observed: "-", verdict: "not run", note: skipped };
  if (outcome === undefined) return { scenario, kernel, predicted: p, observed: "-", verdict: "DISAGREE", note: "no output for this scenario in the guest log" };
  const ok = outcome.errors.length === 0 && agrees(predicted, outcome.observed);
  return {
    scenario, kernel, predicted: p, observed: observedText(outcome.observed), verdict: ok ? "agree" : "DISAGREE",
    ...(outcome.errors.length > 0 ? { note: outcome.errors.join("; ") } : {}),
  };
}
