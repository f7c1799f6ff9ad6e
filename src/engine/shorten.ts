/**
 * Shortening what a depth-first search found: its paths are real but seldom shortest, so the
 * properties it decided are searched again breadth-first, only as deep as its longest path.
 */
import type { Model } from "../core/model.js";
import type { PropertyVerdict, SearchOptions, SearchResult } from "../core/result.js";
import { searchAsync } from "./search.js";

/** One decided property's path: as the first search found it, and as breadth-first search shortened it. */
export interface Shortened {
  readonly name: string;
  /** Steps of the path the first search found. */
  readonly found: number;
  /** Steps of the shortest path, or undefined when a limit stopped the breadth-first search first (the found path is kept). */
  readonly shortest: number | undefined;
}

/** `result` with each decided property's path replaced by a shortest one, and what changed. */
export interface ShortenedResult {
  readonly result: SearchResult;
  readonly shortened: readonly Shortened[];
}

/**
 * Re-finds every property `result` decided (violated or reached) with one breadth-first search
 * of those properties alone, to the depth of the longest path found (`maxDepth`), under the
 * limits of `options`. Breadth-first order does not depend on which properties are selected, so
 * each path is exactly the one a plain breadth-first search would have reported, and no longer
 * than the one found. Undecided, holding and unreached verdicts, and the statistics, are kept.
 */
export async function shortenPaths<S, A>(model: Model<S, A>, result: SearchResult, options: SearchOptions = {}): Promise<ShortenedResult> {
  const decided = result.verdicts.flatMap((v) => (v.kind === "violated" || v.kind === "reached" ? [v] : []));
  if (decided.length === 0) return { result, shortened: [] };
  const maxDepth = Math.max(...decided.map((v) => v.path.steps.length));
  const bfs = await searchAsync(model, {
    ...options,
    properties: decided.map((v) => v.name),
    maxDepth,
    stopWhenDecided: true,
    countStates: false,
  });
  const shortestOf = new Map(bfs.verdicts.flatMap((v) => (v.kind === "violated" || v.kind === "reached" ? [[v.name, v.path] as const] : [])));
  const verdicts = result.verdicts.map((v): PropertyVerdict => {
    const path = shortestOf.get(v.name);
    return path !== undefined && (v.kind === "violated" || v.kind === "reached") ? { ...v, path } : v;
  });
  const shortened = decided.map((v) => ({ name: v.name, found: v.path.steps.length, shortest: shortestOf.get(v.name)?.steps.length }));
  return { result: { ...result, verdicts }, shortened };
}
