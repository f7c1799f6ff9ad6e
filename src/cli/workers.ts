/**
 * `--workers N`: how many variants `matrix` searches at once, each in a worker thread (1: one
 * after another, in this thread), or how many threads compute the successors of `check`'s one search.
 */
import { availableParallelism } from "node:os";
import * as Either from "effect/Either";
import { quote } from "./args.js";
import { type CliError, cliError } from "./errors.js";

/** The most workers accepted: more than there will be variants, so a larger number is a typo, not a plan. */
export const MAX_WORKERS = 64;

/** The default: one worker per CPU core, since each search keeps one core busy. */
export function defaultWorkers(): number {
  return Math.min(availableParallelism(), MAX_WORKERS);
}

/** The number of workers `text` asks for (the default when absent): a whole number from 1 to MAX_WORKERS; `one` says what 1 does. */
export function parseWorkers(text: string | undefined, one = "searches the variants one after another"): Either.Either<number, CliError> {
  if (text === undefined) return Either.right(defaultWorkers());
  const n = /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
  if (n >= 1 && n <= MAX_WORKERS) return Either.right(n);
  return Either.left(cliError(
    "bad-number",
    `--workers ${quote(text)} is not valid`,
    `give a whole number of worker threads from 1 to ${MAX_WORKERS} (1 ${one}), e.g. --workers 2`,
  ));
}
