/**
 * What `merge` requires of its files before it reads any fingerprint: that they are the shards
 * of one split check (one variant, bounds, property selection, prefix depth, shard count and
 * spec), each of 1..N exactly once. Every refusal is one line naming the file or shard.
 */
import * as Either from "effect/Either";
import { type CliError, cliError } from "./errors.js";
import type { LoadedShard, ShardResult } from "./shard-file.js";

/** The fields every shard of one check shares, each with how it is named in a message. */
const SHARED: readonly { readonly what: string; readonly of: (r: ShardResult) => string }[] = [
  { what: "variant", of: (r) => r.variant },
  { what: "bounds", of: (r) => r.bounds },
  { what: "invariant", of: (r) => r.invariant ?? "(all)" },
  { what: "shard count", of: (r) => String(r.shards) },
  { what: "prefix depth", of: (r) => String(r.prefixDepth) },
  { what: "symmetry", of: (r) => (r.symmetry ? "on" : "off (--no-symmetry)") },
  { what: "checked properties", of: (r) => r.verdicts.map((v) => v.name).join(",") },
  { what: "spec digest", of: (r) => r.spec ?? "" },
];

const ONE_CHECK = "merge the results of one split check: the same --variant, --bounds, --invariant, --prefix-depth, --no-symmetry or not, and N in --shard I/N, from one daxmc checkout";

/** The shards of one check, sorted by shard number, or why `shards` are not exactly one complete set. */
export function checkShardSet(shards: readonly LoadedShard[]): Either.Either<readonly LoadedShard[], CliError> {
  return Either.gen(function* () {
    const [first] = shards;
    if (first === undefined) return yield* Either.left(cliError("missing-option", "no shard results given", "daxmc merge shard-1.json shard-2.json ... (the --shard-out files of every shard)"));
    for (const s of shards) yield* sameCheck(first, s);
    const count = first.result.shards;
    const byIndex = new Map<number, LoadedShard[]>();
    for (const s of shards) byIndex.set(s.result.shard, [...(byIndex.get(s.result.shard) ?? []), s]);
    const twice = [...byIndex.entries()].sort(([a], [b]) => a - b).find(([, given]) => given.length > 1);
    if (twice !== undefined) {
      return yield* Either.left(cliError("bad-shard", `shard ${twice[0]}/${count} is given twice (${twice[1].map((s) => s.name).join(", ")})`, "give each shard's result once"));
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length > 0) return yield* Either.left(missingShards(first.result, missing));
    return [...shards].sort((a, b) => a.result.shard - b.result.shard);
  });
}

/** An error unless `s` is a shard of the same check as `first`. */
function sameCheck(first: LoadedShard, s: LoadedShard): Either.Either<void, CliError> {
  const differs = SHARED.find((f) => f.of(s.result) !== f.of(first.result) && !(f.what === "spec digest" && (s.result.spec === null || first.result.spec === null)));
  if (differs === undefined) return Either.right(undefined);
  const shown = (r: LoadedShard): string => (differs.what === "spec digest" ? `${differs.of(r.result).slice(0, 12)}...` : differs.of(r.result));
  return Either.left(cliError("bad-shard", `${s.name} and ${first.name} are not shards of one check: their ${differs.what} differs (${shown(s)}, ${shown(first)})`, ONE_CHECK));
}

/** The error for shards not given: which, and the command that writes the first of them. */
function missingShards(r: ShardResult, missing: readonly number[]): CliError {
  const names = missing.map((i) => `${i}/${r.shards}`);
  const what = missing.length === 1 ? `shard ${names[0]} is missing` : `shards ${names.join(", ")} are missing`;
  const invariant = r.invariant === null ? "" : ` --invariant ${r.invariant}`;
  const run = `daxmc check --variant ${r.variant}${invariant} --bounds ${r.bounds} --shard ${names[0]} --prefix-depth ${r.prefixDepth}${r.symmetry ? "" : " --no-symmetry"} --shard-out shard-${missing[0]}.json`;
  return cliError("bad-shard", what, `give the results of all ${r.shards} shards (${run} writes ${names[0]}${missing.length > 1 ? ", and likewise the others" : ""})`);
}

/**
 * When every shard explored all of its part, each met the same roots and kept its own share of
 * them, so the kept roots add up to the total: otherwise the files do not split one search.
 */
export function checkRoots(shards: readonly LoadedShard[]): Either.Either<void, CliError> {
  if (!shards.every((s) => s.result.exhausted)) return Either.right(undefined);
  const totals = new Set(shards.map((s) => s.result.roots.total));
  const kept = shards.reduce((sum, s) => sum + s.result.roots.kept, 0);
  const [total] = totals;
  if (totals.size === 1 && kept === total) return Either.right(undefined);
  return Either.left(cliError(
    "bad-shard",
    `the shards do not split one search: their roots (${shards.map((s) => `${s.result.roots.kept} of ${s.result.roots.total}`).join(", ")}) do not add up`,
    `${ONE_CHECK} (a changed model moves the roots)`,
  ));
}
