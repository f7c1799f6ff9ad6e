/**
 * The parallel search against the sequential one on toy graphs: every field of the result but
 * the two times (elapsedMs, statesPerSecond) is equal, queue and queuePeak included, whatever
 * the batch size, the number of batches in flight and of worker threads.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Model } from "../../src/core/model.js";
import type { SearchOptions, SearchResult } from "../../src/core/result.js";
import { compiledFile } from "../../src/cli/version.js";
import { BatchExpander } from "../../src/engine/batch-expander.js";
import { type BatchPool, searchBatched, searchParallel } from "../../src/engine/parallel.js";
import { type BatchAnswer, KNOWN, SUCCESSOR_WORDS, errorData } from "../../src/engine/parallel-protocol.js";
import { runningSearchWorkers } from "../../src/engine/parallel-pool.js";
import { SentCache } from "../../src/engine/sent-cache.js";
import { search, selectProperties } from "../../src/engine/search.js";
import { paddedWords } from "../../src/engine/words.js";
import { type Graph, graphArb, graphModel, PROPS } from "./graph-model.js";
import { brokenGraph, graphJson, toyRecipe } from "./graph-recipe.js";

/** The compiled worker: these tests need dist/ (npm test builds it) and must not pass without threads. */
function workerFile(): string {
  const file = compiledFile("src/engine/parallel-worker.js");
  if (file === undefined) throw new Error("dist/src/engine/parallel-worker.js is missing: run npx tsc -p tsconfig.json first");
  return file;
}

/** A result without its times, the only fields a parallel search may differ in. */
function untimed(r: SearchResult): unknown {
  const { elapsedMs: _e, statesPerSecond: _s, ...stats } = r.stats;
  return { ...r, stats };
}

/** Batches expanded in this thread, each only when taken: the loop pops ahead of what it stored, as with threads. */
class InThreadPool implements BatchPool {
  /** States per batch, in the order sent. */
  readonly sizes: number[] = [];
  readonly answers: BatchAnswer[] = [];
  private readonly sent = new Map<number, ArrayBuffer>();
  private readonly expander: BatchExpander<unknown, unknown>;

  constructor(model: Model<unknown, unknown>, options: SearchOptions) {
    const properties = selectProperties(model.properties, options.properties).map((p) => p.name);
    this.expander = new BatchExpander(model, { properties, symmetry: options.symmetry === true });
  }

  send(seq: number, states: ArrayBuffer): void {
    this.sizes.push(new Uint32Array(states)[0]);
    this.sent.set(seq, states);
  }

  async take(seq: number): Promise<BatchAnswer> {
    const states = this.sent.get(seq) as ArrayBuffer;
    this.sent.delete(seq);
    const { successors, done, error } = this.expander.expand(states, undefined);
    const answer = { seq, states, successors, done, ...(error === undefined ? {} : { error: errorData(error) }) };
    this.answers.push(answer);
    return answer;
  }

  statesBuffer(): ArrayBuffer | undefined {
    return undefined;
  }

  recycle(): void {}
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

/** The in-thread batched search of `g`. */
async function batched(g: Graph, options: SearchOptions, batchStates: number, inFlight: number): Promise<{ result: SearchResult; pool: InThreadPool }> {
  const model = graphModel(g);
  const pool = new InThreadPool(model as Model<unknown, unknown>, options);
  return { result: await searchBatched(model, options, () => pool, { inFlight, batchStates, sequentialMs: 0 }), pool };
}

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

/** Per state of an answer: how many enabled, and per successor "known" or the length of the encoding sent. */
function readAnswer(answer: BatchAnswer, words: number): (number | string)[][] {
  const u32 = new Uint32Array(answer.successors);
  const states: (number | string)[][] = [];
  let at = 0;
  for (let i = 0; i < answer.done; i++) {
    const enabled = u32[at];
    at += 1 + words;
    const records: (number | string)[] = [enabled];
    for (let b = 0; b < enabled; b++) {
      if (u32[at] >= KNOWN) {
        records.push("known");
        at++;
      } else {
        records.push(u32[at + 4]);
        at += SUCCESSOR_WORDS + paddedWords(u32[at + 4]);
      }
    }
    states.push(records);
  }
  return states;
}

describe("a batched search gives the sequential search's result", () => {
  it("on a fan, popping states ahead in batches of 1, 2, 2, 2, then 1 each, with a successor sent as known", async () => {
    const { result, pool } = await batched(FAN, { stopWhenDecided: false }, 2, 3);
    expect(untimed(result)).toEqual(untimed(search(graphModel(FAN), { stopWhenDecided: false })));
    expect([result.stats.distinct, result.stats.generated, result.stats.queuePeak]).toEqual([10, 16, 8]);
    expect(pool.sizes).toEqual([1, 2, 2, 2, 1, 1, 1]);
    // Node 1 sends node 9 in full (4 bytes); node 2, in the same batch, sends it as known.
    expect(readAnswer(pool.answers[1], 1)).toEqual([[1, 4], [1, "known"]]);
    expect(result.verdicts.map((v) => [v.name, v.kind, v.kind === "violated" || v.kind === "reached" ? v.path.labels : []])).toEqual([
      [PROPS.always, "violated", ["e2:0->3"]],
      [PROPS.sometimes, "reached", ["e0:0->1", "e8:1->9"]],
      [PROPS.deadlock, "violated", ["e0:0->1", "e8:1->9"]],
    ]);
  });

  it("on 300 random graphs with random limits and selections, any batch size and number in flight", async () => {
    let popsAhead = 0;
    await fc.assert(
      fc.asyncProperty(graphArb(), optionsArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), async (g, options, batchStates, inFlight) => {
        const { result, pool } = await batched(g, options, batchStates, inFlight);
        expect(untimed(result)).toEqual(untimed(search(graphModel(g), options)));
        if (pool.sizes.length > pool.answers.length) popsAhead++;
      }),
      { numRuns: 300, seed: 13 },
    );
    // Runs that stopped with batches still in flight: states popped ahead, then dropped.
    expect(popsAhead).toBe(22);
  });
});

describe("a parallel search in worker threads gives the sequential search's result", () => {
  it("on 40 random graphs, with 2 or 3 workers", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb(), optionsArb, fc.constantFrom(2, 3), fc.constantFrom(1, 3, 256), async (g, options, workers, batchStates) => {
        const result = await searchParallel(toyRecipe("graphFromArgs", graphJson(g)), options, { workers, workerFile: workerFile(), batchStates });
        expect(untimed(result)).toEqual(untimed(search(graphModel(g), options)));
        expect(runningSearchWorkers()).toBe(0);
      }),
      { numRuns: 40, seed: 13 },
    );
  });

  it("throws what the sequential search throws when the model breaks its contract, and only if the search gets that far", async () => {
    const graph = graphJson(FAN);
    const recipe = toyRecipe("brokenGraph", { graph, brokenAt: 5 });
    const broken = brokenGraph({ graph: FAN, brokenAt: 5 });
    const parallel = { workers: 2, workerFile: workerFile(), batchStates: 8 };
    const why = "search: actionKind 99 is not an index into actionKinds (3)";
    expect(() => search(broken, {})).toThrow(why);
    await expect(searchParallel(recipe, {}, parallel)).rejects.toThrow(why);
    // Node 3 violates never-bad before node 5 is expanded, though a worker expanded node 5, popped ahead.
    const early = { properties: [PROPS.always] };
    expect(untimed(await searchParallel(recipe, early, parallel))).toEqual(untimed(search(broken, early)));
    expect(search(broken, early).stats.distinct).toBe(10);
    expect(runningSearchWorkers()).toBe(0);
  });

  it("rejects a recipe whose module has no such export, leaving no thread behind", async () => {
    const recipe = { ...toyRecipe("graphFromArgs", graphJson(FAN)), exportName: "nothing" };
    await expect(searchParallel(recipe, {}, { workers: 2, workerFile: workerFile() })).rejects.toThrow(/exports no function nothing/);
    expect(runningSearchWorkers()).toBe(0);
  });
});

describe("SentCache", () => {
  it("remembers what was added until a fingerprint with the same slot pushes it out, and never the zero fingerprint", () => {
    const cache = new SentCache(4);
    expect(cache.has(1, 2)).toBe(false);
    cache.add(1, 2);
    expect([cache.has(1, 2), cache.has(1, 3), cache.has(0, 2)]).toEqual([true, false, false]);
    cache.add(7, 2 + 16);
    expect([cache.has(1, 2), cache.has(7, 18)]).toEqual([false, true]);
    cache.add(0, 0);
    expect(cache.has(0, 0)).toBe(false);
    cache.add(0xffffffff, 0xfffffff0);
    expect(cache.has(-1, -16)).toBe(true);
  });
});
