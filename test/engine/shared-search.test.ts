/**
 * The shared search against the sequential one on toy graphs: every field of the result but
 * the times and the bytes held (elapsedMs, statesPerSecond, visitedBytes) is equal, queue and
 * queuePeak included, whatever the run size, the table's first size (it grows many times) and
 * whether the levels run in this thread or in 2 or 3 worker threads.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SearchOptions, SearchResult } from "../../src/core/result.js";
import { compiledFile } from "../../src/cli/version.js";
import { runningSearchWorkers } from "../../src/engine/search-workers.js";
import { search } from "../../src/engine/search.js";
import { searchShared } from "../../src/engine/shared-search.js";
import { type Graph, graphArb, graphModel, PROPS } from "./graph-model.js";
import { brokenGraph, graphJson, toyRecipe } from "./graph-recipe.js";

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

describe("a shared search in this thread gives the sequential search's result", () => {
  it("on a fan, with runs of 1, 2 and 3 parents", async () => {
    for (const run of [1, 2, 3]) {
      const result = await inThread(FAN, { stopWhenDecided: false }, run, 16);
      expect(comparable(result)).toEqual(comparable(search(graphModel(FAN), { stopWhenDecided: false })));
      expect([result.stats.distinct, result.stats.generated, result.stats.queuePeak]).toEqual([10, 16, 8]);
    }
  });

  it("on a wide graph whose table grows in the middle of a level, between runs of 1 parent", async () => {
    // Node 0 leads to nodes 1..30, and node i to node 30 + i: level 1 stores 30 states one run at a time.
    const wide: Graph = {
      nodes: 61,
      edges: [...Array.from({ length: 30 }, (_, i) => ({ from: 0, to: i + 1, enabled: true, kind: 0 })), ...Array.from({ length: 30 }, (_, i) => ({ from: i + 1, to: i + 31, enabled: true, kind: 1 }))],
      inits: [0],
      bad: [45],
      target: [60],
      inFlight: [],
    };
    for (const options of [{ stopWhenDecided: false }, {}, { maxStates: 40 }]) {
      const result = await inThread(wide, options, 1, 64);
      expect(comparable(result)).toEqual(comparable(search(graphModel(wide), options)));
    }
    expect((await inThread(wide, { stopWhenDecided: false }, 1, 64)).stats.distinct).toBe(61);
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
  it("on 40 random graphs, with 2 or 3 workers", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb(), optionsArb, fc.constantFrom(2, 3), fc.constantFrom(1, 2, 64), async (g, options, workers, run) => {
        const result = await searchShared(toyRecipe("graphFromArgs", graphJson(g)), options, { workers, workerFile: workerFile(), run, tableSlots: 64, chunkBytes: 16 });
        expect(comparable(result)).toEqual(comparable(search(graphModel(g), options)));
        expect(runningSearchWorkers()).toBe(0);
      }),
      { numRuns: 40, seed: 13 },
    );
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

  it("rejects a recipe whose module has no such export, leaving no thread behind", async () => {
    const recipe = { ...toyRecipe("graphFromArgs", graphJson(FAN)), exportName: "nothing" };
    await expect(searchShared(recipe, {}, { workers: 2, workerFile: workerFile() })).rejects.toThrow(/exports no function nothing/);
    expect(runningSearchWorkers()).toBe(0);
  });
});
