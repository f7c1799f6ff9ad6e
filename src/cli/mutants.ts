/**
 * `daxmc mutants [--bounds B] [--json] [limits]`: runs every seeded bug of spec/mutants.ts
 * against its variant and reports which invariant caught it. A mutant is caught when some
 * verdict changes, or the number of states violating some invariant changes (so a violation
 * already present does not hide a new cause). Exit 0 when every mutant is caught, 1 when one
 * is not, 3 when a limit or an interrupt cut a search short.
 */
import * as Either from "effect/Either";
import type { SearchResult } from "../core/result.js";
import { searchAsync } from "../engine/index.js";
import { int } from "../report/format.js";
import { progressReporter } from "../report/progress.js";
import { markdownTable, textTable } from "../report/table.js";
import { type Parsed, parseCommand } from "./args.js";
import { searchLimits } from "./check.js";
import type { CliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, printAll, println } from "./io.js";
import { toolName } from "./version.js";
import { type Bounds, INVARIANTS, MUTANTS, type Mutant, type Variant, buildModel, describeBounds, findVariant, mutantVariant } from "./wiring.js";

const OPTIONS = {
  bounds: { type: "string" },
  json: { type: "boolean" },
  md: { type: "boolean" },
  "max-states": { type: "string" },
  timeout: { type: "string" },
  "max-memory": { type: "string" },
} as const;

/** How one invariant moved between a variant and its mutant: its verdict changed, or only how many states violate it. */
export interface Catch {
  readonly invariant: string;
  readonly how: "verdict" | "count";
  readonly before: string;
  readonly after: string;
  /** Shortest violation in the mutant, in steps, when it violates. */
  readonly steps?: number;
}

/** One mutant's outcome. */
export interface MutantOutcome {
  readonly mutant: Mutant;
  readonly caughtBy: readonly Catch[];
  readonly complete: boolean;
}

/** An invariant's verdict (`VIOLATED 4`, `holds`, `undecided`), its violating-state count, and the shortest violation's length. */
function described(result: SearchResult, name: string): { verdict: string; text: string; steps?: number } {
  const v = result.verdicts.find((x) => x.name === name);
  const n = result.stateCounts?.[name] ?? 0;
  if (v === undefined || v.kind === "undecided") return { verdict: "undecided", text: "undecided" };
  if (v.kind === "violated") {
    const steps = v.path.steps.length;
    return { verdict: `VIOLATED ${steps}`, text: `VIOLATED ${steps} (${int(n)} states)`, steps };
  }
  return { verdict: v.kind, text: v.kind };
}

/** The invariants whose verdict, or violating-state count, differ between `base` and `mutated`: verdict changes first. */
export function catches(base: SearchResult, mutated: SearchResult): Catch[] {
  const all = INVARIANTS.flatMap((inv): Catch[] => {
    const b = described(base, inv.id);
    const a = described(mutated, inv.id);
    if (b.text === a.text) return [];
    const how = b.verdict === a.verdict ? "count" : "verdict";
    return [{ invariant: inv.id, how, before: b.text, after: a.text, ...(a.steps === undefined ? {} : { steps: a.steps }) }];
  });
  return [...all.filter((c) => c.how === "verdict"), ...all.filter((c) => c.how === "count")];
}

/** Which invariant caught a mutant: those whose verdict changed, else those whose violating-state count did. */
function caughtText(o: MutantOutcome): string {
  if (o.caughtBy.length === 0) return o.complete ? "NOT CAUGHT" : "undecided";
  const byVerdict = o.caughtBy.filter((c) => c.how === "verdict");
  if (byVerdict.length > 0) return byVerdict.map((c) => (c.steps === undefined ? `${c.invariant} (${c.after})` : `${c.invariant} in ${c.steps} steps`)).join(", ");
  return o.caughtBy.map((c) => `${c.invariant} (violating states ${c.before} -> ${c.after})`).join(", ");
}

/** Runs every mutant (each base variant once), then prints the table: exit 0 all caught, 1 one missed, 3 incomplete. */
export async function mutants(argv: readonly string[], io: Io): Promise<Either.Either<number, CliError>> {
  const setup = Either.gen(function* () {
    const parsed = yield* parseCommand("mutants", argv, OPTIONS);
    return { parsed, ...(yield* searchLimits(parsed)) };
  });
  if (Either.isLeft(setup)) return Either.left(setup.left);
  const { parsed, bounds, limits } = setup.right;
  const run = (variant: Variant, label: string) =>
    searchAsync(buildModel(variant, bounds), { ...limits, countStates: true, signal: io.signal, reporter: progressReporter(io.stderr, label) });
  const bases = new Map<string, SearchResult>();
  const outcomes: MutantOutcome[] = [];
  for (const mutant of MUTANTS) {
    if (io.signal?.aborted === true) break;
    const variant = findVariant(mutant.variant);
    if (variant === undefined) throw new Error(`spec/mutants.ts: mutant ${mutant.id} names no variant ${mutant.variant}`);
    const base = bases.get(variant.id) ?? (await run(variant, `mutants ${variant.id}`));
    bases.set(variant.id, base);
    const mutated = await run(mutantVariant(variant, mutant), `mutants ${mutant.id}`);
    outcomes.push({ mutant, caughtBy: catches(base, mutated), complete: base.status === "complete" && mutated.status === "complete" });
  }
  print(io, parsed, bounds, outcomes);
  const complete = outcomes.length === MUTANTS.length && outcomes.every((o) => o.complete);
  if (outcomes.some((o) => o.complete && o.caughtBy.length === 0)) return Either.right(EXIT.violation);
  return Either.right(complete ? EXIT.ok : EXIT.incomplete);
}

function print(io: Io, parsed: Parsed, bounds: Bounds, outcomes: readonly MutantOutcome[]): void {
  if (parsed.values.json === true) {
    io.stdout.write(JSON.stringify({ tool: toolName(), command: "mutants", bounds, mutants: outcomes.map((o) => ({
      id: o.mutant.id, variant: o.mutant.variant, bug: o.mutant.bug, kind: o.mutant.kind, source: o.mutant.source,
      complete: o.complete, caught: o.caughtBy.length > 0, caughtBy: o.caughtBy,
    })) }, null, 2) + "\n");
    return;
  }
  const header = ["mutant", "variant", "caught by"];
  const rows = outcomes.map((o) => [o.mutant.id, o.mutant.variant, caughtText(o)]);
  if (parsed.values.md === true) {
    printAll(io.stdout, markdownTable(header, rows));
    return;
  }
  println(io.stdout, `${toolName()}: mutants at bounds ${describeBounds(bounds)}`, "");
  printAll(io.stdout, textTable(header, rows));
  for (const o of outcomes) {
    println(io.stdout, "", `${o.mutant.id}: ${o.mutant.bug}`, `  ${o.mutant.kind}: ${o.mutant.source}`);
    for (const c of o.caughtBy) println(io.stdout, `  ${c.invariant}: ${c.before} -> ${c.after}`);
  }
  const missed = outcomes.filter((o) => o.complete && o.caughtBy.length === 0).length;
  const skipped = MUTANTS.length - outcomes.length;
  println(io.stdout, "", `result: ${outcomes.length - missed} of ${MUTANTS.length} mutants caught${missed > 0 ? `; ${missed} NOT caught: an invariant is missing` : ""}${skipped > 0 ? `; ${skipped} not run (interrupted)` : ""}`);
}
