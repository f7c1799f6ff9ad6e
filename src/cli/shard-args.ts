/**
 * `check --shard I/N [--prefix-depth K] --shard-out FILE`: which part of a split check this run
 * is, validated before it searches. Shards are numbered from 1 (`--shard 1/3` .. `--shard 3/3`),
 * as people count them; a Kubernetes indexed Job passes $((JOB_COMPLETION_INDEX + 1)).
 */
import { dirname, resolve } from "node:path";
import * as Either from "effect/Either";
import { type Parsed, quote, stringOption, wholeOption } from "./args.js";
import { type CliError, cliError } from "./errors.js";
import type { Io } from "./io.js";
import { probeDirectory, reasonOf } from "./out-dir.js";
import { safeText } from "./safe-text.js";
import type { Strategy } from "./strategy.js";

/** The options a shard adds to `check`. */
export const SHARD_OPTIONS = {
  shard: { type: "string" },
  "prefix-depth": { type: "string" },
  "shard-out": { type: "string" },
} as const;

/** The prefix depth when none is given: 431 roots for v6.12 at tiny, 619 at small, plenty for tens of shards. */
export const DEFAULT_PREFIX_DEPTH = 4;
/** The most shards one check is split into. */
export const MAX_SHARDS = 100_000;
/** The deepest prefix accepted. */
const MAX_PREFIX_DEPTH = 1000;

/** One shard of a split check. */
export interface ShardRun {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
  readonly prefixDepth: number;
  /** Absolute path of the result file. */
  readonly file: string;
}

/** The shard options of `parsed`, or undefined when this is not a shard; the result file's folder is checked writable. */
export function shardRunOf(parsed: Parsed, io: Io, strategy: Strategy): Either.Either<ShardRun | undefined, CliError> {
  return Either.gen(function* () {
    const raw = stringOption(parsed, "shard");
    if (raw === undefined) return yield* notAShard(parsed);
    const { index, count } = yield* parseShard(raw);
    if (strategy === "dfs") {
      return yield* Either.left(cliError("bad-option", "a shard explores breadth-first", "drop --strategy dfs: a shard's roots are the states at exactly the prefix depth, which only breadth-first search finds"));
    }
    if (stringOption(parsed, "out") !== undefined) {
      return yield* Either.left(cliError("bad-option", "a shard writes no counterexamples", "drop --out here and give it to daxmc merge, which writes them"));
    }
    const prefixDepth = (yield* wholeOption(parsed, "prefix-depth", String(DEFAULT_PREFIX_DEPTH), 0, MAX_PREFIX_DEPTH)) ?? DEFAULT_PREFIX_DEPTH;
    const given = stringOption(parsed, "shard-out");
    if (given === undefined) return yield* Either.left(cliError("missing-option", "missing --shard-out", `name the shard's result file, e.g. --shard-out shard-${index}.json`));
    const file = resolve(io.cwd, given);
    yield* writable(file);
    return { index, count, prefixDepth, file };
  });
}

/** `I/N` with 1 <= I <= N <= MAX_SHARDS. */
export function parseShard(raw: string): Either.Either<{ readonly index: number; readonly count: number }, CliError> {
  const m = /^([0-9]{1,6})\/([0-9]{1,6})$/.exec(raw);
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (index >= 1 && index <= count && count <= MAX_SHARDS) return Either.right({ index, count });
  const why = m === null ? "give I/N" : count > MAX_SHARDS ? `give at most ${MAX_SHARDS} shards` : "give I/N with I from 1 to N (shards are numbered from 1)";
  return Either.left(cliError("bad-number", `--shard ${quote(raw)} is not valid`, `${why}, e.g. --shard 1/3`));
}

/** Without --shard, the options that only a shard takes are refused. */
function notAShard(parsed: Parsed): Either.Either<undefined, CliError> {
  const stray = ["prefix-depth", "shard-out"].find((name) => stringOption(parsed, name) !== undefined);
  return stray === undefined
    ? Either.right(undefined)
    : Either.left(cliError("bad-option", `--${stray} goes with --shard`, `split the check with --shard I/N, or drop --${stray}`));
}

/** Whether the result file's folder can be written (created if missing), before the search spends time. */
function writable(file: string): Either.Either<void, CliError> {
  try {
    probeDirectory(dirname(file));
    return Either.right(undefined);
  } catch (e) {
    return Either.left(cliError("unwritable-output", `cannot write the shard result ${safeText(file)} (${reasonOf(e)})`, "give a writable file with --shard-out FILE"));
  }
}
