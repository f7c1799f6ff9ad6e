/** What `merge` prints: `check`'s verdicts and counterexamples, then the shards and the merged count; or one JSON document. */
import { bytes, int, probability, seconds } from "../report/format.js";
import { STOPPED_AT, STOP_HINT } from "../report/stats.js";
import { type VerdictReport, outcomeJson, printBriefVerdicts, printResultLines, printVerdicts } from "./check-output.js";
import { type Io, printAll, println } from "./io.js";
import type { MergedVerdict } from "./merge-verdicts.js";
import { shown } from "./out-dir.js";
import type { LoadedShard } from "./shard-file.js";
import { toolName } from "./version.js";
import { type Bounds, type Variant, describeBounds } from "./wiring.js";

/** Everything one merge produced. */
export interface MergeReport<S, A> extends VerdictReport<S, A> {
  readonly variant: Variant;
  readonly bounds: Bounds;
  /** The shard results, sorted by shard number. */
  readonly shards: readonly LoadedShard[];
  readonly merged: readonly MergedVerdict[];
  /** Distinct fingerprints over all shards. */
  readonly distinct: number;
  /** Every shard completed its part, or every property was decided. */
  readonly complete: boolean;
}

/** Headline, verdicts and counterexamples as `check` prints them, the shards, the merged count, and the result lines. */
export function printMergeText<S, A>(io: Io, r: MergeReport<S, A>): void {
  const out = io.stdout;
  const first = r.shards[0].result;
  const invariant = first.invariant === null ? "" : `, invariant ${first.invariant}`;
  println(out, `${toolName()}: merge of ${r.shards.length} shards of check ${r.variant.id} at bounds ${describeBounds(r.bounds)}${invariant}, prefix depth ${first.prefixDepth}`);
  println(out, `  models ${r.variant.kernel}`, "");
  printVerdicts(io, r, (name) => {
    const shard = r.merged.find((m) => m.verdict.name === name)?.shard;
    return shard === undefined ? undefined : `the shortest of the ${r.shards.length} shards' counterexamples, found by shard ${shard}/${r.shards.length}`;
  });
  println(out, "");
  printAll(out, shardLines(io, r));
  println(out, "");
  printResultLines(io, r, incompleteLine(r));
}

/** One line per shard, then the merged count, its hashing bound and the time. */
function shardLines<S, A>(io: Io, r: MergeReport<S, A>): string[] {
  const n = r.shards.length;
  const width = Math.max(...r.shards.map((s) => shown(io.cwd, s.file).length));
  const lines = ["shards"];
  for (const { file, result: s } of r.shards) {
    const status = s.status === "complete" ? (s.exhausted ? "complete" : "complete (stopped once every property was decided)") : `incomplete (${s.stopReason ?? "a limit"})`;
    lines.push(`  ${`${s.shard}/${n}`.padEnd(String(n).length * 2 + 1)}  ${shown(io.cwd, file).padEnd(width)}  ${status}, ${int(s.stats.distinct)} states stored, ${int(s.roots.kept)} of ${int(s.roots.total)} roots, depth ${s.stats.depth}, ${seconds(s.stats.elapsedMs)}`);
  }
  const stored = r.shards.reduce((sum, s) => sum + s.result.stats.distinct, 0);
  const partial = r.shards.find((s) => !s.result.exhausted);
  const exact = partial === undefined ? "exact: every shard explored all of its part" : `at least: shard ${partial.result.shard}/${n} did not explore all of its part`;
  const times = r.shards.map((s) => s.result.stats.elapsedMs);
  lines.push(
    "merged",
    `  states   ${int(r.distinct)} distinct: the union of the shards' ${int(stored)} stored fingerprints (${exact})`,
    `  hashing  fingerprint collision bound ${probability((r.distinct * (r.distinct - 1)) / 2 ** 65)}; the fingerprints took ${bytes(stored * 8)} on disk`,
    `  time     ${seconds(Math.max(...times))} for the slowest shard, ${seconds(times.reduce((a, b) => a + b, 0))} in all`,
  );
  return lines;
}

/** Which shard stopped short and what would help, or undefined when the merge is complete. */
function incompleteLine<S, A>(r: MergeReport<S, A>): string | undefined {
  if (r.complete) return undefined;
  const short = r.shards.filter((s) => s.result.status === "incomplete").map((s) => s.result);
  const first = short[0];
  const why = first.stopReason === null ? "a limit" : STOPPED_AT[first.stopReason];
  const hint = first.stopReason === null ? "raise the limit or use smaller --bounds" : STOP_HINT[first.stopReason];
  const which = short.map((s) => `${s.shard}/${r.shards.length}`).join(", ");
  return `incomplete: shard ${which} stopped before exploring all of its part (${why}); undecided invariants were neither proved nor refuted; ${hint}, and re-run that shard`;
}

/** One line per verdict (with the counterexample's file), then the result lines. */
export function printMergeBrief<S, A>(io: Io, r: MergeReport<S, A>): void {
  printBriefVerdicts(io, r);
  printResultLines(io, r, incompleteLine(r));
}

/** The same as one JSON document: verdicts with paths as labels and the shard each came from, the shards, the merged count. */
export function printMergeJson<S, A>(io: Io, r: MergeReport<S, A>): void {
  const first = r.shards[0].result;
  const doc = {
    tool: toolName(),
    command: "merge",
    variant: r.variant.id,
    bounds: r.bounds,
    invariant: first.invariant,
    prefixDepth: first.prefixDepth,
    shards: r.shards.length,
    status: r.complete ? "complete" : "incomplete",
    distinct: r.distinct,
    distinctExact: r.shards.every((s) => s.result.exhausted),
    verdicts: r.outcomes.map((o) => {
      const w = r.written.find((x) => x.name === o.name);
      const shard = r.merged.find((m) => m.verdict.name === o.name)?.shard ?? null;
      return { ...outcomeJson(o, w === undefined ? undefined : shown(io.cwd, w.file)), shard };
    }),
    shardResults: r.shards.map(({ file, result: s }) => ({
      file: shown(io.cwd, file), shard: s.shard, status: s.status, stopReason: s.stopReason, exhausted: s.exhausted,
      distinct: s.stats.distinct, roots: s.roots, depth: s.stats.depth, elapsedMs: s.stats.elapsedMs,
    })),
    removedStale: r.stale.map((f) => shown(io.cwd, f)),
  };
  io.stdout.write(JSON.stringify(doc, null, 2) + "\n");
}
