/** `daxmc check --variant ID [--invariant ID] [--bounds B] [--strategy bfs|dfs | --shard I/N ...] [--workers N] [--json|--brief] [limits] [--out DIR]`: one variant, searched and reported. */
import { resolve } from "node:path";
import * as Either from "effect/Either";
import { searchAsync, shortenPaths } from "../engine/index.js";
import { progressReporter } from "../report/progress.js";
import { classify, withPartner } from "../report/verdicts.js";
import { type Limits, type Parsed, limitsOf, parseCommand, requiredOption, stringOption } from "./args.js";
import { printCheckBrief, printCheckJson, printCheckText } from "./check-output.js";
import { checkSearch } from "./check-search.js";
import { prepareOutDir } from "./out-dir.js";
import type { CliError } from "./errors.js";
import { EXIT } from "./exit.js";
import type { Io } from "./io.js";
import { memoryShort, parseMaxMemory } from "./memory.js";
import { SHARD_OPTIONS, shardRunOf } from "./shard-args.js";
import { frontierFor, strategyOf } from "./strategy.js";
import { parseWorkers } from "./workers.js";
import { type Bounds, boundsFromText, buildExplainer, buildModel, lookupInvariant, lookupVariant } from "./wiring.js";

/** The options every search command takes: bounds, limits, output (`matrix` takes exactly these). */
export const SEARCH_OPTIONS = {
  bounds: { type: "string" },
  json: { type: "boolean" },
  "max-states": { type: "string" },
  "max-depth": { type: "string" },
  timeout: { type: "string" },
  "max-memory": { type: "string" },
  out: { type: "string" },
  "no-symmetry": { type: "boolean" },
  "no-por": { type: "boolean" },
} as const;

/** The options of `check`: a variant, optionally one invariant, the search order, a shard, the search options, --brief, and --workers (threads of the one search). */
export const CHECK_OPTIONS = {
  variant: { type: "string" },
  invariant: { type: "string" },
  brief: { type: "boolean" },
  strategy: { type: "string" },
  ...SHARD_OPTIONS,
  workers: { type: "string" },
  ...SEARCH_OPTIONS,
} as const;

/** The default directory counterexamples go to, under the working directory. */
export const DEFAULT_OUT = "counterexamples";

/** What every search command validates before it searches: bounds, limits (memory included) and a writable output directory. */
export interface SearchSetup {
  readonly bounds: Bounds;
  readonly limits: Limits & { readonly memoryShort: (reserveBytes: number) => boolean };
  /** --max-memory in bytes, which `limits.memoryShort` checks; `matrix` splits it between its worker threads. */
  readonly maxMemoryBytes: number;
  readonly outDir: string;
}

/** The bounds and limits (memory included) of `parsed`: what every search command validates. */
export function searchLimits(parsed: Parsed): Either.Either<Omit<SearchSetup, "outDir">, CliError> {
  return Either.gen(function* () {
    const bounds = yield* boundsFromText(stringOption(parsed, "bounds"));
    const limits = yield* limitsOf(parsed);
    const maxMemoryBytes = yield* parseMaxMemory(stringOption(parsed, "max-memory"));
    return { bounds, limits: { ...limits, memoryShort: memoryShort(maxMemoryBytes) }, maxMemoryBytes };
  });
}

/** Validates the search options of `parsed`, and that `--out` can be written, before any search starts. */
export function searchSetup(parsed: Parsed, io: Io): Either.Either<SearchSetup, CliError> {
  return Either.gen(function* () {
    const search = yield* searchLimits(parsed);
    const outDir = yield* outDirOf(parsed, io, search.bounds);
    return { ...search, outDir };
  });
}

/** The directory --out names (default counterexamples/), checked writable for these bounds. */
export function outDirOf(parsed: Parsed, io: Io, bounds: Bounds): Either.Either<string, CliError> {
  const outDir = resolve(io.cwd, stringOption(parsed, "out") ?? DEFAULT_OUT);
  return Either.map(prepareOutDir(outDir, bounds), () => outDir);
}

/** Validates the options, then runs the check: exit 0 all hold, 1 a violation, 3 incomplete (a limit or an interrupt). */
export async function check(argv: readonly string[], io: Io): Promise<Either.Either<number, CliError>> {
  const setup = Either.gen(function* () {
    const parsed = yield* parseCommand("check", argv, CHECK_OPTIONS);
    const variantId = yield* requiredOption(parsed, "variant", "name the variant to check, e.g. --variant v4.18 (daxmc list)");
    const variant = yield* lookupVariant(variantId);
    const invariantId = stringOption(parsed, "invariant");
    if (invariantId !== undefined) yield* lookupInvariant(invariantId);
    const strategy = yield* strategyOf(parsed);
    const workers = yield* parseWorkers(stringOption(parsed, "workers"), "searches in this thread");
    const search = yield* searchLimits(parsed);
    const shard = yield* shardRunOf(parsed, io, strategy);
    const outDir = shard === undefined ? yield* outDirOf(parsed, io, search.bounds) : "";
    return { parsed, variant, invariantId, strategy, workers, shard, ...search, outDir };
  });
  if (Either.isLeft(setup)) return Either.left(setup.left);
  const { parsed, variant, invariantId, strategy, workers, shard, bounds, limits, outDir } = setup.right;
  if (shard !== undefined) {
    const format = parsed.values.json === true ? "json" : parsed.values.brief === true ? "brief" : "text";
    return (await import("./shard.js")).runShard(io, { variant, bounds, invariantId, limits, shard, format });
  }

  const { saveOutcomes } = await import("./counterexamples.js");
  const model = buildModel(variant, bounds);
  const properties = invariantId === undefined ? undefined : withPartner(model.properties, invariantId);
  const reporter = progressReporter(io.stderr, `check ${variant.id}`);
  const options = { ...limits, properties, reporter, signal: io.signal };
  // Worker threads only search breadth-first; a depth-first search runs in this thread.
  const found = strategy === "bfs" ? await checkSearch({ model, variant: variant.id, bounds, workers }, options) : await searchAsync(model, options, frontierFor(strategy));
  // Depth-first paths are seldom shortest: breadth-first search re-finds each, no deeper than it was found.
  const { result, shortened } = strategy === "dfs" ? await shortenPaths(model, found, options) : { result: found, shortened: [] };
  const outcomes = classify(model.properties, result.verdicts);
  const { written, stale } = saveOutcomes(model, outcomes, { variant: variant.id, bounds, outDir });
  const report = { variant, bounds, model, result, outcomes, written, stale, strategy, shortened, explainer: buildExplainer(variant, bounds) };
  if (parsed.values.json === true) printCheckJson(io, report);
  else if (parsed.values.brief === true) printCheckBrief(io, report);
  else printCheckText(io, report);
  if (written.length > 0) return Either.right(EXIT.violation);
  return Either.right(result.status === "complete" ? EXIT.ok : EXIT.incomplete);
}
