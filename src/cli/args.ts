/** Command-line parsing: node:util parseArgs in strict mode, and Schema checks where a value crosses into the program. */
import { parseArgs } from "node:util";
import { Either, Schema } from "effect";
import { type CliError, cliError } from "./errors.js";

/** The options one command takes. */
export type OptionTable = Readonly<Record<string, { readonly type: "string" | "boolean" }>>;

/** Parsed options and positional arguments. */
export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** Parses `argv` for `command`, allowing at most `maxPositionals` positional arguments. */
export function parseCommand(command: string, argv: readonly string[], options: OptionTable, maxPositionals = 0): Either.Either<Parsed, CliError> {
  const usage = `daxmc ${command} takes ${Object.entries(options).map(([k, o]) => (o.type === "string" ? `--${k} VALUE` : `--${k}`)).join(", ") || "no options"}`;
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options }, strict: true, allowPositionals: true }) as Parsed;
  } catch (e) {
    const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
    const quoted = /'([^']*)'/.exec(message)?.[1] ?? "?";
    const code = (e as { code?: unknown }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return Either.left(cliError("bad-option", `unknown option '${quoted}'`, usage));
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const name = quoted.split(" ")[0];
      const what = /does not take/.test(message)
        ? `option '${name}' takes no value`
        : /ambiguous/.test(message)
          ? `option '${name}' is followed by another option, not a value (write ${name}=VALUE for a value starting with '-')`
          : `option '${name}' needs a value`;
      return Either.left(cliError("bad-option", what, usage));
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return Either.left(cliError("unexpected-argument", `unexpected argument '${quoted}'`, usage));
    return Either.left(cliError("bad-option", message.replace(/:\s*$/, ""), usage));
  }
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined) return Either.left(cliError("unexpected-argument", `unexpected argument '${extra}'`, usage));
  return Either.right(parsed);
}

/** A string option's value, if given. */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === "string" ? v : undefined;
}

/** A required string option's value. */
export function requiredOption(parsed: Parsed, name: string, fix: string): Either.Either<string, CliError> {
  const v = stringOption(parsed, name);
  return v === undefined ? Either.left(cliError("missing-option", `missing --${name}`, fix)) : Either.right(v);
}

const Count = Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative());
const Seconds = Schema.NumberFromString.pipe(Schema.finite(), Schema.positive());

/** The search limits the options give. */
export interface Limits {
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutMs?: number;
}

/** --max-states N, --max-depth N (whole numbers) and --timeout SECONDS (positive), each optional. */
export function limitsOf(parsed: Parsed): Either.Either<Limits, CliError> {
  return Either.gen(function* () {
    const maxStates = yield* numberOption(parsed, "max-states", Count, "a whole number of states, e.g. --max-states 1000000");
    const maxDepth = yield* numberOption(parsed, "max-depth", Count, "a whole number of steps, e.g. --max-depth 20");
    const timeout = yield* numberOption(parsed, "timeout", Seconds, "a positive number of seconds, e.g. --timeout 60");
    return { maxStates, maxDepth, timeoutMs: timeout === undefined ? undefined : timeout * 1000 };
  });
}

function numberOption(
  parsed: Parsed,
  name: string,
  schema: Schema.Schema<number, string>,
  fix: string,
): Either.Either<number | undefined, CliError> {
  const raw = stringOption(parsed, name);
  if (raw === undefined) return Either.right(undefined);
  const decoded = Schema.decodeUnknownEither(schema)(raw.trim() === "" ? "x" : raw);
  return Either.isRight(decoded)
    ? Either.right(decoded.right)
    : Either.left(cliError("bad-number", `--${name} '${raw}' is not valid`, `give ${fix}`));
}
