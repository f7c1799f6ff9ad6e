/** `daxmc matrix [--bounds B] [--out DIR] [--json] [--workers N] [limits]`: every variant against every invariant, as a report. */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as Either from "effect/Either";
import { searchAsync } from "../engine/index.js";
import { progressReporter } from "../report/progress.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { type Limits, parseCommand, stringOption } from "./args.js";
import { SEARCH_OPTIONS, type SearchSetup, searchSetup } from "./check.js";
import { invariantsMarkdown, writeInvariantsDoc } from "./docs.js";
import { reasonOf } from "./out-dir.js";
import { CliFailure, type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import type { Io } from "./io.js";
import { matrixMarkdown, printMatrixJson, printMatrixText } from "./matrix-output.js";
import { matrixRowsInWorkers } from "./matrix-parallel.js";
import { matrixWorkerFile } from "./matrix-pool.js";
import { type MatrixRow, variantRow } from "./matrix-row.js";
import { parseWorkers } from "./workers.js";
import { type Bounds, VARIANTS, buildModel, isDefaultBounds } from "./wiring.js";

export type { MatrixRow } from "./matrix-row.js";

/** Where the Markdown verdict table goes, under the working directory. */
export const VERDICTS_FILE = join("docs", "verdicts.md");

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

/** `matrix` takes the search options, --md for the Markdown table on stdout, and --workers. */
const OPTIONS = { ...SEARCH_OPTIONS, md: { type: "boolean" }, workers: { type: "string" } } as const;

/**
 * Checks every variant, writes counterexamples, and docs/verdicts.md after a complete run at the
 * default bounds: exit 0 when complete, 3 if a limit or an interrupt stopped any variant (an
 * interrupt also skips the variants not yet begun; the report shows those finished).
 */
export async function matrix(argv: readonly string[], io: Io): Promise<Either.Either<number, CliError>> {
  const setup = Either.gen(function* () {
    const parsed = yield* parseCommand("matrix", argv, OPTIONS);
    const workers = yield* parseWorkers(stringOption(parsed, "workers"));
    const search = yield* searchSetup(parsed, io);
    return { parsed, search, workers };
  });
  if (Either.isLeft(setup)) return Either.left(setup.left);
  const { parsed, search, workers } = setup.right;
  const { bounds, outDir } = search;
  const docsFile = resolve(io.cwd, VERDICTS_FILE);
  if (isDefaultBounds(bounds)) {
    const docs = checkDocsWritable(docsFile);
    if (Either.isLeft(docs)) return Either.left(docs.left);
  }
  const rows = await searchRows(search, workers, io);
  const complete = rows.length === VARIANTS.length && rows.every((r) => r.result.status === "complete");
  const report: MatrixReport = { bounds, rows, outDir, docsFile, docsWritten: complete && isDefaultBounds(bounds) };
  // The report first: a failure writing docs/ must not throw away minutes of search.
  if (parsed.values.json === true) printMatrixJson(io, report);
  else if (parsed.values.md === true) io.stdout.write(matrixMarkdown(report));
  else printMatrixText(io, report);
  if (report.docsWritten) writeDocs(report);
  return Either.right(complete ? EXIT.ok : EXIT.incomplete);
}

/**
 * The rows, from `workers` worker threads when that is more than one and dist/ has the worker
 * (under vitest without a build, or with one variant, the same searches run in this thread).
 */
async function searchRows(search: SearchSetup, workers: number, io: Io): Promise<MatrixRow[]> {
  const workerFile = workers > 1 && VARIANTS.length > 1 ? matrixWorkerFile() : undefined;
  if (workerFile === undefined) return matrixRows(search.bounds, search.limits, search.outDir, io);
  return matrixRowsInWorkers({ ...search, workers, workerFile }, io);
}

/** Searches every variant at `bounds` in this thread (stopping after the current one on an interrupt), writing counterexamples and removing stale ones. */
export async function matrixRows(bounds: Bounds, limits: Limits, outDir: string, io: Io): Promise<MatrixRow[]> {
  const files = await import("./counterexamples.js");
  const rows: MatrixRow[] = [];
  for (const variant of VARIANTS) {
    if (io.signal?.aborted === true) break;
    const model = buildModel(variant, bounds);
    const reporter = progressReporter(io.stderr, `matrix ${variant.id}`);
    const result = await searchAsync(model, { ...limits, reporter, signal: io.signal });
    rows.push(variantRow(variant, model, result, { bounds, outDir, files }));
  }
  return rows;
}

/** Whether docs/verdicts.md can be written (its folder, or the nearest folder above it that exists), asked before the search. */
function checkDocsWritable(docsFile: string): Either.Either<void, CliError> {
  let dir = dirname(docsFile);
  try {
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    accessSync(dir, constants.W_OK);
    return Either.right(undefined);
  } catch (e) {
    return Either.left(cliError("unwritable-output", `cannot write ${docsFile} (${reasonOf(e)})`, "run daxmc matrix from a directory where docs/ is writable"));
  }
}

/** docs/verdicts.md, then docs/invariants.md beside it (which lists the counterexamples just written). */
function writeDocs(report: MatrixReport): void {
  const docsDir = dirname(report.docsFile);
  writeInvariantsDoc(join(docsDir, "invariants.md"), invariantsMarkdown(report.outDir, docsDir));
  try {
    writeFileAtomic(report.docsFile, matrixMarkdown(report));
  } catch (e) {
    throw new CliFailure(cliError("unwritable-output", `cannot write ${report.docsFile} (${reasonOf(e)})`, "run daxmc matrix from a directory where docs/ is writable"));
  }
}
