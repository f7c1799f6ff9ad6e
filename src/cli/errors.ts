/**
 * CLI errors as values with stable codes. Every one prints as exactly one line,
 * `daxmc: <what is wrong>: <how to fix>`, and maps to an exit code.
 */
import { match } from "ts-pattern";
import { EXIT } from "./exit.js";
import { safeText } from "./safe-text.js";

/** The longest error line printed: a hostile file cannot flood the terminal through an error. */
export const MAX_ERROR_LINE = 600;

/** The stable code of a CLI error. */
export type CliErrorCode =
  /** No command was given. */
  | "no-command"
  /** The first argument names no command. */
  | "unknown-command"
  /** An option the command does not take, or an option given without its value. */
  | "bad-option"
  /** A required option or argument is absent. */
  | "missing-option"
  /** A positional argument the command does not take. */
  | "unexpected-argument"
  /** --variant, or a trace's variant, names no variant. */
  | "unknown-variant"
  /** --invariant, or a trace's invariant, names no invariant. */
  | "unknown-invariant"
  /** --bounds, or a trace's bounds, are not valid bounds. */
  | "bad-bounds"
  /** A numeric option is not a number in its range. */
  | "bad-number"
  /** A trace file is missing or cannot be read. */
  | "unreadable-file"
  /** A trace file is not a daxmc ITF trace: truncated, not JSON, foreign, malformed or inconsistent. */
  | "bad-trace"
  /** A trace's actions do not replay in the model. */
  | "trace-diverged"
  /** A replayed state differs from the state the trace stores. */
  | "trace-mismatch"
  /** A trace given to shrink does not violate its invariant in today's model. */
  | "not-violating"
  /** A counterexample `reproduce` cannot turn into a scenario for a real kernel. */
  | "not-reproducible"
  /** An output file or directory cannot be written. */
  | "unwritable-output"
  /** A shard result is not usable, or the files given to merge are not one complete set of shards of one check. */
  | "bad-shard"
  /** A bug in daxmc or the model, not in the input. */
  | "internal";

/** A CLI error: what is wrong, and how to fix it. */
export interface CliError {
  readonly code: CliErrorCode;
  readonly what: string;
  readonly fix: string;
}

/** Thrown (only) where an error arises deep inside a command; `main` prints it like any other. */
export class CliFailure extends Error {
  constructor(readonly error: CliError) {
    super(`${error.what}: ${error.fix}`);
  }
}

/** A CLI error value. */
export function cliError(code: CliErrorCode, what: string, fix: string): CliError {
  return { code, what, fix };
}

/** The one line printed for an error: newlines folded, other control characters escaped, at most MAX_ERROR_LINE characters. */
export function formatCliError(e: CliError): string {
  const line = `daxmc: ${e.what}: ${e.fix}`.replace(/\s*\n\s*/g, " ");
  return safeText(line, MAX_ERROR_LINE);
}

/** The exit code for an error: 2 for bad input, 70 for an internal error. */
export function exitCodeOf(e: CliError): number {
  return match(e.code)
    .with(
      "no-command", "unknown-command", "bad-option", "missing-option", "unexpected-argument",
      "unknown-variant", "unknown-invariant", "bad-bounds", "bad-number",
      "unreadable-file", "bad-trace", "trace-diverged", "trace-mismatch", "not-violating", "not-reproducible", "unwritable-output", "bad-shard",
      () => EXIT.badInput,
    )
    .with("internal", () => EXIT.internal)
    .exhaustive();
}
