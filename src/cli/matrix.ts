/** `daxmc matrix [--bounds B] [--out DIR] [--json] [limits]`: every variant against every invariant, as a report. */
import { join, resolve } from "node:path";
import { Either } from "effect";
import { search } from "../engine/index.js";
import { type Agreement, compareExpected } from "../report/agreement.js";
import { ttyReporter } from "../report/progress.js";
import { type InvariantOutcome, classify } from "../report/verdicts.js";
import type { SearchResult } from "../core/result.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { type Limits, limitsOf, parseCommand, stringOption } from "./args.js";
import { DEFAULT_OUT, SEARCH_OPTIONS } from "./check.js";
import { removeStale, writeCounterexample } from "./counterexamples.js";
import { CliFailure, type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import type { Io } from "./io.js";
import { matrixMarkdown, printMatrixJson, printMatrixText } from "./matrix-output.js";
import { type Bounds, type Variant, DEFAULT_PRESET, VARIANTS, boundsFromText, buildModel, formatBounds } from "./wiring.js";

/** Where the Markdown verdict table goes, under the working directory. */
export const VERDICTS_FILE = join("docs", "verdicts.md");

/** One variant's row of the matrix. */
export interface MatrixRow {
  readonly variant: Variant;
  readonly result: SearchResult;
  readonly outcomes: readonly InvariantOutcome[];
  readonly agreement: Agreement;
  /** Counterexample files written, by invariant name. */
  readonly files: ReadonlyMap<string, string>;
}

/** Everything one matrix run produced. */
export interface MatrixReport {
  readonly bounds: Bounds;
  readonly rows: readonly MatrixRow[];
  readonly outDir: string;
  /** Where docs/verdicts.md is. */
  readonly docsFile: string;
  /** Whether this run wrote it: only at the default bounds, because it documents the default matrix. */
  readonly docsWritten: boolean;
}

const OPTIONS = SEARCH_OPTIONS;

/** Checks every variant, writes counterexamples, and docs/verdicts.md after a complete run at the default bounds: exit 0 when complete, 3 if any variant was not. */
export function matrix(argv: readonly string[], io: Io): Either.Either<number, CliError> {
  return Either.gen(function* () {
    const parsed = yield* parseCommand("matrix", argv, OPTIONS);
    const bounds = yield* boundsFromText(stringOption(parsed, "bounds"));
    const limits = yield* limitsOf(parsed);
    const outDir = resolve(io.cwd, stringOption(parsed, "out") ?? DEFAULT_OUT);
    const rows = matrixRows(bounds, limits, outDir, io);
    const complete = rows.every((r) => r.result.status === "complete");
    const report: MatrixReport = {
      bounds, rows, outDir, docsFile: resolve(io.cwd, VERDICTS_FILE), docsWritten: complete && isDefaultBounds(bounds),
    };
    if (report.docsWritten) writeDocs(report);
    if (parsed.values.json === true) printMatrixJson(io, report);
    else printMatrixText(io, report);
    return complete ? EXIT.ok : EXIT.incomplete;
  });
}

/** Searches every variant at `bounds`, writing each violation's counterexample under `outDir` and removing stale ones. */
export function matrixRows(bounds: Bounds, limits: Limits, outDir: string, io: Io): MatrixRow[] {
  return VARIANTS.map((variant): MatrixRow => {
    const model = buildModel(variant, bounds);
    const reporter = ttyReporter(io.stderr, `matrix ${variant.id}`);
    const result = search(model, { ...limits, reporter });
    const outcomes = classify(model.properties, result.verdicts);
    const files = new Map<string, string>();
    for (const o of outcomes) {
      if (o.kind === "violated") files.set(o.name, writeCounterexample(model, o, { variant: variant.id, bounds, outDir }).file);
      if (o.kind === "holds") removeStale(outDir, variant.id, o.name, bounds);
    }
    return { variant, result, outcomes, agreement: compareExpected(outcomes, variant.expected.fails), files };
  });
}

/** Whether `bounds` are the default preset, the bounds docs/verdicts.md documents. */
export function isDefaultBounds(bounds: Bounds): boolean {
  return formatBounds(bounds) === DEFAULT_PRESET;
}

function writeDocs(report: MatrixReport): void {
  try {
    writeFileAtomic(report.docsFile, matrixMarkdown(report));
  } catch (e) {
    const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new CliFailure(cliError("unwritable-output", `cannot write ${report.docsFile} (${reason})`, "run daxmc matrix from a directory where docs/ is writable"));
  }
}
