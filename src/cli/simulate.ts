/** `daxmc simulate --variant ID [--bounds B] [--runs N] [--depth D] [--seed S] [--invariant ID] [--out DIR]`: random walks, a violation shrunk and saved. */
import { join, resolve } from "node:path";
import * as Either from "effect/Either";
import { simulate as walk } from "../engine/simulate.js";
import { int, plural } from "../report/format.js";
import { parseCommand, requiredOption, stringOption, wholeOption } from "./args.js";
import { writeTraceFile } from "./counterexamples.js";
import { type CliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, printAll, println } from "./io.js";
import { DEFAULT_OUT } from "./check.js";
import { shown } from "./out-dir.js";
import { formatShrink, shrinkPath } from "./shrink-trace.js";
import { INVARIANTS, boundsFromText, boundsLabel, buildModel, lookupInvariant, lookupVariant } from "./wiring.js";

const OPTIONS = {
  variant: { type: "string" },
  bounds: { type: "string" },
  runs: { type: "string" },
  depth: { type: "string" },
  seed: { type: "string" },
  invariant: { type: "string" },
  out: { type: "string" },
} as const;

/** Runs the walks: exit 1 when a violation was found and saved, 0 when none was. */
export function simulate(argv: readonly string[], io: Io): Either.Either<number, CliError> {
  return Either.gen(function* () {
    const parsed = yield* parseCommand("simulate", argv, OPTIONS);
    const variant = yield* lookupVariant(yield* requiredOption(parsed, "variant", "daxmc simulate --variant ID (daxmc list shows them)"));
    const bounds = yield* boundsFromText(stringOption(parsed, "bounds"));
    const runs = (yield* wholeOption(parsed, "runs", "1000", 1, 10_000_000)) ?? 1000;
    const depth = (yield* wholeOption(parsed, "depth", "60", 1, 10_000)) ?? 60;
    const seed = (yield* wholeOption(parsed, "seed", "42", 0, 0x7fffffff)) ?? freshSeed();
    const only = stringOption(parsed, "invariant");
    const targets = only === undefined ? INVARIANTS.map((i) => i.id) : [(yield* lookupInvariant(only)).id];
    const model = buildModel(variant, bounds);
    println(io.stdout, `simulate ${variant.id} at bounds ${boundsLabel(bounds)}: ${plural(runs, "walk")} of at most ${plural(depth, "step")}, seed ${seed}`);
    const started = Date.now();
    const result = walk(model, { runs, depth, seed, targets, signal: io.signal });
    const seconds = (Date.now() - started) / 1000;
    println(io.stdout, `  ${plural(result.runs, "walk")}, ${int(result.steps)} steps in ${seconds.toFixed(1)} s (repeat with --seed ${seed})`);
    printAll(io.stdout, coverageLines(model.actionKinds, result.kindSteps, result.steps));
    printAll(io.stdout, reachedLines(model.properties.filter((p) => p.kind === "sometimes").map((p) => p.name), result.reached));
    const v = result.violation;
    if (v === undefined && result.interrupted) {
      println(io.stdout, `interrupted after ${plural(result.runs, "walk")} of ${int(runs)}: no violation in those`);
      return EXIT.incomplete;
    }
    if (v === undefined) {
      println(io.stdout, `no violation of ${only ?? "any invariant"} in these walks (random walks prove nothing; daxmc check does)`);
      return EXIT.ok;
    }
    println(io.stdout, `VIOLATED ${v.property}: walk ${v.run} found it in ${plural(v.foundLength, "step")}; fast-check shrank the walk to ${plural(v.path.length, "step")} (${plural(v.shrinks, "shrink")})`);
    const shrunk = shrinkPath(model, variant, bounds, v.property, v.path);
    if (shrunk === undefined) throw new Error("a simulated violation does not replay");
    printAll(io.stdout, formatShrink(shrunk));
    const file = join(resolve(io.cwd, stringOption(parsed, "out") ?? DEFAULT_OUT), `bounds-${boundsLabel(bounds)}`, "simulate", variant.id, `${v.property}.itf.json`);
    const meaning = INVARIANTS.find((i) => i.id === v.property)?.meaning ?? v.property;
    writeTraceFile(model, shrunk.states, shrunk.path, {
      variant: variant.id,
      bounds,
      invariant: v.property,
      description: `${v.property} is violated after ${shrunk.path.length} steps (daxmc simulate --seed ${seed}, walk ${v.run}, shrunk): ${meaning}`,
    }, file, "choose a writable directory with --out DIR");
    println(io.stdout, `  path: ${shrunk.path.map((a) => model.actionLabel(a)).join("; ")}`);
    println(io.stdout, `wrote ${shown(io.cwd, file)} (daxmc explain shows it in kernel terms)`);
    return EXIT.violation;
  });
}

function freshSeed(): number {
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) & 0x7fffffff;
}

/** Steps per action kind, most taken first; kinds never taken are named, since a walk that never truncates tests nothing about truncate. */
function coverageLines(kinds: readonly string[], counts: readonly number[], total: number): string[] {
  const taken = kinds.map((k, i) => [k, counts[i]] as const).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const never = kinds.filter((_, i) => counts[i] === 0);
  const pct = (n: number): string => (total === 0 ? "0" : ((100 * n) / total).toFixed(1));
  const lines = [`  coverage: ${taken.map(([k, n]) => `${k} ${int(n)} (${pct(n)}%)`).join(", ")}`];
  lines.push(`  never taken: ${never.length === 0 ? "none" : never.join(", ")}`);
  return lines;
}

function reachedLines(all: readonly string[], reached: ReadonlySet<string>): string[] {
  const missed = all.filter((n) => !reached.has(n));
  return [
    `  sometimes partners reached: ${all.length - missed.length} of ${all.length}${missed.length === 0 ? "" : `; not reached: ${missed.join(", ")}`}`,
  ];
}
