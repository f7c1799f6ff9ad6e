/**
 * A tiny explicit-graph model for engine tests, and a brute-force reference search over it.
 *
 * States are node numbers; the candidate actions of a node are the indices of its outgoing
 * edges (in edge order); a disabled edge is a candidate whose `nextState` is undefined.
 */
import fc from "fast-check";
import type { Encoder } from "../../src/core/encoder.js";
import type { Model } from "../../src/core/model.js";

/** One directed edge; disabled edges are listed as candidates but never fire. */
export interface Edge {
  readonly from: number;
  readonly to: number;
  readonly enabled: boolean;
  readonly kind: number;
}

/** A directed graph with initial nodes and the node sets the three properties look at. */
export interface Graph {
  readonly nodes: number;
  readonly edges: readonly Edge[];
  readonly inits: readonly number[];
  readonly bad: readonly number[];
  readonly target: readonly number[];
  readonly inFlight: readonly number[];
}

/** Names of the properties of a graph model, in model order. */
export const PROPS = { always: "never-bad", sometimes: "reach-target", deadlock: "no-stuck" } as const;

/** Kinds of edges. */
export const KINDS = ["red", "green", "blue"] as const;

/** The model of a graph: `never-bad` (always), `reach-target` (sometimes), `no-stuck` (deadlockFree). */
export function graphModel(g: Graph): Model<number, number> {
  const out: number[][] = Array.from({ length: g.nodes }, () => []);
  g.edges.forEach((e, i) => out[e.from].push(i));
  const bad = new Set(g.bad);
  const target = new Set(g.target);
  const inFlight = new Set(g.inFlight);
  return {
    initStates: () => g.inits,
    actions(node, acc) {
      for (const e of out[node]) acc.push(e);
    },
    nextState(node, e) {
      const edge = g.edges[e];
      if (edge.from !== node) throw new Error(`edge ${e} does not leave node ${node}`);
      return edge.enabled ? edge.to : undefined;
    },
    encode(node, enc: Encoder) {
      enc.u32(node);
    },
    decode(bytes) {
      if (bytes.length !== 4) throw new Error(`bad encoding length ${bytes.length}`);
      return (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
    },
    properties: [
      {
        kind: "always",
        name: PROPS.always,
        description: "no bad node",
        partner: PROPS.sometimes,
        holds: (n) => !bad.has(n),
      },
      { kind: "sometimes", name: PROPS.sometimes, description: "a target node", holds: (n) => target.has(n) },
      {
        kind: "deadlockFree",
        name: PROPS.deadlock,
        description: "no in-flight node without an enabled edge",
        partner: PROPS.sometimes,
        inFlight: (n) => inFlight.has(n),
      },
    ],
    actionLabel: (e) => `e${e}:${g.edges[e].from}->${g.edges[e].to}`,
    actionKind: (e) => g.edges[e].kind,
    actionKinds: KINDS,
  };
}

/** `model` with every node it decodes (each node the search pops) recorded in `popped`, in order. */
export function recordingPops<A>(model: Model<number, A>): { model: Model<number, A>; popped: number[] } {
  const popped: number[] = [];
  const decode = (bytes: Uint8Array): number => {
    const n = model.decode(bytes);
    popped.push(n);
    return n;
  };
  return { model: { ...model, decode }, popped };
}

/** Random graphs: up to `maxNodes` nodes, sparse enough to have long shortest paths. */
export function graphArb(maxNodes = 30, maxEdges = 70): fc.Arbitrary<Graph> {
  return fc.integer({ min: 1, max: maxNodes }).chain((nodes) => {
    const node = fc.nat({ max: nodes - 1 });
    const nodeSet = fc.uniqueArray(node, { maxLength: Math.max(1, Math.ceil(nodes / 4)) });
    return fc.record({
      nodes: fc.constant(nodes),
      edges: fc.array(
        fc.record({
          from: node,
          to: node,
          enabled: fc.nat({ max: 4 }).map((x) => x !== 0),
          kind: fc.nat({ max: KINDS.length - 1 }),
        }),
        { maxLength: maxEdges },
      ),
      inits: fc.array(node, { minLength: 1, maxLength: 3 }),
      bad: nodeSet,
      target: nodeSet,
      inFlight: fc.uniqueArray(node, { maxLength: nodes }),
    });
  });
}

/** What a brute-force breadth-first search over the adjacency lists finds. */
export interface Reference {
  /** Depth of every reachable node (shortest distance from an initial node). */
  readonly depth: Map<number, number>;
  /** Enabled edges out of reachable nodes, counted with duplicates. */
  readonly generated: number;
  /** Least depth of a reachable bad / target / deadlocked node, or undefined. */
  readonly bad?: number;
  readonly target?: number;
  readonly deadlock?: number;
  readonly maxDepth: number;
}

/** Brute-force BFS with a JS Set, over nodes of depth at most `maxDepth`. */
export function reference(g: Graph, maxDepth = Infinity): Reference {
  const depth = new Map<number, number>();
  const queue: number[] = [];
  for (const n of g.inits) {
    if (!depth.has(n)) {
      depth.set(n, 0);
      queue.push(n);
    }
  }
  const seen = new Set<number>(queue);
  let generated = 0;
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    const d = depth.get(n) as number;
    for (const e of g.edges) {
      if (e.from !== n || !e.enabled) continue;
      generated++;
      if (d < maxDepth && !seen.has(e.to)) {
        seen.add(e.to);
        depth.set(e.to, d + 1);
        queue.push(e.to);
      }
    }
  }
  const least = (pred: (n: number) => boolean): number | undefined => {
    let best: number | undefined;
    for (const [n, d] of depth) if (pred(n) && (best === undefined || d < best)) best = d;
    return best;
  };
  const enabledOut = (n: number) => g.edges.some((e) => e.from === n && e.enabled);
  return {
    depth,
    generated,
    bad: least((n) => g.bad.includes(n)),
    target: least((n) => g.target.includes(n)),
    deadlock: least((n) => g.inFlight.includes(n) && !enabledOut(n)),
    maxDepth: Math.max(0, ...depth.values()),
  };
}
