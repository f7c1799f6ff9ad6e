/** Toy models as recipes (src/core/recipe.ts), for parallel searches in tests: worker threads import the compiled form of this module. */
import { pathToFileURL } from "node:url";
import type { Model, Property } from "../../src/core/model.js";
import type { Json, ModelRecipe } from "../../src/core/recipe.js";
import { compiledFile } from "../../src/cli/version.js";
import { type Graph, graphModel } from "./graph-model.js";

/** The model of the graph `args` holds. */
export function graphFromArgs(args: Graph): Model<number, number> {
  return graphModel(args);
}

/** The graph's model, broken at node `brokenAt`: its actions there have a kind outside actionKinds. */
export function brokenGraph(args: { readonly graph: Graph; readonly brokenAt: number }): Model<number, number> {
  const model = graphModel(args.graph);
  return { ...model, actionKind: (e) => (args.graph.edges[e].from === args.brokenAt ? 99 : model.actionKind(e)) };
}

/** The graph's model, whose never-bad property throws when it looks at node `propertyThrowsAt`, and whose encoding throws on the nodes in `encodingThrowsAt`. */
export function throwingGraph(args: { readonly graph: Graph; readonly propertyThrowsAt: number; readonly encodingThrowsAt: readonly number[] }): Model<number, number> {
  const model = graphModel(args.graph);
  const [never, ...rest] = model.properties;
  const holds = never.kind === "always" ? never.holds : () => true;
  const throwing = {
    ...never,
    holds: (n: number): boolean => {
      if (n === args.propertyThrowsAt) throw new Error(`never-bad cannot look at ${n}`);
      return holds(n);
    },
  };
  return {
    ...model,
    properties: [throwing, ...rest],
    encode: (n, enc) => {
      if (args.encodingThrowsAt.includes(n)) throw new Error(`cannot encode ${n}`);
      model.encode(n, enc);
    },
  };
}

/** `k` byte counters counting to `top` (action i increments counter i), each state its own encoding, with `properties`. */
export function byteCounters(k: number, top: number, properties: readonly Property<Uint8Array>[]): Model<Uint8Array, number> {
  return {
    initStates: () => [new Uint8Array(k)],
    actions: (_s, out) => {
      for (let i = 0; i < k; i++) out.push(i);
    },
    nextState: (s, i) => {
      if (s[i] >= top) return undefined;
      const t = s.slice();
      t[i]++;
      return t;
    },
    encode: (s, out) => out.bytes(s),
    decode: (bytes) => bytes.slice(),
    ownEncoding: (s) => s,
    properties,
    actionLabel: (i) => `inc ${i}`,
    actionKind: () => 0,
    actionKinds: ["inc"],
  };
}

/**
 * Byte counters whose two properties declare the byte they read (`Property.reads`): counter 1
 * stays below 2, counter 0 reaches `top`. With `wrongReads` the first says it reads counter 0's
 * byte, so a search that skips by footprint never looks at it again once counter 1 moves.
 */
export function counters(args: { readonly k: number; readonly top: number; readonly wrongReads: boolean }): Model<Uint8Array, number> {
  return byteCounters(args.k, args.top, [
    { kind: "always", name: "c1-below-2", description: "", partner: "c0-at-top", holds: (s) => s[1] < 2, reads: [args.wrongReads ? 0 : 1] },
    { kind: "sometimes", name: "c0-at-top", description: "", holds: (s) => s[0] === args.top, reads: [0] },
  ]);
}

/** A graph as plain JSON. */
export function graphJson(g: Graph): Json {
  return { ...g, edges: g.edges.map((e) => ({ ...e })) };
}

/** The recipe calling `exportName` of dist/test/engine/graph-recipe.js (tests need a build: npm test makes one). */
export function toyRecipe(exportName: "graphFromArgs" | "brokenGraph" | "throwingGraph" | "counters", args: Json): ModelRecipe {
  const file = compiledFile("test/engine/graph-recipe.js");
  if (file === undefined) throw new Error("dist/test/engine/graph-recipe.js is missing: run npx tsc -p tsconfig.json first");
  return { moduleUrl: pathToFileURL(file).href, exportName, args };
}
