/** `daxmc check --variant ID [--invariant ID] [--bounds B] [--json] [limits] [--out DIR]`: one variant, searched and reported. */
import { resolve } from "node:path";
import { Either } from "effect";
import { search } from "../engine/index.js";
import { ttyReporter } from "../report/progress.js";
import { classify, withPartner } from "../report/verdicts.js";
import { limitsOf, parseCommand, requiredOption, stringOption } from "./args.js";
import { printCheckJson, printCheckText } from "./check-output.js";
import { removeStale, writeCounterexample } from "./counterexamples.js";
import type { CliError } from "./errors.js";
import { EXIT } from "./exit.js";
import type { Io } from "./io.js";
import { boundsFromText, buildModel, lookupInvariant, lookupVariant } from "./wiring.js";

/** The options every search command takes: bounds, limits, output (`matrix` takes exactly these). */
export const SEARCH_OPTIONS = {
  bounds: { type: "string" },
  json: { type: "boolean" },
  "max-states": { type: "string" },
  "max-depth": { type: "string" },
  timeout: { type: "string" },
  out: { type: "string" },
} as const;

/** The options of `check`: a variant, optionally one invariant, and the search options. */
export const CHECK_OPTIONS = {
  variant: { type: "string" },
  invariant: { type: "string" },
  ...SEARCH_OPTIONS,
} as const;

/** The default directory counterexamples go to, under the working directory. */
export const DEFAULT_OUT = "counterexamples";

/** Validates the options, then runs the check: exit 0 all hold, 1 a violation, 3 incomplete. */
export function check(argv: readonly string[], io: Io): Either.Either<number, CliError> {
  return Either.gen(function* () {
    const parsed = yield* parseCommand("check", argv, CHECK_OPTIONS);
    const variantId = yield* requiredOption(parsed, "variant", "name the variant to check, e.g. --variant v4.18 (daxmc list)");
    const variant = yield* lookupVariant(variantId);
    const invariantId = stringOption(parsed, "invariant");
    if (invariantId !== undefined) yield* lookupInvariant(invariantId);
    const bounds = yield* boundsFromText(stringOption(parsed, "bounds"));
    const limits = yield* limitsOf(parsed);
    const outDir = resolve(io.cwd, stringOption(parsed, "out") ?? DEFAULT_OUT);
    const json = parsed.values.json === true;

    const model = buildModel(variant, bounds);
    const properties = invariantId === undefined ? undefined : withPartner(model.properties, invariantId);
    const reporter = ttyReporter(io.stderr, `check ${variant.id}`);
    const result = search(model, { ...limits, properties, reporter });
    const outcomes = classify(model.properties, result.verdicts);
    const written = outcomes.flatMap((o) =>
      o.kind === "violated" ? [writeCounterexample(model, o, { variant: variant.id, bounds, outDir })] : [],
    );
    const stale = outcomes.flatMap((o) => {
      const removed = o.kind === "holds" ? removeStale(outDir, variant.id, o.name, bounds) : undefined;
      return removed === undefined ? [] : [removed];
    });
    const report = { variant, bounds, model, result, outcomes, written, stale };
    if (json) printCheckJson(io, report);
    else printCheckText(io, report);
    if (written.length > 0) return EXIT.violation;
    return result.status === "complete" ? EXIT.ok : EXIT.incomplete;
  });
}
