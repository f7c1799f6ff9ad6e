import { describe, expect, it } from "vitest";
import { mergeVerdicts, mergedComplete } from "../../src/cli/merge-verdicts.js";
import type { ShardResult, ShardVerdict } from "../../src/cli/shard-file.js";

/** A decided verdict whose path is `length` steps of action 0. */
const decided = (name: string, kind: "violated" | "reached", length: number): ShardVerdict => ({
  name, kind, length, path: { init: 0, steps: Array(length).fill(0), labels: Array(length).fill(`step-${length}`) },
});
const plain = (name: string, kind: "holds" | "unreached" | "undecided"): ShardVerdict => ({ name, kind });

/** Shard `shard` of 3 with these verdicts, complete unless `incomplete`. */
function shard(shard: number, verdicts: readonly ShardVerdict[], incomplete = false): ShardResult {
  return {
    format: "daxmc-shard", version: 1, tool: "daxmc test", spec: null, variant: "v", bounds: "tiny", invariant: null,
    shard, shards: 3, prefixDepth: 3, symmetry: true,
    status: incomplete ? "incomplete" : "complete", stopReason: incomplete ? "timeout" : null, exhausted: !incomplete,
    roots: { kept: 1, total: 3 }, stats: { distinct: 10, generated: 20, depth: 5, elapsedMs: 1 },
    verdicts, fingerprints: { file: `s${shard}.json.fp64`, count: 10, sha256: "0".repeat(64) },
  };
}

const summary = (shards: readonly ShardResult[]) =>
  mergeVerdicts(shards).map((m) => [m.verdict.name, m.verdict.kind, m.verdict.kind === "violated" || m.verdict.kind === "reached" ? m.verdict.path.steps.length : null, m.shard ?? null]);

describe("mergeVerdicts", () => {
  it("a violation or a reached partner in any shard is one, with the shortest path over the shards, ties to the lowest shard", () => {
    const shards = [
      shard(1, [decided("a", "violated", 6), plain("b", "holds"), decided("c", "violated", 4), plain("p", "unreached")]),
      shard(2, [decided("a", "violated", 5), decided("b", "violated", 9), decided("c", "violated", 5), decided("p", "reached", 7)]),
      shard(3, [decided("a", "violated", 5), plain("b", "holds"), decided("c", "violated", 4), decided("p", "reached", 3)]),
    ];
    expect(summary(shards)).toEqual([
      ["a", "violated", 5, 2],
      ["b", "violated", 9, 2],
      ["c", "violated", 4, 1],
      ["p", "reached", 3, 3],
    ]);
    expect(mergedComplete(shards, mergeVerdicts(shards))).toBe(true);
  });

  it("holds or unreached only when every shard completed its part; else undecided, and the merge incomplete", () => {
    const verdicts = [plain("a", "holds"), plain("p", "unreached")];
    const complete = [shard(1, verdicts), shard(2, verdicts), shard(3, verdicts)];
    expect(summary(complete)).toEqual([["a", "holds", null, null], ["p", "unreached", null, null]]);
    expect(mergedComplete(complete, mergeVerdicts(complete))).toBe(true);
    const cut = [shard(1, verdicts), shard(2, [plain("a", "undecided"), plain("p", "undecided")], true), shard(3, verdicts)];
    expect(summary(cut)).toEqual([["a", "undecided", null, null], ["p", "undecided", null, null]]);
    expect(mergedComplete(cut, mergeVerdicts(cut))).toBe(false);
  });

  it("an incomplete shard does not stop a violation found elsewhere; the merge is complete once every property is decided", () => {
    const shards = [
      shard(1, [plain("a", "undecided"), plain("p", "undecided")], true),
      shard(2, [decided("a", "violated", 8), plain("p", "unreached")]),
      shard(3, [plain("a", "holds"), decided("p", "reached", 2)]),
    ];
    expect(summary(shards)).toEqual([["a", "violated", 8, 2], ["p", "reached", 2, 3]]);
    expect(mergedComplete(shards, mergeVerdicts(shards))).toBe(true);
    const undecided = [shards[0], shards[1], shard(3, [plain("a", "holds"), plain("p", "unreached")])];
    expect(summary(undecided)).toEqual([["a", "violated", 8, 2], ["p", "undecided", null, null]]);
    expect(mergedComplete(undecided, mergeVerdicts(undecided))).toBe(false);
  });
});
