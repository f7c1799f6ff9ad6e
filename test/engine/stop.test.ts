import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Model } from "../../src/core/model.js";
import { BfsFrontier, isAllocationFailure, search, searchAsync } from "../../src/engine/index.js";
import { graphArb, graphModel } from "./graph-model.js";

/** A counter model 0..n-1 (one action: +1), whose `always` property fails at `bad`: slow enough to interrupt when n is large. */
function counter(n: number, bad: number): Model<number, number> {
  return {
    initStates: () => [0],
    actions: (_s, out) => void out.push(0),
    nextState: (s) => (s + 1 < n ? s + 1 : undefined),
    encode: (s, enc) => enc.u32(s),
    decode: (b) => b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24),
    properties: [
      { kind: "always", name: "not-bad", description: "", partner: "seen", holds: (s) => s !== bad },
      { kind: "sometimes", name: "seen", description: "", holds: (s) => s === 1 },
      { kind: "always", name: "never", description: "", partner: "seen", holds: (s) => s !== n + 5 },
    ],
    actionLabel: () => "+1",
    actionKind: () => 0,
    actionKinds: ["inc"],
  };
}

/** A frontier whose pushes fail, as a real one does when memory runs out, after `ok` pushes. */
class FailingFrontier extends BfsFrontier {
  private pushes = 0;
  constructor(private readonly ok: number) {
    super();
  }
  override push(bytes: Uint8Array, id: number, depth: number): void {
    if (this.pushes++ >= this.ok) throw new RangeError("Array buffer allocation failed");
    super.push(bytes, id, depth);
  }
}

describe("searchAsync", () => {
  it("finds exactly what search finds: same verdicts, paths and state counts", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb(), async (g) => {
        const sync = search(graphModel(g), {});
        const slices = await searchAsync(graphModel(g), {});
        expect(slices.verdicts).toEqual(sync.verdicts);
        expect(slices.stats.distinct).toBe(sync.stats.distinct);
        expect(slices.status).toBe(sync.status);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it("lets timers run while it explores, and an aborted signal stops it 'interrupted' with what was decided kept", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await searchAsync(counter(50_000_000, 10), { signal: controller.signal });
    expect(r.status).toBe("incomplete");
    expect(r.stopReason).toBe("interrupted");
    expect(r.verdicts.find((v) => v.name === "not-bad")).toMatchObject({ kind: "violated", path: { steps: expect.any(Array) } });
    expect(r.verdicts.find((v) => v.name === "never")?.kind).toBe("undecided");
    expect(r.stats.distinct).toBeGreaterThan(1000);
    expect(r.stats.distinct).toBeLessThan(50_000_000);
  });
});

describe("memory", () => {
  it("a failed allocation stops the search 'memory', keeping the violation found before it", () => {
    const r = search(counter(100_000, 10), {}, new FailingFrontier(5000));
    expect(r.status).toBe("incomplete");
    expect(r.stopReason).toBe("memory");
    expect(r.verdicts.find((v) => v.name === "not-bad")?.kind).toBe("violated");
    expect(r.verdicts.find((v) => v.name === "never")?.kind).toBe("undecided");
  });

  it("memoryShort is asked with the visited set's next growth, and true stops at that look", () => {
    const asked: number[] = [];
    const r = search(counter(100_000, 10), { memoryShort: (reserve) => (asked.push(reserve), true) });
    expect([r.status, r.stopReason, r.stats.distinct]).toEqual(["incomplete", "memory", 1]);
    expect(asked).toEqual([1.5 * 1024 * 8 + 65536 * 16 + 2 * 2 ** 20]);
  });

  it("other errors are not mistaken for memory", () => {
    expect(isAllocationFailure(new RangeError("Array buffer allocation failed"))).toBe(true);
    expect(isAllocationFailure(new RangeError("Invalid typed array length: 4294967296"))).toBe(true);
    expect(isAllocationFailure(new RangeError("search: actionKind 9 is not an index"))).toBe(false);
    expect(isAllocationFailure(new Error("Array buffer allocation failed"))).toBe(false);
  });
});

describe("countStates", () => {
  it("counts the states deciding each property, with the same verdicts and paths as a plain search", () => {
    const plain = search(counter(100, 10), { stopWhenDecided: false });
    const counted = search(counter(100, 10), { countStates: true });
    expect(counted.verdicts).toEqual(plain.verdicts);
    expect(counted.stats.distinct).toBe(100);
    expect(counted.stateCounts).toEqual({ "not-bad": 1, seen: 1, never: 0 });
    expect(plain.stateCounts).toBeUndefined();
  });

  it("agrees with a brute-force count on random graphs", () => {
    fc.assert(
      fc.property(graphArb(), (g) => {
        const m = graphModel(g);
        const r = search(m, { countStates: true });
        const reached = new Set<number>();
        const todo = [...g.inits];
        while (todo.length > 0) {
          const n = todo.pop()!;
          if (reached.has(n)) continue;
          reached.add(n);
          for (const e of g.edges) if (e.from === n && e.enabled) todo.push(e.to);
        }
        const always = m.properties.find((p) => p.kind === "always")!;
        const bad = [...reached].filter((n) => always.kind === "always" && !always.holds(n)).length;
        expect(r.stateCounts?.[always.name]).toBe(bad);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
