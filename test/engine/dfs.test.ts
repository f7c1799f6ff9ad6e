import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Model } from "../../src/core/model.js";
import type { PropertyVerdict, SearchResult } from "../../src/core/result.js";
import { DfsFrontier } from "../../src/engine/frontier.js";
import { replaySteps } from "../../src/engine/replay.js";
import { search } from "../../src/engine/search.js";
import { shortenPaths } from "../../src/engine/shorten.js";
import { type Graph, graphArb, graphModel, PROPS, recordingPops, reference } from "./graph-model.js";

/** The path of a decided verdict, replayed to its last node; undefined for the other verdicts. */
function lastNode(model: Model<number, number>, v: PropertyVerdict): number | undefined {
  if (v.kind !== "violated" && v.kind !== "reached") return undefined;
  const replay = replaySteps(model, v.path.init, v.path.steps);
  if (!replay.ok) throw new Error(`path does not replay: ${replay.error.detail}`);
  return replay.states[replay.states.length - 1];
}

const lengths = (r: SearchResult): (number | string)[] =>
  r.verdicts.map((v) => (v.kind === "violated" || v.kind === "reached" ? v.path.steps.length : v.kind));

/** 0 -> 1 -> 3 is the short way to the bad node 3; depth-first goes 0 -> 2 -> 4 -> 5 -> 3 first. */
const DETOUR: Graph = {
  nodes: 6,
  edges: [[0, 1], [0, 2], [1, 3], [2, 4], [4, 5], [5, 3]].map(([from, to]) => ({ from, to, enabled: true, kind: 0 })),
  inits: [0],
  bad: [3],
  target: [5],
  inFlight: [],
};

describe("depth-first search with the same loop", () => {
  it("pops the newest state first, and finds the bad node at the end of its detour", () => {
    const { model, popped } = recordingPops(graphModel(DETOUR));
    const result = search(model, { stopWhenDecided: false }, new DfsFrontier());
    expect(popped).toEqual([0, 2, 4, 5, 3, 1]);
    expect(result.status).toBe("complete");
    expect(result.stats.distinct).toBe(6);
    expect(result.stats.depth).toBe(4);
    expect(lengths(result)).toEqual([4, 3, "holds"]);
    expect(result.verdicts[0].kind === "violated" && result.verdicts[0].path.labels).toEqual(["e1:0->2", "e3:2->4", "e4:4->5", "e5:5->3"]);
  });

  it("shortenPaths re-finds each decided property breadth-first to the depth found: 4 steps become 2", async () => {
    const model = graphModel(DETOUR);
    const dfs = search(model, {}, new DfsFrontier());
    const { result, shortened } = await shortenPaths(model, dfs);
    expect(shortened).toEqual([
      { name: PROPS.always, found: 4, shortest: 2 },
      { name: PROPS.sometimes, found: 3, shortest: 3 },
    ]);
    expect(lengths(result)).toEqual([2, 3, "holds"]);
    expect(result.verdicts[0].kind === "violated" && result.verdicts[0].path.labels).toEqual(["e0:0->1", "e2:1->3"]);
    expect(result.stats).toBe(dfs.stats);
    expect(search(model).verdicts).toEqual(result.verdicts);
  });

  it("keeps the path found when a limit stops the breadth-first search first", async () => {
    const model = graphModel(DETOUR);
    const dfs = search(model, {}, new DfsFrontier());
    const { result, shortened } = await shortenPaths(model, dfs, { maxStates: 0 });
    expect(shortened.map((s) => s.shortest)).toEqual([undefined, undefined]);
    expect(result.verdicts).toEqual(dfs.verdicts);
  });

  it("on random graphs: the same states, generated successors and verdicts as breadth-first; shortened paths are the shortest", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb(), async (g) => {
        const model = graphModel(g);
        const ref = reference(g);
        const dfs = search(model, { stopWhenDecided: false }, new DfsFrontier(64));
        const bfs = search(model, { stopWhenDecided: false });
        expect(dfs.status).toBe("complete");
        expect(dfs.stats.distinct).toBe(ref.depth.size);
        expect(dfs.stats.generated).toBe(bfs.stats.generated);
        expect(dfs.verdicts.map((v) => v.kind)).toEqual(bfs.verdicts.map((v) => v.kind));
        const ends = [(n: number) => g.bad.includes(n), (n: number) => g.target.includes(n), (n: number) => g.inFlight.includes(n)];
        dfs.verdicts.forEach((v, i) => {
          const last = lastNode(model, v);
          if (last !== undefined) expect(ends[i](last)).toBe(true);
        });
        const { result } = await shortenPaths(model, dfs);
        expect(lengths(result)).toEqual(lengths(bfs));
        expect(result.verdicts).toEqual(bfs.verdicts);
      }),
      { numRuns: 200 },
    );
  });
});
