import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SearchResult } from "../../src/core/result.js";
import { Encoder } from "../../src/core/encoder.js";
import { fingerprint } from "../../src/engine/fingerprint.js";
import { search } from "../../src/engine/search.js";
import { ShardFrontier, shardOf } from "../../src/engine/shard-frontier.js";
import { VisitedSet } from "../../src/engine/visited.js";
import { type Graph, graphArb, graphModel, recordingPops, reference } from "./graph-model.js";

/** One shard's search of `g`: its result, the nodes it popped (checked), the fingerprints it stored, and its roots. */
function shardRun(g: Graph, index: number, count: number, prefixDepth: number, options: Parameters<typeof search>[1] = {}) {
  const { model, popped } = recordingPops(graphModel(g));
  const visited = new VisitedSet();
  const frontier = new ShardFrontier(visited, { index, count, prefixDepth }, 64);
  const result = search(model, options, frontier, visited);
  const stored: string[] = [];
  visited.forEachFingerprint((hi, lo) => stored.push(`${hi}:${lo}`));
  return { result, popped, stored, roots: frontier.roots() };
}

/** The fingerprint of a graph node as the search computes it. */
function fingerprintOf(node: number): { hi: number; lo: number } {
  const enc = new Encoder(8);
  enc.u32(node);
  const fp = new Uint32Array(2);
  fingerprint(enc.view(), fp);
  return { hi: fp[0], lo: fp[1] };
}

/** Steps of each decided verdict, else its kind. */
const lengths = (r: SearchResult): (number | string)[] =>
  r.verdicts.map((v) => (v.kind === "violated" || v.kind === "reached" ? v.path.steps.length : v.kind));

/** A node 0 with eight children 1..8, each with one child 9..16; the bad node 16 is two steps deep. */
const FAN: Graph = {
  nodes: 17,
  edges: [
    ...Array.from({ length: 8 }, (_, i) => ({ from: 0, to: i + 1, enabled: true, kind: 0 })),
    ...Array.from({ length: 8 }, (_, i) => ({ from: i + 1, to: i + 9, enabled: true, kind: 1 })),
  ],
  inits: [0],
  bad: [16],
  target: [9],
  inFlight: [],
};

describe("ShardFrontier", () => {
  it("splits the eight roots at depth 1 of a fan by fingerprint; only the owner checks a root and what lies below it", () => {
    const owners = Array.from({ length: 8 }, (_, i) => shardOf(fingerprintOf(i + 1).lo, 3));
    expect(owners).toEqual([1, 2, 2, 2, 0, 2, 1, 1]);
    const shards = [0, 1, 2].map((s) => shardRun(FAN, s, 3, 1, { stopWhenDecided: false }));
    expect(shards.map((s) => s.roots)).toEqual([{ kept: 1, total: 8 }, { kept: 3, total: 8 }, { kept: 4, total: 8 }]);
    expect(shards.map((s) => s.popped)).toEqual([[0, 5, 13], [0, 1, 7, 8, 9, 15, 16], [0, 2, 3, 4, 6, 10, 11, 12, 14]]);
    // Every shard stores all nine states to depth 1, and the children of its own roots.
    expect(shards.map((s) => s.result.stats.distinct)).toEqual([10, 12, 13]);
    expect(new Set(shards.flatMap((s) => s.stored)).size).toBe(17);
    expect(shards.map((s) => s.result.status)).toEqual(["complete", "complete", "complete"]);
    expect(shards.map((s) => lengths(s.result))).toEqual([["holds", "unreached", "holds"], [2, 2, "holds"], ["holds", "unreached", "holds"]]);
  });

  it("with one shard, or a prefix deeper than the graph, it is plain breadth-first search", () => {
    const plain = search(graphModel(FAN), { stopWhenDecided: false });
    const one = shardRun(FAN, 0, 1, 1, { stopWhenDecided: false });
    const shallow = shardRun(FAN, 1, 3, 5, { stopWhenDecided: false });
    expect([one.roots, shallow.roots]).toEqual([{ kept: 8, total: 8 }, { kept: 0, total: 0 }]);
    for (const run of [one, shallow]) {
      expect(run.result.verdicts).toEqual(plain.verdicts);
      expect(run.result.stats.distinct).toBe(17);
      expect(run.popped).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    }
  });

  it("on random graphs, the shards together check and store exactly the reachable states, and find each shortest path", () => {
    fc.assert(
      fc.property(graphArb(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), (g, count, prefixDepth) => {
        const ref = reference(g);
        const shards = Array.from({ length: count }, (_, s) => shardRun(g, s, count, prefixDepth, { stopWhenDecided: false }));
        const reachable = [...ref.depth.keys()].sort((a, b) => a - b);
        const atPrefix = reachable.filter((n) => ref.depth.get(n) === prefixDepth);
        for (const [s, run] of shards.entries()) {
          expect(run.result.status).toBe("complete");
          // Shallower states are checked by every shard; a root only by its owner.
          for (const n of reachable) if ((ref.depth.get(n) as number) < prefixDepth) expect(run.popped).toContain(n);
          for (const n of atPrefix) expect(run.popped.includes(n)).toBe(shardOf(fingerprintOf(n).lo, count) === s);
          expect(run.roots.total).toBe(atPrefix.length);
          expect(new Set(run.popped).size).toBe(run.popped.length);
        }
        expect([...new Set(shards.flatMap((r) => r.popped))].sort((a, b) => a - b)).toEqual(reachable);
        expect(new Set(shards.flatMap((r) => r.stored)).size).toBe(reachable.length);
        expect(shards.reduce((sum, r) => sum + r.roots.kept, 0)).toBe(atPrefix.length);
        const least = [ref.bad, ref.target, ref.deadlock];
        least.forEach((want, p) => {
          const found = shards.flatMap((r) => {
            const v = r.result.verdicts[p];
            return v.kind === "violated" || v.kind === "reached" ? [v.path.steps.length] : [];
          });
          expect(found.length === 0 ? undefined : Math.min(...found)).toBe(want);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("rejects a shard outside 0..count-1 and a negative or fractional prefix depth", () => {
    const v = new VisitedSet();
    expect(() => new ShardFrontier(v, { index: 3, count: 3, prefixDepth: 1 })).toThrow(RangeError);
    expect(() => new ShardFrontier(v, { index: -1, count: 3, prefixDepth: 1 })).toThrow(RangeError);
    expect(() => new ShardFrontier(v, { index: 0, count: 0, prefixDepth: 1 })).toThrow(RangeError);
    expect(() => new ShardFrontier(v, { index: 0, count: 2, prefixDepth: -1 })).toThrow(RangeError);
    expect(() => new ShardFrontier(v, { index: 0, count: 2, prefixDepth: 1.5 })).toThrow(RangeError);
  });
});
