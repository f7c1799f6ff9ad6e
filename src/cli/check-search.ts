/**
 * The search behind `check --workers N`: with more than one worker, a build in dist/ (worker
 * threads run compiled JavaScript) and room under `ulimit -v` for the threads, one search whose
 * N threads (fewer when only fewer fit) store the states themselves in shared tables, once it
 * has run a second in this thread; otherwise the in-thread search. Both give the same result but
 * for its times and the bytes held, so the report does not say which ran.
 */
import type { Model } from "../core/model.js";
import type { SearchOptions, SearchResult } from "../core/result.js";
import { searchAsync, searchShared } from "../engine/index.js";
import { daxRecipe } from "./dax-recipe.js";
import { workersThatFit } from "./memory.js";
import { compiledFile } from "./version.js";
import type { Bounds } from "./wiring.js";

/** Milliseconds a search runs in this thread before it starts its workers: starting them takes 0.1 to 0.3 s, more than a small search lasts. */
const SEQUENTIAL_MS = 1000;

/** Which model to search, and over how many worker threads. */
export interface CheckTarget<S, A> {
  readonly model: Model<S, A>;
  readonly variant: string;
  readonly bounds: Bounds;
  readonly workers: number;
}

/** Searches `target.model` with `options`, in `target.workers` threads when it can. */
export async function checkSearch<S, A>(target: CheckTarget<S, A>, options: SearchOptions): Promise<SearchResult> {
  const workers = target.workers > 1 ? workersThatFit(target.workers) : 1;
  const workerFile = workers > 1 ? compiledFile("src/engine/shared-worker.js") : undefined;
  const recipe = workerFile === undefined ? undefined : daxRecipe(target.variant, target.bounds);
  if (workerFile === undefined || recipe === undefined) return searchAsync(target.model, options);
  return searchShared(recipe, options, { workers, workerFile, sequentialMs: SEQUENTIAL_MS });
}
