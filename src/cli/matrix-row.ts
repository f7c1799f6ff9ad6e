/** One variant's row of the matrix, made from its search result the same way whether it was searched in-process or in a worker. */
import type { Model } from "../core/model.js";
import type { SearchResult } from "../core/result.js";
import { type Agreement, compareExpected } from "../report/agreement.js";
import { type InvariantOutcome, classify } from "../report/verdicts.js";
import type { removeStale, writeCounterexample } from "./counterexamples.js";
import { type Bounds, type Variant, expectedFor, isDefaultBounds } from "./wiring.js";

/** One variant's row of the matrix. */
export interface MatrixRow {
  readonly variant: Variant;
  readonly result: SearchResult;
  readonly outcomes: readonly InvariantOutcome[];
  readonly agreement: Agreement;
  /** Counterexample files written, by invariant name. */
  readonly files: ReadonlyMap<string, string>;
}

/** The functions of counterexamples.js, passed in because that module (and effect's Schema) loads only when a matrix runs. */
export interface CounterexampleFiles {
  readonly writeCounterexample: typeof writeCounterexample;
  readonly removeStale: typeof removeStale;
}

/** Where and at what bounds a row's counterexamples go. */
export interface RowContext {
  readonly bounds: Bounds;
  readonly outDir: string;
  readonly files: CounterexampleFiles;
}

/** Classifies `result` of `model` (built from `variant`), writes each violation's counterexample, removes stale ones, and compares with the expectations. */
export function variantRow<S, A>(variant: Variant, model: Model<S, A>, result: SearchResult, context: RowContext): MatrixRow {
  const { bounds, outDir } = context;
  const { removeStale, writeCounterexample } = context.files;
  const outcomes = classify(model.properties, result.verdicts);
  const files = new Map<string, string>();
  for (const o of outcomes) {
    if (o.kind === "violated") files.set(o.name, writeCounterexample(model, o, { variant: variant.id, bounds, outDir }).file);
    if (o.kind === "holds") removeStale(outDir, variant.id, o.name, bounds);
  }
  const agreement = compareExpected(outcomes, (name) => expectedFor(variant, name), isDefaultBounds(bounds));
  return { variant, result, outcomes, agreement, files };
}
