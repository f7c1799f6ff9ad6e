/** Search statistics as text. */
import type { SearchResult, SearchStats } from "../core/result.js";
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
    `  states   ${int(stats.distinct)} distinct, ${int(stats.generated)} generated, depth ${stats.depth}, queue peak ${int(stats.queuePeak)}`,
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

/** One line saying where and why an incomplete search stopped, or undefined when it was complete. */
export function formatIncomplete(result: SearchResult): string | undefined {
  if (result.status === "complete") return undefined;
  const s = result.stats;
  const why = result.stopReason ?? "a limit";
  return (
    `incomplete: the search stopped at ${why} after ${int(s.distinct)} distinct states (depth ${s.depth}, ${int(s.queue)} still queued); ` +
    "undecided invariants were neither proved nor refuted"
  );
}
