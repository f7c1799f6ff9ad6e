/**
 * The shared search against the sequential one on toy graphs: every field of the result but
 * the times and the bytes held (elapsedMs, statesPerSecond, visitedBytes) is equal, queue and
 * queuePeak included, whatever the run size, the table's first size (it grows many times) and
 * whether the levels run in this thread or in 2 or 3 worker threads.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/core/recipe.js";
import type { SearchOptions, SearchResult } from "../../src/core/result.js";
import { compiledFile } from "../../src/cli/version.js";
import { runningSearchWorkers } from "../../src/engine/search-workers.js";
import { search } from "../../src/engine/search.js";
import { searchShared } from "../../src/engine/shared-search.js";
import { type Graph, graphArb, graphModel, PROPS } from "./graph-model.js";
import { brokenGraph, counters, graphJson, throwingGraph, toyRecipe } from "./graph-recipe.js";

/** The compiled worker: these tests need dist/ (npm test builds it) and must not pass without threads. */
function workerFile(): string {
  const file = compiledFile("src/engine/shared-worker.js");
  if (file === undefined) throw new Error("dist/src/engine/shared-worker.js is missing: run npx tsc -p tsconfig.json first");
  return file;
}

/** A result without its times and bytes held, the only fields a shared search may differ in. */
function comparable(r: SearchResult): unknown {
  const { elapsedMs: _e, statesPerSecond: _s, visitedBytes: _b, ...stats } = r.stats;
  return { ...r, stats };
}

/** Limits and selections a search may be given, each possibly absent. */
const optionsArb: fc.Arbitrary<SearchOptions> = fc.record(
  {
    maxStates: fc.nat({ max: 30 }),
    maxDepth: fc.nat({ max: 6 }),
    properties: fc.subarray([PROPS.always, PROPS.sometimes, PROPS.deadlock]),
    stopWhenDecided: fc.boolean(),
    countStates: fc.boolean(),
    symmetry: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** A fan: node 0 leads to nodes 1..8, each of which leads to node 9. */
const FAN: Graph = {
  nodes: 10,
  edges: [
    ...Array.from({ length: 8 }, (_, i) => ({ from: 0, to: i + 1, enabled: true, kind: 0 })),
    ...Array.from({ length: 8 }, (_, i) => ({ from: i + 1, to: 9, enabled: true, kind: 1 })),
  ],
  inits: [0],
  bad: [3],
  target: [9],
  inFlight: [9],
};

/** The shared search of `g` in this thread alone (it never starts a thread). */
function inThread(g: Graph, options: SearchOptions, run: number, tableSlots: number): Promise<SearchResult> {
  return searchShared(toyRecipe("graphFromArgs", graphJson(g)), options, { workers: 1, workerFile: "never-started.js", sequentialMs: Infinity, run, tableSlots, chunkBytes: 16 });
}

/** The shared search of a throwing graph in this thread alone. */
function inThread2(args: { readonly graph: Json; readonly propertyThrowsAt: number; readonly encodingThrowsAt: readonly number[] }, options: SearchOptions): Promise<SearchResult> {
  return searchShared(toyRecipe("throwingGraph", args), options, { workers: 1, workerFile: "never-started.js", sequentialMs: Infinity, run: 1 });
}

describe("a shared search in this thread gives the sequential search's result", () => {
  it("on a fan, with runs of 1, 2 and 3 parents", async () => {
    for (const run of [1, 2, 3]) {
      const result = await inThread(FAN, { stopWhenDecided: false }, run, 16);
      expect(comparable(result)).toEqual(comparable(search(graphModel(FAN), { stopWhenDecided: false })));
      expect([result.stats.distinct, result.stats.generated, result.stats.queuePeak]).toEqual([10, 16, 8]);
    }
  });

  it("on a wide graph whose level table grows in the middle of a level, between runs of 1 parent", async () => {
    // 30 initial states (level 0, from which nothing is expected), each leading to 2 nodes of its own: level 0 stores 60 states two at a time.
    const wide: Graph = {
      nodes: 90,
      edges: Array.from({ length: 60 }, (_, i) => ({ from: i >> 1, to: 30 + i, enabled: true, kind: i & 1 })),
      inits: Array.from({ length: 30 }, (_, i) => i),
      bad: [75],
      target: [89],
      inFlight: [],
    };
    for (const options of [{ stopWhenDecided: false }, {}, { maxStates: 40 }]) {
      const result = await inThread(wide, options, 1, 16);
      expect(comparable(result)).toEqual(comparable(search(graphModel(wide), options)));
    }
    expect((await inThread(wide, { stopWhenDecided: false }, 1, 16)).stats.distinct).toBe(90);
  });

  it("stops where the last property is decided, in the level after another one's decision", async () => {
    // Node 1 (initial) is the target; 5 is bad and stuck; the search stops at 5 without expanding 0.
    const g: Graph = {
      nodes: 7,
      edges: [
        { from: 1, to: 5, enabled: true, kind: 0 },
        { from: 1, to: 0, enabled: true, kind: 0 },
        { from: 0, to: 6, enabled: true, kind: 1 },
      ],
      inits: [1],
      bad: [5],
      target: [1],
      inFlight: [5],
    };
    const result = await inThread(g, {}, 1, 64);
    expect(comparable(result)).toEqual(comparable(search(graphModel(g), {})));
    expect([result.stats.generated, result.stats.distinct]).toEqual([2, 3]);
  });

  it("when one run fills the table, expands the level again from a table twice the size", async () => {
    // Node 0 leads to nodes 1..8, and each of those to 20 nodes of its own: one run of 8 parents stores 160 states.
    const g: Graph = {
      nodes: 169,
      edges: [...Array.from({ length: 8 }, (_, i) => ({ from: 0, to: i + 1, enabled: true, kind: 0 })), ...Array.from({ length: 160 }, (_, i) => ({ from: 1 + Math.floor(i / 20), to: 9 + i, enabled: true, kind: 1 }))],
      inits: [0],
      bad: [100],
      target: [168],
      inFlight: [],
    };
    for (const options of [{ stopWhenDecided: false }, { maxStates: 50 }]) {
      const one = comparable(search(graphModel(g), options));
      expect(comparable(await inThread(g, options, 8, 16))).toEqual(one);
      const threads = await searchShared(toyRecipe("graphFromArgs", graphJson(g)), options, { workers: 2, workerFile: workerFile(), run: 8, tableSlots: 16 });
      expect(comparable(threads)).toEqual(one);
    }
  });

  it("throws what a property throws only where the one thread still evaluates it (undecided there)", async () => {
    const graph = graphJson(FAN);
    // never-bad is violated at node 3 and throws at node 5, later in the same level.
    const late = { graph, propertyThrowsAt: 5, encodingThrowsAt: [] };
    expect(comparable(await inThread2(late, {}))).toEqual(comparable(search(throwingGraph({ ...late, graph: FAN }), {})));
    expect(comparable(await inThread2(late, { stopWhenDecided: false }))).toEqual(comparable(search(throwingGraph({ ...late, graph: FAN }), { stopWhenDecided: false })));
    // At node 2, before node 3 decides it, it throws in both.
    const early = { graph, propertyThrowsAt: 2, encodingThrowsAt: [] };
    expect(() => search(throwingGraph({ ...early, graph: FAN }), {})).toThrow("never-bad cannot look at 2");
    await expect(inThread2(early, {})).rejects.toThrow("never-bad cannot look at 2");
    // In threads taking one parent at a time, node 5 may be looked at before node 3 decides the property.
    for (let i = 0; i < 5; i++) {
      const threads = await searchShared(toyRecipe("throwingGraph", late), {}, { workers: 2, workerFile: workerFile(), run: 1 });
      expect(comparable(threads)).toEqual(comparable(search(throwingGraph({ ...late, graph: FAN }), {})));
    }
  });

  it("at the depth limit, throws what an encoding throws only before the limit first cut a state off", async () => {
    // Depth 1 (the limit) holds nodes 1 and 2: node 1 leads to a state the limit cuts off, node 2 to one that cannot be encoded.
    const fork = (cutOff: number, unencodable: number): Graph => ({
      nodes: 5,
      edges: [
        { from: 0, to: 1, enabled: true, kind: 0 },
        { from: 0, to: 2, enabled: true, kind: 0 },
        { from: 1, to: cutOff, enabled: true, kind: 1 },
        { from: 2, to: unencodable, enabled: true, kind: 1 },
      ],
      inits: [0],
      bad: [],
      target: [],
      inFlight: [],
    });
    // Node 1 cuts a state off first, so the one thread never encodes node 4; swapped, it encodes it first and throws.
    for (const [g, outcome] of [[fork(3, 4), "max-depth"], [{ ...fork(3, 4), edges: fork(3, 4).edges.map((e) => (e.from === 0 ? { ...e, to: 3 - e.to } : e)) }, "cannot encode 4"]] as const) {
      const args = { graph: graphJson(g), propertyThrowsAt: -1, encodingThrowsAt: [4] };
      const one = (): Promise<unknown> => Promise.resolve().then(() => comparable(search(throwingGraph({ ...args, graph: g }), { maxDepth: 1 })));
      const expected = await one().catch((e: Error) => e.message);
      expect(typeof expected === "string" ? expected : (expected as SearchResult).stopReason).toBe(outcome);
      expect(await inThread2(args, { maxDepth: 1 }).then(comparable, (e: Error) => e.message)).toEqual(expected);
      for (let i = 0; i < 5; i++) {
        const got = await searchShared(toyRecipe("throwingGraph", args), { maxDepth: 1 }, { workers: 2, workerFile: workerFile(), run: 1 }).then(comparable, (e: Error) => e.message);
        expect(got).toEqual(expected);
      }
    }
  });

  it("on 400 random graphs with random limits and selections, any run size and a table that grows", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb(), optionsArb, fc.integer({ min: 1, max: 5 }), fc.constantFrom(4, 8, 64), async (g, options, run, slots) => {
        const result = await inThread(g, options, run, slots);
        expect(comparable(result)).toEqual(comparable(search(graphModel(g), options)));
      }),
      { numRuns: 400, seed: 13 },
    );
  });
});

describe("a shared search in worker threads gives the sequential search's result", () => {
  it("on 40 random graphs, with 2 or 3 workers and tables of 4 slots that grow", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb(), optionsArb, fc.constantFrom(2, 3), fc.constantFrom(1, 2, 64), async (g, options, workers, run) => {
        const result = await searchShared(toyRecipe("graphFromArgs", graphJson(g)), options, { workers, workerFile: workerFile(), run, tableSlots: 4, chunkBytes: 16 });
        expect(comparable(result)).toEqual(comparable(search(graphModel(g), options)));
        expect(runningSearchWorkers()).toBe(0);
      }),
      { numRuns: 40, seed: 13 },
    );
  });

  it("on a tree whose states lead back to their parents, looked up in a stored table grown level by level", async () => {
    // Node i leads to 2i + 1 and 2i + 2 and back to its parent: every level looks up states of the level before in a stored table grown since.
    const tree: Graph = {
      nodes: 63,
      edges: Array.from({ length: 63 }, (_, i) => [
        ...(2 * i + 2 < 63 ? [{ from: i, to: 2 * i + 1, enabled: true, kind: 0 }, { from: i, to: 2 * i + 2, enabled: true, kind: 0 }] : []),
        ...(i > 0 ? [{ from: i, to: (i - 1) >> 1, enabled: true, kind: 1 }] : []),
      ]).flat(),
      inits: [0],
      bad: [62],
      target: [40],
      inFlight: [],
    };
    for (const options of [{ stopWhenDecided: false }, {}]) {
      const result = await searchShared(toyRecipe("graphFromArgs", graphJson(tree)), options, { workers: 2, workerFile: workerFile(), run: 1, tableSlots: 4, chunkBytes: 16 });
      expect(comparable(result)).toEqual(comparable(search(graphModel(tree), options)));
    }
    expect(search(graphModel(tree), { stopWhenDecided: false }).stats.distinct).toBe(63);
  });

  it("throws what the sequential search throws when the model breaks its contract, and only if the search gets that far", async () => {
    const graph = graphJson(FAN);
    const recipe = toyRecipe("brokenGraph", { graph, brokenAt: 5 });
    const broken = brokenGraph({ graph: FAN, brokenAt: 5 });
    const shared = { workers: 2, workerFile: workerFile(), run: 1 };
    const why = "search: actionKind 99 is not an index into actionKinds (3)";
    expect(() => search(broken, {})).toThrow(why);
    await expect(searchShared(recipe, {}, shared)).rejects.toThrow(why);
    // Node 3 violates never-bad before node 5 is expanded, though a worker expanded node 5.
    const early = { properties: [PROPS.always] };
    expect(comparable(await searchShared(recipe, early, shared))).toEqual(comparable(search(broken, early)));
    expect(runningSearchWorkers()).toBe(0);
  });

  it("skips properties by footprint as the one thread does, and only where it does", async () => {
    for (const wrongReads of [false, true]) {
      const args = { k: 3, top: 3, wrongReads };
      const recipe = toyRecipe("counters", args);
      const one = comparable(search(counters(args), {}));
      const shared = { workers: 2, workerFile: workerFile(), sequentialMs: 0, run: 1, tableSlots: 4 };
      expect(comparable(await searchShared(recipe, {}, shared))).toEqual(one);
      expect(comparable(await searchShared(recipe, {}, { ...shared, workers: 1, sequentialMs: Infinity }))).toEqual(one);
      const all = comparable(search(counters(args), { footprints: false }));
      expect(comparable(await searchShared(recipe, { footprints: false }, shared))).toEqual(all);
      // A footprint that leaves out the byte its property reads loses the violation: the workers skip for real.
      const violated = (r: unknown): boolean => (r as SearchResult).verdicts[0].kind === "violated";
      expect(violated(one)).toBe(!wrongReads);
      expect(violated(all)).toBe(true);
    }
  });

  it("rejects a recipe whose module has no such export, leaving no thread behind", async () => {
    const recipe = { ...toyRecipe("graphFromArgs", graphJson(FAN)), exportName: "nothing" };
    await expect(searchShared(recipe, {}, { workers: 2, workerFile: workerFile() })).rejects.toThrow(/exports no function nothing/);
    expect(runningSearchWorkers()).toBe(0);
  });
});
