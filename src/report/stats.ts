/** Search statistics as text. */
import type { SearchResult, SearchStats, StopReason } from "../core/result.js";
import { bytes, int, probability, seconds } from "./format.js";

/**
 * The statistics block: counts, time, hashing, and per action kind how often it fired and how
 * many new states it gave. The visited set is shown as its total size first: its chunks are
 * preallocated, so on a small run bytes/state alone looks alarming.
 */
export function formatStats(stats: SearchStats): string[] {
  const perState = stats.distinct > 0 ? (stats.visitedBytes / stats.distinct).toFixed(1) : "0";
  const lines = [
    "statistics",
    `  states   ${int(stats.distinct)} distinct${folded(stats)}, ${int(stats.generated)} generated${slept(stats)}, depth ${stats.depth}, queue peak ${int(stats.queuePeak)}`,
    `  time     ${seconds(stats.elapsedMs)}, ${int(stats.statesPerSecond)} states/s`,
    `  hashing  fingerprint collision bound ${probability(stats.collisionBound)}, visited set ${bytes(stats.visitedBytes)} (${perState} bytes/state)`,
    "  actions  fired / new states",
  ];
  const fired = stats.perAction.filter((a) => a.fired > 0);
  const width = Math.max(0, ...fired.map((a) => a.kind.length));
  for (const a of fired) lines.push(`    ${a.kind.padEnd(width)}  ${int(a.fired)} / ${int(a.newStates)}`);
  const idle = stats.perAction.filter((a) => a.fired === 0).map((a) => a.kind);
  if (idle.length > 0) lines.push(`    never fired: ${idle.join(", ")}`);
  return lines;
}

/** Why a search stopped, in words. */
export const STOPPED_AT: Readonly<Record<StopReason, string>> = {
  "max-states": "the state limit (--max-states)",
  "max-depth": "the depth limit (--max-depth)",
  timeout: "the time limit (--timeout)",
  interrupted: "an interrupt",
  memory: "the memory limit",
};

/** What would let a search stopped for this reason go further. */
export const STOP_HINT: Readonly<Record<StopReason, string>> = {
  "max-states": "raise --max-states or use smaller --bounds",
  "max-depth": "raise --max-depth or use smaller --bounds",
  timeout: "raise --timeout or use smaller --bounds",
  interrupted: "run it again to completion",
  memory: "give it more with --max-memory (default 80% of RAM) or a larger ulimit -v, or use smaller --bounds",
};

/** One line saying where and why an incomplete search stopped, or undefined when it was complete. */
export function formatIncomplete(result: SearchResult): string | undefined {
  if (result.status === "complete") return undefined;
  const s = result.stats;
  const why = result.stopReason === undefined ? "a limit" : STOPPED_AT[result.stopReason];
  return (
    `incomplete: the search stopped at ${why} after ${int(s.distinct)} distinct states (depth ${s.depth}, ${int(s.queue)} still queued); ` +
    "undecided invariants were neither proved nor refuted"
  );
}

/** What to do about an incomplete search, or undefined when it was complete. */
export function incompleteHint(result: SearchResult): string | undefined {
  if (result.status === "complete") return undefined;
  return result.stopReason === undefined ? "raise the limit or use smaller --bounds" : STOP_HINT[result.stopReason];
}

/** How distinct states were counted when symmetry folded them. */
function folded(stats: SearchStats): string {
  return stats.renamings > 1 ? ` up to renaming (each state compared under ${stats.renamings} renamings of what the model declares alike; --no-symmetry counts every state)` : "";
}

/** How many successors sleep sets left uncomputed, when they did. */
function slept(stats: SearchStats): string {
  if (stats.slept === 0) return "";
  const share = ((100 * stats.slept) / Math.max(1, stats.generated)).toFixed(1);
  return ` (${int(stats.slept)}, ${share}%, not computed: sleep sets, reached in another order; --no-por computes them)`;
}
