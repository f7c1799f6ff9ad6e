/** Command-line parsing: node:util parseArgs for tokens, then hand-written checks on every option and value. */
import { parseArgs } from "node:util";
import * as Either from "effect/Either";
import { type CliError, cliError } from "./errors.js";
import { safeText } from "./safe-text.js";

/** The options one command takes. */
export type OptionTable = Readonly<Record<string, { readonly type: "string" | "boolean" }>>;

/** Parsed options and positional arguments. */
export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  /** Whether --help or -h was given (before any `--`): the command prints its usage; values and positionals are then empty. */
  readonly help: boolean;
}

/** One option occurrence, as parseArgs tokenizes it. */
interface OptionToken {
  readonly name: string;
  readonly rawName: string;
  readonly value: string | undefined;
  readonly inlineValue: boolean | undefined;
}

/** User text in single quotes for a message: control characters as \xNN, at most 80 characters with "…". */
export function quote(text: string): string {
  return `'${safeText(text, 80)}'`;
}

/** The one-line usage of a command: `daxmc check takes --variant VALUE, --json, ...`. */
export function usageOf(command: string, options: OptionTable, positionals?: string): string {
  const list = Object.entries(options).map(([k, o]) => (o.type === "string" ? `--${k} VALUE` : `--${k}`)).join(", ");
  return `daxmc ${command}${positionals === undefined ? "" : ` ${positionals}`} takes ${list || "no options"}`;
}

/** Parses `argv` for `command`, allowing at most `maxPositionals` positional arguments (named `positionals` in the usage). */
export function parseCommand(
  command: string,
  argv: readonly string[],
  options: OptionTable,
  maxPositionals = 0,
  positionals?: string,
): Either.Either<Parsed, CliError> {
  if (wantsHelp(argv)) return Either.right({ values: {}, positionals: [], help: true });
  const usage = usageOf(command, options, positionals);
  const parsed = parseArgs({ args: inlineNegatives(argv, options), options: { ...options }, strict: false, allowPositionals: true, tokens: true });
  const tokens = parsed.tokens.flatMap((t) => (t.kind === "option" ? [t as OptionToken] : []));
  const problem = firstProblem(tokens, options);
  if (problem !== undefined) return Either.left(cliError("bad-option", problem, usage));
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined) return Either.left(cliError("unexpected-argument", `unexpected argument ${quote(extra)}`, usage));
  return Either.right({ values: parsed.values as Parsed["values"], positionals: parsed.positionals, help: false });
}

/** Whether `--help` or `-h` appears before any `--`. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/** `argv` with `--name -1` (a string option, then a negative number) joined to `--name=-1`, so parseArgs takes it as the value. */
function inlineNegatives(argv: readonly string[], options: OptionTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    if (isStringOption(arg, options) && next !== undefined && /^-[0-9.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Whether `arg` is exactly `--name` for a string option of the table. */
function isStringOption(arg: string, options: OptionTable): boolean {
  const name = arg.slice(2);
  return arg.startsWith("--") && Object.hasOwn(options, name) && options[name].type === "string";
}

/** The first problem among the option tokens, in argv order, as the `what` of an error. */
function firstProblem(tokens: readonly OptionToken[], options: OptionTable): string | undefined {
  const seen = new Set<string>();
  for (const t of tokens) {
    const problem = tokenProblem(t, options, seen);
    if (problem !== undefined) return problem;
    seen.add(t.name);
  }
  return undefined;
}

/** What is wrong with one option occurrence, given the options already `seen`. */
function tokenProblem(t: OptionToken, options: OptionTable, seen: ReadonlySet<string>): string | undefined {
  if (!Object.hasOwn(options, t.name)) return `unknown option ${quote(t.rawName)}`;
  const name = `'--${t.name}'`;
  if (seen.has(t.name)) return `option ${name} is given twice`;
  if (options[t.name].type === "boolean") return t.value === undefined ? undefined : `option ${name} takes no value`;
  if (t.value === undefined) return `option ${name} needs a value`;
  if (!t.inlineValue && t.value.startsWith("-")) {
    return `option ${name} is followed by another option, not a value (write --${t.name}=VALUE for a value starting with '-')`;
  }
  return t.value === "" ? `option ${name} has an empty value` : undefined;
}

/** A string option's value, if given. */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const v = Object.hasOwn(parsed.values, name) ? parsed.values[name] : undefined;
  return typeof v === "string" ? v : undefined;
}

/** A required string option's value. */
export function requiredOption(parsed: Parsed, name: string, fix: string): Either.Either<string, CliError> {
  const v = stringOption(parsed, name);
  return v === undefined ? Either.left(cliError("missing-option", `missing --${name}`, fix)) : Either.right(v);
}

/** The search limits the options give. */
export interface Limits {
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutMs?: number;
  /** Fold states that differ only by renaming blocks or like processes (spec/symmetry.ts); off with --no-symmetry; absent is off, as in the engine. */
  readonly symmetry?: boolean;
  /** Sleep sets (spec/independence.ts): skip successors that commuting steps reach in another order; off with --no-por. */
  readonly por?: boolean;
}

/** The most digits a count (or a timeout's whole seconds) may have, so it stays a safe integer. */
const MAX_DIGITS = 15;

/** A negative number, as a user might write one. */
const NEGATIVE = /^-([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;

/** --max-states N, --max-depth N (whole numbers, 0 or more) and --timeout SECONDS (positive), each optional; --no-symmetry, --no-por. */
export function limitsOf(parsed: Parsed): Either.Either<Limits, CliError> {
  return Either.gen(function* () {
    const maxStates = yield* numberOption(parsed, "max-states", "1000000", (raw) => countProblem(raw, "states"));
    const maxDepth = yield* numberOption(parsed, "max-depth", "20", (raw) => countProblem(raw, "steps"));
    const timeout = yield* numberOption(parsed, "timeout", "60", secondsProblem);
    const symmetry = parsed.values["no-symmetry"] !== true;
    const por = parsed.values["no-por"] !== true;
    return { maxStates, maxDepth, timeoutMs: timeout === undefined ? undefined : timeout * 1000, symmetry, por };
  });
}

/** Why `raw` is not a whole number of `unit` in decimal digits, or undefined if it is one. */
function countProblem(raw: string, unit: string): string | undefined {
  if (/^[0-9]+$/.test(raw)) return raw.length > MAX_DIGITS ? `give at most ${MAX_DIGITS} digits` : undefined;
  if (NEGATIVE.test(raw)) return `give a whole number of ${unit}, 0 or more`;
  if (/^([0-9]+\.[0-9]*|\.[0-9]+)$/.test(raw)) return `give a whole number of ${unit}, not a fraction`;
  return "give a whole number in decimal digits";
}

/** Why `raw` is not a positive number of seconds in decimal digits, or undefined if it is one. */
function secondsProblem(raw: string): string | undefined {
  if (/^[0-9]+(\.[0-9]+)?$/.test(raw)) {
    if (raw.split(".")[0].length > MAX_DIGITS) return `give at most ${MAX_DIGITS} digits before the point`;
    return Number(raw) > 0 ? undefined : "give a positive number of seconds";
  }
  if (NEGATIVE.test(raw)) return "give a positive number of seconds";
  return "give a number of seconds in decimal digits";
}

/** The option's number, if given; `problem` says why a value is not valid. */
function numberOption(
  parsed: Parsed,
  name: string,
  example: string,
  problem: (raw: string) => string | undefined,
): Either.Either<number | undefined, CliError> {
  const raw = stringOption(parsed, name);
  if (raw === undefined) return Either.right(undefined);
  const why = problem(raw);
  return why === undefined
    ? Either.right(Number(raw))
    : Either.left(cliError("bad-number", `--${name} ${quote(raw)} is not valid`, `${why}, e.g. --${name} ${example}`));
}

/** A whole-number option within [lo, hi], if given. */
export function wholeOption(parsed: Parsed, name: string, example: string, lo: number, hi: number): Either.Either<number | undefined, CliError> {
  return numberOption(parsed, name, example, (raw) => {
    const why = countProblem(raw, "");
    if (why !== undefined) return why.replace("whole number of ,", "whole number,").replace("whole number of  ", "whole number ");
    const n = Number(raw);
    return n < lo || n > hi ? `give a whole number from ${lo} to ${hi}` : undefined;
  });
}
