/** What `check` prints: text for people, or one JSON document. */
import { match } from "ts-pattern";
import type { Explainer } from "../core/explain.js";
import type { Model } from "../core/model.js";
import { explainTrace } from "../report/explain.js";
import type { SearchResult } from "../core/result.js";
import type { Shortened } from "../engine/index.js";
import { plural } from "../report/format.js";
import { formatOutcomes, verdictText } from "../report/outcomes.js";
import { formatIncomplete, formatStats, incompleteHint } from "../report/stats.js";
import { formatInitial, formatSteps } from "../report/steps.js";
import type { InvariantOutcome } from "../report/verdicts.js";
import type { WrittenCounterexample } from "./counterexamples.js";
import { shown } from "./out-dir.js";
import { type Io, printAll, println } from "./io.js";
import type { Strategy } from "./strategy.js";
import { toolName } from "./version.js";
import { type Bounds, type Variant, describeBounds } from "./wiring.js";

/** The verdict part of a report, which `check` and `merge` print alike. */
export interface VerdictReport<S, A> {
  readonly model: Model<S, A>;
  readonly outcomes: readonly InvariantOutcome[];
  readonly written: readonly WrittenCounterexample<S, A>[];
  /** Tells each counterexample in kernel terms, as `daxmc explain` does; without it, steps print as view diffs. */
  readonly explainer?: Explainer<S, A>;
  /** Counterexample files of earlier runs at the same bounds, removed because their invariant now holds. */
  readonly stale: readonly string[];
}

/** Everything one check produced. */
export interface CheckReport<S, A> extends VerdictReport<S, A> {
  readonly variant: Variant;
  readonly bounds: Bounds;
  readonly result: SearchResult;
  /** The search order (breadth-first when absent). */
  readonly strategy?: Strategy;
  /** After a depth-first search: each decided property's path as found, and as breadth-first search shortened it. */
  readonly shortened?: readonly Shortened[];
}

/** Headline, verdicts, the initial state once, each counterexample step by step, statistics, and a last line naming the outcome. */
export function printCheckText<S, A>(io: Io, r: CheckReport<S, A>): void {
  const out = io.stdout;
  const order = r.strategy === "dfs" ? ", depth-first" : "";
  println(out, `${toolName()}: check ${r.variant.id} at bounds ${describeBounds(r.bounds)}${order}`, `  models ${r.variant.kernel}`, "");
  printVerdicts(io, r, (name) => shortenedLine(r.shortened?.find((x) => x.name === name)));
  println(out, "");
  printAll(out, formatStats(r.result.stats));
  println(out, "");
  printResultLines(io, r, incompleteLine(r.result));
}

/**
 * The verdicts, the initial state once, each counterexample step by step (after its title, the
 * line `noteOf` gives for it, if any), and the stale files removed.
 */
export function printVerdicts<S, A>(io: Io, r: VerdictReport<S, A>, noteOf: (name: string) => string | undefined): void {
  const out = io.stdout;
  printAll(out, ["verdicts", ...formatOutcomes(r.outcomes)]);
  if (r.written.length > 0) {
    println(out, "");
    if (r.explainer === undefined) printAll(out, formatInitial(r.model, r.written[0].states[0], "", "initial state (every counterexample below starts here):"));
    else printAll(out, ["initial state (every counterexample below starts here):", ...r.explainer.initial(r.written[0].states[0]).map((l) => `  ${l}`)]);
  }
  for (const w of r.written) {
    const o = r.outcomes.find((x) => x.name === w.name);
    println(out, "", `counterexample: ${w.name}, ${plural(w.actions.length, "step")}: ${o?.description ?? ""}`);
    const note = noteOf(w.name);
    if (note !== undefined) println(out, `  ${note}`);
    if (r.explainer === undefined) printAll(out, formatSteps(r.model, w.states, w.actions, "  ", false));
    else printAll(out, storyLines(r, w).map((l) => (l === "" ? l : `  ${l}`)));
    println(out, `  after step ${w.actions.length}, ${w.name} is violated`);
    println(out, `  written to ${shown(io.cwd, w.file)}`, `  reproduce: daxmc replay ${shown(io.cwd, w.file)}`);
  }
  for (const file of r.stale) println(out, "", `removed ${shown(io.cwd, file)}: written by an earlier run at these bounds, and its invariant now holds`);
}

/** How a depth-first counterexample was shortened, or undefined after a breadth-first search. */
export function shortenedLine(s: Shortened | undefined): string | undefined {
  if (s === undefined) return undefined;
  const found = `depth-first search found it at length ${s.found}`;
  if (s.shortest === undefined) return `${found}; a limit stopped the breadth-first search that would shorten it, so it may not be shortest`;
  return `${found}; breadth-first search to depth ${s.found} shortened it to length ${s.shortest}`;
}

/** The counterexample's story, without the title and initial state `check` prints once. */
function storyLines<S, A>(r: VerdictReport<S, A>, w: WrittenCounterexample<S, A>): string[] {
  const lines = explainTrace(r.model, r.explainer as Explainer<S, A>, w.states, w.actions, w.name, {
    format: "text", glossary: false, cite: true, title: "", meaning: r.outcomes.find((o) => o.name === w.name)?.description ?? w.name, violated: true,
  });
  return lines.slice(lines.indexOf("Steps:"));
}

/** One line per verdict (with the counterexample's file), then the result lines: for scripts and quick looks. */
export function printCheckBrief<S, A>(io: Io, r: CheckReport<S, A>): void {
  printBriefVerdicts(io, r);
  printResultLines(io, r, incompleteLine(r.result));
}

/** One line per verdict, with the counterexample's file. */
export function printBriefVerdicts<S, A>(io: Io, r: VerdictReport<S, A>): void {
  const width = Math.max(0, ...r.outcomes.map((o) => o.name.length));
  for (const o of r.outcomes) {
    const w = r.written.find((x) => x.name === o.name);
    const file = w === undefined ? "" : `  ${shown(io.cwd, w.file)}`;
    println(io.stdout, `${o.name.padEnd(width)}  ${verdictText(o)}${file}`);
  }
}

/** Why a search was incomplete and what would help, as one line; undefined when it was complete. */
function incompleteLine(result: SearchResult): string | undefined {
  const incomplete = formatIncomplete(result);
  return incomplete === undefined ? undefined : `${incomplete}; ${incompleteHint(result)}`;
}

/** The closing lines: the violations, `incomplete` (why the search was incomplete), or that everything holds. */
export function printResultLines<S, A>(io: Io, r: VerdictReport<S, A>, incomplete: string | undefined): void {
  const out = io.stdout;
  const violated = r.written.map((w) => w.name);
  if (violated.length > 0) println(out, `result: ${plural(violated.length, "violation")} (${violated.join(", ")})`);
  if (incomplete !== undefined) println(out, incomplete);
  if (violated.length === 0 && incomplete === undefined) {
    const vacuous = r.outcomes.filter((o) => o.kind === "vacuous").length;
    const note = vacuous === 0 ? "" : ` (${vacuous} vacuously: the situations they guard never arose at these bounds)`;
    println(out, `result: every checked invariant holds${note}`);
  }
}

/** The same as one JSON document: verdicts with paths as labels, statistics, and where each trace was written. */
export function printCheckJson<S, A>(io: Io, r: CheckReport<S, A>): void {
  const doc = {
    tool: toolName(),
    command: "check",
    variant: r.variant.id,
    bounds: r.bounds,
    strategy: r.strategy ?? "bfs",
    status: r.result.status,
    stopReason: r.result.stopReason ?? null,
    verdicts: r.outcomes.map((o) => {
      const w = r.written.find((x) => x.name === o.name);
      const found = r.shortened?.find((x) => x.name === o.name)?.found;
      return { ...outcomeJson(o, w === undefined ? undefined : shown(io.cwd, w.file)), ...(found === undefined ? {} : { foundSteps: found }) };
    }),
    stats: r.result.stats,
    removedStale: r.stale.map((f) => shown(io.cwd, f)),
  };
  io.stdout.write(JSON.stringify(doc, null, 2) + "\n");
}

/** One outcome as JSON (shared with `matrix --json`); `file` is where its counterexample was written. */
export function outcomeJson(o: InvariantOutcome, file: string | undefined): object {
  return match(o)
    .with({ kind: "violated" }, (v) => ({
      invariant: v.name,
      verdict: "violated",
      steps: v.path.steps.length,
      path: v.path.labels,
      file: file ?? null,
    }))
    .with({ kind: "vacuous" }, (v) => ({ invariant: v.name, verdict: "vacuous", neverArose: v.partner }))
    .with({ kind: "holds" }, { kind: "undecided" }, (v) => ({ invariant: v.name, verdict: v.kind }))
    .exhaustive();
}
