/**
 * The verdicts of a split check, from its shards' verdicts: a violation (or a reached
 * `sometimes`) in any shard is one, with the shortest path over the shards (ties: the lowest
 * shard); holds (or unreached) only when every shard completed its part; otherwise undecided.
 */
import type { PropertyVerdict } from "../core/result.js";
import type { ShardResult } from "./shard-file.js";

/** One property's verdict over the shards, and which shard's path it carries (1-based), if it has one. */
export interface MergedVerdict {
  readonly verdict: PropertyVerdict;
  readonly shard: number | undefined;
}

/** The merged verdict of each property, in the shards' order; `shards` are one complete set, sorted by shard number. */
export function mergeVerdicts(shards: readonly ShardResult[]): MergedVerdict[] {
  const allComplete = shards.every((s) => s.status === "complete");
  return shards[0].verdicts.map((_, p) => mergeOne(shards, p, allComplete));
}

/** Whether the merged search is complete: every shard completed its part, or every property was decided somewhere. */
export function mergedComplete(shards: readonly ShardResult[], merged: readonly MergedVerdict[]): boolean {
  return shards.every((s) => s.status === "complete") || merged.every((m) => m.verdict.kind === "violated" || m.verdict.kind === "reached");
}

function mergeOne(shards: readonly ShardResult[], p: number, allComplete: boolean): MergedVerdict {
  let best: MergedVerdict | undefined;
  for (const s of shards) {
    const v = s.verdicts[p];
    if ((v.kind === "violated" || v.kind === "reached") && (best === undefined || v.length < lengthOf(best.verdict))) {
      best = { verdict: { kind: v.kind, name: v.name, path: v.path }, shard: s.shard };
    }
  }
  if (best !== undefined) return best;
  const { name, kind } = shards[0].verdicts[p];
  if (!allComplete) return { verdict: { kind: "undecided", name }, shard: undefined };
  return { verdict: { kind: kind === "unreached" ? "unreached" : "holds", name }, shard: undefined };
}

function lengthOf(v: PropertyVerdict): number {
  return v.kind === "violated" || v.kind === "reached" ? v.path.steps.length : Infinity;
}
