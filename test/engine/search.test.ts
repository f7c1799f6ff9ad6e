import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Encoder } from "../../src/core/encoder.js";
import type { Model } from "../../src/core/model.js";
import type { Path, PropertyVerdict, SearchResult, SearchStats } from "../../src/core/result.js";
import { BfsFrontier, DfsFrontier, type Frontier, type FrontierEntry } from "../../src/engine/frontier.js";
import { replaySteps } from "../../src/engine/replay.js";
import { search } from "../../src/engine/search.js";
import { VisitedSet } from "../../src/engine/visited.js";
import { type Graph, graphArb, graphModel, PROPS, reference, type Reference } from "./graph-model.js";

const RUNS = 300;

/** Runs a search and records every state it decoded (each popped state is decoded once). */
function run(g: Graph, options: Parameters<typeof search>[1], chunkBytes?: number) {
  const model = graphModel(g);
  const popped: number[] = [];
  const spied: Model<number, number> = {
    ...model,
    decode(bytes) {
      const n = model.decode(bytes);
      popped.push(n);
      return n;
    },
  };
  const result = search(spied, options, chunkBytes === undefined ? undefined : new BfsFrontier(chunkBytes));
  return { model, result, popped };
}

function verdict(result: SearchResult, name: string): PropertyVerdict {
  const v = result.verdicts.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no verdict for ${name}`);
  return v;
}

/** The path replays, its labels are the replayed actions' labels, and it ends where `ends` holds. */
function expectPath(model: Model<number, number>, path: Path, length: number, ends: (n: number) => boolean): void {
  expect(path.steps.length).toBe(length);
  expect(path.labels.length).toBe(length);
  const replay = replaySteps(model, path.init, path.steps);
  if (!replay.ok) throw new Error(`path does not replay: ${replay.error.detail}`);
  expect(replay.actions.map((a) => model.actionLabel(a))).toEqual(path.labels);
  expect(ends(replay.states[replay.states.length - 1])).toBe(true);
}

function isDeadlocked(g: Graph, n: number): boolean {
  return g.inFlight.includes(n) && !g.edges.some((e) => e.from === n && e.enabled);
}

/**
 * Checks the verdicts against the reference (computed within the same depth bound): a decided
 * property has a shortest path; an undecided one is undecided only in an incomplete search.
 */
function expectVerdicts(g: Graph, model: Model<number, number>, result: SearchResult, ref: Reference, mayBeUndecided: boolean): void {
  const cases = [
    { name: PROPS.always, least: ref.bad, hit: "violated", miss: "holds", ends: (n: number) => g.bad.includes(n) },
    { name: PROPS.sometimes, least: ref.target, hit: "reached", miss: "unreached", ends: (n: number) => g.target.includes(n) },
    { name: PROPS.deadlock, least: ref.deadlock, hit: "violated", miss: "holds", ends: (n: number) => isDeadlocked(g, n) },
  ] as const;
  for (const c of cases) {
    const v = verdict(result, c.name);
    if (v.kind === "undecided") {
      expect(result.status).toBe("incomplete");
      expect(mayBeUndecided).toBe(true);
      continue;
    }
    if (c.least === undefined) {
      expect(v.kind).toBe(c.miss);
      expect(result.status).toBe("complete");
    } else {
      expect(v.kind).toBe(c.hit);
      if (v.kind === "violated" || v.kind === "reached") expectPath(model, v.path, c.least, c.ends);
    }
  }
}

describe("search against a brute-force reference on random graphs", () => {
  it("explores exactly the reachable states, with the reference's counts and verdicts", () => {
    fc.assert(
      fc.property(graphArb(), fc.constantFrom(undefined, 64, 128), (g, chunk) => {
        const { model, result, popped } = run(g, { stopWhenDecided: false }, chunk);
        const ref = reference(g);
        expect(result.status).toBe("complete");
        expect(result.stopReason).toBeUndefined();
        expect(result.stats.distinct).toBe(ref.depth.size);
        expect(popped.length).toBe(ref.depth.size);
        expect(new Set(popped)).toEqual(new Set(ref.depth.keys()));
        // Breadth-first: depths never decrease along the pops.
        for (let i = 1; i < popped.length; i++) {
          expect(ref.depth.get(popped[i])).toBeGreaterThanOrEqual(ref.depth.get(popped[i - 1]) as number);
        }
        expect(result.stats.generated).toBe(ref.generated);
        expect(result.stats.depth).toBe(ref.maxDepth);
        expect(result.stats.queue).toBe(0);
        const fired = result.stats.perAction.reduce((s, a) => s + a.fired, 0);
        const fresh = result.stats.perAction.reduce((s, a) => s + a.newStates, 0);
        expect(fired).toBe(ref.generated);
        expect(fresh).toBe(ref.depth.size - new Set(g.inits).size);
        expect(result.verdicts.map((v) => v.name)).toEqual([PROPS.always, PROPS.sometimes, PROPS.deadlock]);
        expectVerdicts(g, model, result, ref, false);
      }),
      { numRuns: RUNS },
    );
  });

  it("stops early once every property is decided, with the same verdicts", () => {
    fc.assert(
      fc.property(graphArb(), (g) => {
        const { model, result } = run(g, {});
        const ref = reference(g);
        expect(result.status).toBe("complete");
        expectVerdicts(g, model, result, ref, false);
        const allDecided = ref.bad !== undefined && ref.target !== undefined && ref.deadlock !== undefined;
        if (!allDecided) expect(result.stats.distinct).toBe(ref.depth.size);
      }),
      { numRuns: RUNS },
    );
  });

  it("checks only the selected properties, in model order", () => {
    const names = [PROPS.always, PROPS.sometimes, PROPS.deadlock];
    fc.assert(
      fc.property(graphArb(), fc.subarray(names), fc.boolean(), (g, selected, stop) => {
        const reversed = [...selected].reverse();
        const { model, result } = run(g, { properties: reversed, stopWhenDecided: stop });
        expect(result.verdicts.map((v) => v.name)).toEqual(selected);
        const ref = reference(g);
        for (const v of result.verdicts) {
          expect(v.kind).not.toBe("undecided");
          if (v.kind === "violated" || v.kind === "reached") {
            const least = v.name === PROPS.always ? ref.bad : v.name === PROPS.sometimes ? ref.target : ref.deadlock;
            expect(v.path.steps.length).toBe(least);
            expect(replaySteps(model, v.path.init, v.path.steps).ok).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it("maxDepth: explores depths up to the bound, and is incomplete exactly when it cut states off", () => {
    fc.assert(
      fc.property(graphArb(), fc.nat({ max: 6 }), fc.boolean(), (g, maxDepth, stop) => {
        const { model, result, popped } = run(g, { maxDepth, stopWhenDecided: stop });
        const full = reference(g);
        const bounded = reference(g, maxDepth);
        const cut = full.maxDepth > maxDepth;
        expectVerdicts(g, model, result, bounded, cut);
        if (result.status === "incomplete") {
          expect(result.stopReason).toBe("max-depth");
          expect(cut).toBe(true);
        } else {
          expect(result.verdicts.every((v) => v.kind !== "undecided")).toBe(true);
        }
        if (!stop) {
          expect(result.status).toBe(cut ? "incomplete" : "complete");
          expect(new Set(popped)).toEqual(new Set(bounded.depth.keys()));
          expect(result.stats.distinct).toBe(bounded.depth.size);
          expect(result.stats.depth).toBe(bounded.maxDepth);
          expect(result.stats.generated).toBe(bounded.generated);
          if (cut) expect(result.verdicts.some((v) => v.kind === "holds" || v.kind === "unreached")).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("maxStates: stops with undecided verdicts, never a silent pass", () => {
    fc.assert(
      fc.property(graphArb(), fc.integer({ min: 0, max: 25 }), fc.boolean(), (g, maxStates, stop) => {
        const { model, result, popped } = run(g, { maxStates, stopWhenDecided: stop });
        const ref = reference(g);
        const maxOut = Math.max(0, ...Array.from({ length: g.nodes }, (_, n) => g.edges.filter((e) => e.from === n).length));
        if (result.status === "incomplete") {
          expect(result.stopReason).toBe("max-states");
          expect(result.stats.distinct).toBeGreaterThanOrEqual(maxStates);
          expect(result.stats.distinct).toBeLessThanOrEqual(Math.max(maxStates + maxOut, new Set(g.inits).size));
          expect(popped.length).toBeLessThan(ref.depth.size);
          expect(result.stats.queue).toBeGreaterThan(0);
          expect(result.verdicts.some((v) => v.kind === "holds" || v.kind === "unreached")).toBe(false);
        } else if (!stop) {
          expect(result.stats.distinct).toBe(ref.depth.size);
        }
        if (ref.depth.size < maxStates) expect(result.status).toBe("complete");
        expectVerdicts(g, model, result, ref, true);
      }),
      { numRuns: RUNS },
    );
  });
});

/** A last-in first-out frontier, to show the loop works with another order. */
class StackFrontier implements Frontier {
  private readonly items: { bytes: Uint8Array; id: number; depth: number }[] = [];
  get size(): number {
    return this.items.length;
  }
  push(bytes: Uint8Array, id: number, depth: number): void {
    this.items.push({ bytes: bytes.slice(), id, depth });
  }
  pop(into: FrontierEntry): boolean {
    const top = this.items.pop();
    if (top === undefined) return false;
    into.id = top.id;
    into.depth = top.depth;
    into.bytes = top.bytes;
    return true;
  }
  bytes(): number {
    return 0;
  }
}

describe("search with a depth-first frontier", () => {
  it("explores the same states and reaches the same verdicts, with valid (not shortest) paths", () => {
    fc.assert(
      fc.property(graphArb(), fc.option(fc.nat({ max: 5 }), { nil: undefined }), (g, maxDepth) => {
        const model = graphModel(g);
        const result = search(model, { stopWhenDecided: false, maxDepth }, new StackFrontier());
        const ref = reference(g);
        // Without a depth bound the search is complete. With one, depth-first order may first
        // reach a state by a longer path and cut off its successors, so only BFS depth bounds are
        // exact: an incomplete result must then say the depth limit stopped it (checked below).
        if (maxDepth === undefined) expect(result.status).toBe("complete");
        if (result.status === "complete") {
          // Sound even when a depth bound cut some first visits short: complete means all of it.
          expect(result.stats.distinct).toBe(ref.depth.size);
          const kinds = result.verdicts.map((v) => v.kind);
          expect(kinds).toEqual([
            ref.bad === undefined ? "holds" : "violated",
            ref.target === undefined ? "unreached" : "reached",
            ref.deadlock === undefined ? "holds" : "violated",
          ]);
        } else {
          expect(result.stopReason).toBe("max-depth");
        }
        for (const v of result.verdicts) {
          if (v.kind !== "violated" && v.kind !== "reached") continue;
          const replay = replaySteps(model, v.path.init, v.path.steps);
          if (!replay.ok) throw new Error("path does not replay");
          const end = replay.states[replay.states.length - 1];
          const ends = v.name === PROPS.always ? g.bad.includes(end) : v.name === PROPS.sometimes ? g.target.includes(end) : isDeadlocked(g, end);
          expect(ends).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** The 3- and 5-gallon jugs: fill, empty, pour. */
function jugs(): Model<readonly [number, number], number> {
  const cap = [3, 5] as const;
  const labels = ["fill small", "fill big", "empty small", "empty big", "small to big", "big to small"];
  return {
    initStates: () => [[0, 0]],
    actions: (_s, out) => {
      for (let i = 0; i < labels.length; i++) out.push(i);
    },
    nextState: ([a, b], act) => {
      switch (act) {
        case 0:
          return a === cap[0] ? undefined : [cap[0], b];
        case 1:
          return b === cap[1] ? undefined : [a, cap[1]];
        case 2:
          return a === 0 ? undefined : [0, b];
        case 3:
          return b === 0 ? undefined : [a, 0];
        case 4: {
          const m = Math.min(a, cap[1] - b);
          return m === 0 ? undefined : [a - m, b + m];
        }
        default: {
          const m = Math.min(b, cap[0] - a);
          return m === 0 ? undefined : [a + m, b - m];
        }
      }
    },
    encode: ([a, b], out: Encoder) => {
      out.u8(a);
      out.u8(b);
    },
    decode: (bytes) => [bytes[0], bytes[1]],
    properties: [
      { kind: "sometimes", name: "four", description: "the big jug holds 4", holds: ([, b]) => b === 4 },
      { kind: "always", name: "not-four", description: "", partner: "four", holds: ([, b]) => b !== 4 },
      { kind: "deadlockFree", name: "live", description: "", partner: "four", inFlight: () => true },
    ],
    actionLabel: (a) => labels[a],
    actionKind: (a) => (a < 2 ? 0 : a < 4 ? 1 : 2),
    actionKinds: ["fill", "empty", "pour"],
  };
}

/** Two counters 0..n and 0..m with inc-a, inc-b, dec-a; `a + b = n + m` is the deepest state. */
function counters(n: number, m: number): Model<readonly [number, number], number> {
  return {
    initStates: () => [[0, 0]],
    actions: (_s, out) => {
      out.push(0, 1, 2);
    },
    nextState: ([a, b], act) =>
      act === 0 ? (a < n ? [a + 1, b] : undefined) : act === 1 ? (b < m ? [a, b + 1] : undefined) : a > 0 ? [a - 1, b] : undefined,
    encode: ([a, b], out: Encoder) => {
      out.u32(a);
      out.u32(b);
    },
    decode: (x) => [x[0] | (x[1] << 8), x[4] | (x[5] << 8)],
    properties: [
      { kind: "sometimes", name: "corner", description: "", holds: ([a, b]) => a === n && b === m },
      { kind: "always", name: "small", description: "", partner: "corner", holds: ([a, b]) => a + b < n + m },
      { kind: "deadlockFree", name: "live", description: "", partner: "corner", inFlight: () => true },
    ],
    actionLabel: (a) => ["inc-a", "inc-b", "dec-a"][a],
    actionKind: (a) => a,
    actionKinds: ["inc-a", "inc-b", "dec-a"],
  };
}

describe("pinned counts on hand-made models", () => {
  it("jugs: 16 states, 4 gallons in 6 steps, no deadlock", () => {
    const r = search(jugs(), { stopWhenDecided: false });
    expect(r.status).toBe("complete");
    expect(r.stats.distinct).toBe(16);
    expect(r.verdicts).toEqual([
      {
        kind: "reached",
        name: "four",
        path: {
          init: 0,
          steps: [1, 5, 2, 5, 1, 5],
          labels: ["fill big", "big to small", "empty small", "big to small", "fill big", "big to small"],
        },
      },
      { kind: "violated", name: "not-four", path: expect.objectContaining({ steps: [1, 5, 2, 5, 1, 5] }) },
      { kind: "holds", name: "live" },
    ]);
  });

  it("counters 3x4: 20 states, depth 7, 46 transitions", () => {
    const r = search(counters(3, 4), { stopWhenDecided: false });
    expect(r.status).toBe("complete");
    expect(r.stats.distinct).toBe(20);
    expect(r.stats.depth).toBe(7);
    // inc-a fires where a < 3 (15 states), inc-b where b < 4 (16), dec-a where a > 0 (15).
    expect(r.stats.perAction).toEqual([
      // Within a level BFS meets (a, b-1) before (a-1, b): only the b = 0 states come from inc-a.
      { kind: "inc-a", fired: 15, newStates: 3 },
      { kind: "inc-b", fired: 16, newStates: 16 },
      { kind: "dec-a", fired: 15, newStates: 0 },
    ]);
    expect(r.stats.generated).toBe(46);
    expect(r.stats.collisionBound).toBe((20 * 19) / 2 ** 65);
    expect(r.verdicts.map((v) => v.kind)).toEqual(["reached", "violated", "holds"]);
    const reached = r.verdicts[0];
    if (reached.kind !== "reached") throw new Error("unreachable");
    expect(reached.path.labels).toEqual(["inc-a", "inc-a", "inc-a", "inc-b", "inc-b", "inc-b", "inc-b"]);
  });

  it("counters 300x400: 120,701 states", () => {
    const r = search(counters(300, 400), { stopWhenDecided: false });
    expect(r.stats.distinct).toBe(301 * 401);
    expect(r.stats.depth).toBe(700);
    expect(r.stats.visitedBytes).toBeGreaterThan(0);
  });
});

/** States are numbers; every state has 65536 successors, `s * 65536 + a + 1` for action a. */
function fan(): Model<number, number> {
  const wide = 65536;
  return {
    initStates: () => [0],
    actions: (_s, out) => {
      for (let a = 0; a < wide; a++) out.push(a);
    },
    nextState: (s, a) => s * wide + a + 1,
    encode: (s, out: Encoder) => {
      out.u32(s % 2 ** 32);
      out.u32(Math.floor(s / 2 ** 32));
    },
    decode: (x) => {
      const u32 = (i: number) => (x[i] | (x[i + 1] << 8) | (x[i + 2] << 16) | (x[i + 3] << 24)) >>> 0;
      return u32(0) + u32(4) * 2 ** 32;
    },
    properties: [{ kind: "always", name: "fine", description: "", partner: "fine", holds: () => true }],
    actionLabel: (a) => `to ${a}`,
    actionKind: () => 0,
    actionKinds: ["step"],
  };
}

describe("a full visited set", () => {
  it("stops the search incomplete at max-states, whatever maxStates says, never with a crash", () => {
    const capacity = 65536 + 100;
    for (const maxStates of [undefined, capacity, 1e9]) {
      const r = search(counters(300, 400), { maxStates }, undefined, new VisitedSet(capacity));
      expect(r.status).toBe("incomplete");
      expect(r.stopReason).toBe("max-states");
      // Capped at capacity - 65535 = 101: a pop adds at most 2 new states to the 100 stored before it.
      expect(r.stats.distinct).toBeGreaterThanOrEqual(101);
      expect(r.stats.distinct).toBeLessThanOrEqual(102);
      expect(r.verdicts.map((v) => v.kind)).toEqual(["undecided", "undecided", "undecided"]);
    }
  });

  it("is never overfilled by states with 65536 successors, and one of them can fill it exactly", () => {
    for (const capacity of [65537, 65538, 65536 * 2]) {
      const r = search(fan(), {}, undefined, new VisitedSet(capacity));
      expect(r.status).toBe("incomplete");
      expect(r.stopReason).toBe("max-states");
      expect(r.stats.distinct).toBe(65537);
      expect(r.stats.queue).toBe(65536);
      expect(r.verdicts).toEqual([{ kind: "undecided", name: "fine" }]);
    }
  });

  it("is rejected when it cannot take one expansion, or is not empty", () => {
    expect(() => search(counters(1, 1), {}, undefined, new VisitedSet(65535))).toThrow(/at least 65536/);
    const used = new VisitedSet();
    used.insert(1, 2, 0, 0);
    expect(() => search(counters(1, 1), {}, undefined, used)).toThrow(/must start empty/);
  });
});

describe("limits, reporting and misuse", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("timeout: incomplete, every undecided property undecided", () => {
    const r = search(counters(300, 400), { timeoutMs: 0 });
    expect(r.status).toBe("incomplete");
    expect(r.stopReason).toBe("timeout");
    expect(r.verdicts.map((v) => v.kind)).toEqual(["undecided", "undecided", "undecided"]);
  });

  it("reports progress about every 250 ms and once when done", () => {
    let clock = 0;
    vi.spyOn(performance, "now").mockImplementation(() => (clock += 50));
    const seen: SearchStats[] = [];
    let done: SearchStats | undefined;
    const r = search(counters(300, 400), {
      stopWhenDecided: false,
      reporter: { progress: (s) => seen.push(s), done: (s) => (done = s) },
    });
    // The clock is read every 1024 pops and moves 50 ms per read: a report every 5 reads.
    const reads = Math.ceil((301 * 401) / 1024);
    expect(seen.length).toBeGreaterThanOrEqual(Math.floor(reads / 5) - 1);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(reads / 5) + 1);
    for (let i = 1; i < seen.length; i++) expect(seen[i].distinct).toBeGreaterThanOrEqual(seen[i - 1].distinct);
    expect(done).toEqual(r.stats);
  });

  it("rejects unknown property names and bad limits", () => {
    expect(() => search(counters(1, 1), { properties: ["nope"] })).toThrow(/no property named nope/);
    expect(() => search(counters(1, 1), { maxStates: -1 })).toThrow(/maxStates/);
    expect(() => search(counters(1, 1), { maxDepth: Number.NaN })).toThrow(/maxDepth/);
  });

  it("with no property selected, still explores everything", () => {
    const r = search(counters(3, 4), { properties: [] });
    expect(r.status).toBe("complete");
    expect(r.verdicts).toEqual([]);
    expect(r.stats.distinct).toBe(20);
  });

  it("throws when the model's action order is not deterministic", () => {
    const g: Graph = {
      nodes: 3,
      edges: [
        { from: 0, to: 1, enabled: true, kind: 0 },
        { from: 0, to: 2, enabled: true, kind: 0 },
      ],
      inits: [0],
      bad: [2],
      target: [],
      inFlight: [],
    };
    const model = graphModel(g);
    let calls = 0;
    const flaky: Model<number, number> = {
      ...model,
      actions(node, out) {
        const acc: number[] = [];
        model.actions(node, acc);
        if (calls++ % 2 === 1) acc.reverse();
        out.push(...acc);
      },
    };
    expect(() => search(flaky, {})).toThrow(/not deterministic/);
  });
});

describe("a model's decodeShared", () => {
  /** Three byte counters to 3, each step one up; `shared` adds decodeShared, which reads popped bytes in place. Counts the calls of each. */
  function counters(shared: boolean): { model: Model<Uint8Array, number>; calls: { decode: number; shared: number } } {
    const calls = { decode: 0, shared: 0 };
    const model: Model<Uint8Array, number> = {
      initStates: () => [new Uint8Array(3)],
      actions: (_s, out) => out.push(0, 1, 2),
      nextState: (s, i) => {
        if (s[i] >= 3) return undefined;
        const t = s.slice();
        t[i]++;
        return t;
      },
      encode: (s, out) => out.bytes(s),
      decode: (bytes) => {
        calls.decode++;
        return bytes.slice();
      },
      ...(shared
        ? {
            decodeShared: (bytes: Uint8Array) => {
              calls.shared++;
              return bytes;
            },
          }
        : {}),
      properties: [
        { kind: "sometimes", name: "all-top", description: "", holds: (s) => s.every((v) => v === 3) },
        { kind: "always", name: "sum-under-9", description: "", partner: "all-top", holds: (s) => s[0] + s[1] + s[2] < 9 },
      ],
      actionLabel: (i) => `up ${i}`,
      actionKind: () => 0,
      actionKinds: ["up"],
    };
    return { model, calls };
  }

  it("reads each popped state in place, with the states, paths and verdicts of decode, breadth- and depth-first", () => {
    for (const frontier of [() => new BfsFrontier(), () => new DfsFrontier()]) {
      const copied = counters(false);
      const shared = counters(true);
      const a = search(copied.model, { stopWhenDecided: false }, frontier());
      const b = search(shared.model, { stopWhenDecided: false }, frontier());
      expect(b.stats.distinct).toBe(64);
      expect([b.stats.distinct, b.stats.generated]).toEqual([a.stats.distinct, a.stats.generated]);
      expect(b.verdicts).toEqual(a.verdicts);
      expect(b.verdicts.map((v) => v.kind)).toEqual(["reached", "violated"]);
      expect(shared.calls.shared).toBe(64);
      expect(copied.calls.decode).toBeGreaterThanOrEqual(64);
    }
  });
});
