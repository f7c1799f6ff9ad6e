/**
 * `daxmc merge FILE... [--out DIR] [--json | --brief]`: the results of the N shards of one split
 * check combined into its verdicts, counterexamples and exact distinct-state count, reported and
 * written as `check` does.
 */
import * as Either from "effect/Either";
import type { Model } from "../core/model.js";
import type { PropertyVerdict } from "../core/result.js";
import { FingerprintTable, VISITED_CAPACITY, formatReplayError, replaySteps } from "../engine/index.js";
import { classify, violatedBy } from "../report/verdicts.js";
import { parseCommand } from "./args.js";
import { outDirOf } from "./check.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import type { Io } from "./io.js";
import { type MergedVerdict, mergeVerdicts, mergedComplete } from "./merge-verdicts.js";
import { MAX_SHARDS } from "./shard-args.js";
import { type LoadedShard, readFingerprints, readShardResult } from "./shard-file.js";
import { checkRoots, checkShardSet } from "./shard-set.js";
import { boundsFromText, buildExplainer, buildModel, lookupVariant } from "./wiring.js";

/** The options of `merge`. */
export const MERGE_OPTIONS = {
  out: { type: "string" },
  json: { type: "boolean" },
  brief: { type: "boolean" },
} as const;

/** Validates the shard files, merges them, writes the counterexamples: exit 0 all hold, 1 a violation, 3 incomplete. */
export async function merge(argv: readonly string[], io: Io): Promise<Either.Either<number, CliError>> {
  const setup = Either.gen(function* () {
    const parsed = yield* parseCommand("merge", argv, MERGE_OPTIONS, MAX_SHARDS, "FILE...");
    const loaded: LoadedShard[] = [];
    for (const given of parsed.positionals) loaded.push(yield* readShardResult(given, io.cwd));
    const shards = yield* checkShardSet(loaded);
    yield* checkRoots(shards);
    const first = shards[0].result;
    const variant = yield* lookupVariant(first.variant, `the shard result ${shards[0].name}`);
    const bounds = yield* boundsFromText(first.bounds);
    const model = buildModel(variant, bounds);
    for (const s of shards) yield* checkVerdicts(model, s);
    const outDir = yield* outDirOf(parsed, io, bounds);
    const distinct = yield* countDistinct(shards);
    const merged = mergeVerdicts(shards.map((s) => s.result));
    for (const m of merged) yield* checkPath(model, m, shards);
    return { parsed, shards, variant, bounds, model, outDir, distinct, merged };
  });
  if (Either.isLeft(setup)) return Either.left(setup.left);
  const { parsed, shards, variant, bounds, model, outDir, distinct, merged } = setup.right;

  const { saveOutcomes } = await import("./counterexamples.js");
  const outcomes = classify(model.properties, merged.map((m) => m.verdict));
  const { written, stale } = saveOutcomes(model, outcomes, { variant: variant.id, bounds, outDir });
  const complete = mergedComplete(shards.map((s) => s.result), merged);
  const report = { variant, bounds, model, shards, merged, distinct, complete, outcomes, written, stale, explainer: buildExplainer(variant, bounds) };
  const { printMergeBrief, printMergeJson, printMergeText } = await import("./merge-output.js");
  if (parsed.values.json === true) printMergeJson(io, report);
  else if (parsed.values.brief === true) printMergeBrief(io, report);
  else printMergeText(io, report);
  if (written.length > 0) return Either.right(EXIT.violation);
  return Either.right(complete ? EXIT.ok : EXIT.incomplete);
}

/** The number of distinct fingerprints over all shards (exact when every shard explored all of its part), or why the shards cannot be counted. */
function countDistinct(shards: readonly LoadedShard[]): Either.Either<number, CliError> {
  const union = new FingerprintTable();
  for (const s of shards) {
    let read: Either.Either<void, CliError>;
    try {
      read = readFingerprints(s, (hi, lo) => void union.add(hi, lo));
    } catch (e) {
      if (!(e instanceof RangeError) || union.size < VISITED_CAPACITY) throw e;
      return Either.left(cliError("bad-shard", `the shards hold more than ${VISITED_CAPACITY} distinct states`, "one merge counts at most that many: split the check at smaller bounds"));
    }
    if (Either.isLeft(read)) return Either.left(read.left);
  }
  return Either.right(union.size);
}

/** Each verdict of the shard names a property of today's model, with a verdict that property can have. */
function checkVerdicts<S, A>(model: Model<S, A>, shard: LoadedShard): Either.Either<void, CliError> {
  for (const v of shard.result.verdicts) {
    const prop = model.properties.find((p) => p.name === v.name);
    const fits = prop === undefined ? false : prop.kind === "sometimes" ? v.kind !== "violated" && v.kind !== "holds" : v.kind !== "reached" && v.kind !== "unreached";
    if (!fits) return Either.left(staleShard(shard, `its verdict '${v.kind}' on ${v.name} fits no property of today's model`));
  }
  return Either.right(undefined);
}

/** A merged path replays in today's model, with the labels the shard recorded, to a state that decides its property. */
function checkPath<S, A>(model: Model<S, A>, m: MergedVerdict, shards: readonly LoadedShard[]): Either.Either<void, CliError> {
  const v = m.verdict;
  if (v.kind !== "violated" && v.kind !== "reached") return Either.right(undefined);
  const shard = shards.find((s) => s.result.shard === m.shard) as LoadedShard;
  const replay = replaySteps(model, v.path.init, v.path.steps);
  if (!replay.ok) return Either.left(staleShard(shard, `the path of ${v.name} does not replay: ${formatReplayError(replay.error)}`));
  const labels = replay.actions.map((a) => model.actionLabel(a));
  if (labels.some((l, i) => l !== v.path.labels[i])) return Either.left(staleShard(shard, `the path of ${v.name} replays through other actions than it names`));
  if (!decides(model, v, replay.states[replay.states.length - 1])) return Either.left(staleShard(shard, `the path of ${v.name} does not end where it is ${v.kind}`));
  return Either.right(undefined);
}

/** Whether `state` violates (or, for a `sometimes`, witnesses) the verdict's property. */
function decides<S, A>(model: Model<S, A>, v: PropertyVerdict, state: S): boolean {
  const prop = model.properties.find((p) => p.name === v.name);
  return prop?.kind === "sometimes" ? prop.holds(state) : violatedBy(model, v.name, state) === true;
}

function staleShard(shard: LoadedShard, why: string): CliError {
  return cliError("bad-shard", `${shard.name}: ${why}`, "the shards were run with another model: re-run every shard with this daxmc");
}
