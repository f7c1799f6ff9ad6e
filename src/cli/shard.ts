/** `check --shard I/N`: one part of a split check, searched and written as a result file for `daxmc merge`. */
import * as Either from "effect/Either";
import type { Model } from "../core/model.js";
import type { SearchResult } from "../core/result.js";
import { ShardFrontier, VisitedSet, searchAsync } from "../engine/index.js";
import { bytes, int, plural } from "../report/format.js";
import { formatOutcomes } from "../report/outcomes.js";
import { progressReporter } from "../report/progress.js";
import { formatIncomplete, formatStats, incompleteHint } from "../report/stats.js";
import { classify, withPartner } from "../report/verdicts.js";
import type { SearchSetup } from "./check.js";
import type { CliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, printAll, println } from "./io.js";
import { shown } from "./out-dir.js";
import type { ShardRun } from "./shard-args.js";
import { SHARD_FORMAT, type ShardResult, verdictWithPath, writeShardResult } from "./shard-file.js";
import { specDigest } from "./spec-digest.js";
import { toolName } from "./version.js";
import { type Bounds, type Variant, buildModel, describeBounds, formatBounds } from "./wiring.js";

/** Everything a shard needs, validated by `check`. */
export interface ShardCheck {
  readonly variant: Variant;
  readonly bounds: Bounds;
  readonly invariantId: string | undefined;
  readonly limits: SearchSetup["limits"];
  readonly shard: ShardRun;
  readonly format: "text" | "json" | "brief";
}

/** Searches the shard's part, writes its result, and reports: exit 0 nothing violated in a complete part, 1 a violation, 3 incomplete. */
export async function runShard(io: Io, c: ShardCheck): Promise<Either.Either<number, CliError>> {
  const { index, count, prefixDepth, file } = c.shard;
  const model = buildModel(c.variant, c.bounds);
  const properties = c.invariantId === undefined ? undefined : withPartner(model.properties, c.invariantId);
  const visited = new VisitedSet();
  let result: SearchResult;
  let doc: ShardResult;
  try {
    const frontier = new ShardFrontier(visited, { index: index - 1, count, prefixDepth });
    const reporter = progressReporter(io.stderr, `check ${c.variant.id}:shard-${index}/${count}`);
    result = await searchAsync(model, { ...c.limits, properties, reporter, signal: io.signal }, frontier, visited);
    doc = writeShardResult(file, shardDocument(c, result, frontier.roots()), visited);
  } finally {
    visited.close();
  }
  if (c.format === "json") io.stdout.write(JSON.stringify({ ...doc, file: shown(io.cwd, file) }, null, 2) + "\n");
  else printShard(io, c, model, result, doc);
  if (result.verdicts.some((v) => v.kind === "violated")) return Either.right(EXIT.violation);
  return Either.right(result.status === "complete" ? EXIT.ok : EXIT.incomplete);
}

/** The result file's document, without the fingerprints' entry `writeShardResult` adds. */
function shardDocument(c: ShardCheck, result: SearchResult, roots: ShardResult["roots"]): Omit<ShardResult, "fingerprints"> {
  const { stats } = result;
  return {
    format: SHARD_FORMAT,
    version: 1,
    tool: toolName(),
    spec: specDigest() ?? null,
    variant: c.variant.id,
    bounds: formatBounds(c.bounds),
    invariant: c.invariantId ?? null,
    shard: c.shard.index,
    shards: c.shard.count,
    prefixDepth: c.shard.prefixDepth,
    symmetry: c.limits.symmetry === true,
    status: result.status,
    stopReason: result.stopReason ?? null,
    exhausted: result.status === "complete" && stats.queue === 0,
    roots,
    stats: { distinct: stats.distinct, generated: stats.generated, depth: stats.depth, elapsedMs: stats.elapsedMs },
    verdicts: result.verdicts.map((v) => (v.kind === "violated" || v.kind === "reached" ? verdictWithPath(v.name, v.kind, v.path) : { name: v.name, kind: v.kind })),
  };
}

/** Headline, this part's verdicts, the roots and files, statistics (not with --brief), and the result line. */
function printShard<S, A>(io: Io, c: ShardCheck, model: Model<S, A>, result: SearchResult, doc: ShardResult): void {
  const out = io.stdout;
  const { index, count, prefixDepth, file } = c.shard;
  const outcomes = classify(model.properties, result.verdicts);
  if (c.format === "brief") {
    printAll(out, formatOutcomes(outcomes).map((l) => l.slice(2)));
  } else {
    println(out, `${toolName()}: check ${c.variant.id} at bounds ${describeBounds(c.bounds)}, shard ${index}/${count} at prefix depth ${prefixDepth}`, `  models ${c.variant.kernel}`, "");
    printAll(out, [`verdicts in this shard's part (daxmc merge combines the ${count} shards)`, ...formatOutcomes(outcomes)]);
    println(out, "", `shard ${index}/${count}`);
    println(out, `  roots   ${int(doc.roots.kept)} of the ${int(doc.roots.total)} states at depth ${prefixDepth}; the others are stored here, and checked and expanded by the shards that own them`);
    println(out, `  wrote   ${shown(io.cwd, file)}, and its ${int(doc.fingerprints.count)} fingerprints in ${doc.fingerprints.file} (${bytes(doc.fingerprints.count * 8)})`);
    println(out, `  next    daxmc merge with the results of all ${count} shards`, "");
    printAll(out, formatStats(result.stats));
    println(out, "");
  }
  const violated = outcomes.flatMap((o) => (o.kind === "violated" ? [o.name] : []));
  const incomplete = formatIncomplete(result);
  if (violated.length > 0) println(out, `result: shard ${index}/${count}: ${plural(violated.length, "violation")} in its part (${violated.join(", ")})`);
  if (incomplete !== undefined) println(out, `${incomplete}; ${incompleteHint(result)}`);
  if (violated.length === 0 && incomplete === undefined) println(out, `result: shard ${index}/${count}: nothing violated in its part`);
}
