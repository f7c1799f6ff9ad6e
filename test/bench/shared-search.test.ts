/**
 * The shared-table prototype against the engine's one-thread search: the same states, the same
 * id for each, the same parent and action (so the same counterexamples), with two workers taking
 * runs of 1 or 7 parents so that their runs interleave as much as they can (how much is up to
 * the scheduler, so a race can pass a run), and in chunks of 1 KiB so that each worker fills and
 * reuses many in a level. The workers run the build in dist/: `npm test` compiles first.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { engineSearch, firstDifference, type Outcome, pathOf, sharedSearch } from "../../bench/shared-search.js";
import { compiledFile, packageRoot } from "../../src/cli/version.js";

/** The compiled prototype and the build it reads: workers cannot run TypeScript, and these tests must not pass without threads. */
function build(): { workerFile: string; distRoot: string } {
  const workerFile = compiledFile("bench/shared-search.js");
  const root = packageRoot();
  if (workerFile === undefined || root === undefined) throw new Error("dist/bench/shared-search.js is missing: run npx tsc -p tsconfig.json first");
  return { workerFile, distRoot: join(root, "dist") };
}

describe("sharedSearch", () => {
  for (const [variant, run, arenaBytes] of [
    ["v6.12", 1, 1 << 22],
    ["v4.18", 7, 1 << 10],
  ] as const) {
    it(`gives ${variant} at tiny the engine's trail and paths with two workers taking runs of ${run}, encodings in chunks of ${arenaBytes} bytes`, { timeout: 60_000 }, async () => {
      const { workerFile, distRoot } = build();
      const engine = await engineSearch(distRoot, variant, "tiny");
      const shared = await sharedSearch({ distRoot, variant, bounds: "tiny", threads: 2, capacity: 1_000_000, run, arenaBytes, workerFile });
      expect(shared.distinct).toBe(engine.distinct);
      expect(firstDifference(engine, shared)).toBe(-1);
      expect(shared.paths).toEqual(engine.paths);
      expect(shared.paths.some((p) => p !== "-")).toBe(true);
      expect(shared.generated).toBe(engine.generated);
    });
  }

  it("stops with an error naming the fix when the states pass N", { timeout: 60_000 }, async () => {
    const { workerFile, distRoot } = build();
    await expect(sharedSearch({ distRoot, variant: "v4.18", bounds: "tiny", threads: 2, capacity: 2_000, workerFile })).rejects.toThrow(/raise N/);
  });
});

describe("firstDifference and pathOf", () => {
  /** A trail of five states: 0 and 1 initial, 2 and 3 from 0, 4 from 3. */
  const trail = (actions: number[]): Outcome => ({ parents: Int32Array.from([-1, -1, 0, 0, 3]), actions: Int32Array.from(actions), decided: [], paths: [], distinct: 5, generated: 0, ms: 0 });

  it("finds the first id whose parent or action differs, or -1", () => {
    const a = trail([0, 1, 2, 5, 1]);
    expect(firstDifference(a, trail([0, 1, 2, 5, 1]))).toBe(-1);
    expect(firstDifference(a, trail([0, 1, 2, 6, 1]))).toBe(3);
    expect(firstDifference(a, { ...trail([0, 1, 2, 5, 1]), parents: Int32Array.from([-1, -1, 0, 0, 2]) })).toBe(4);
    expect(firstDifference(a, { ...trail([0, 1, 2, 5]), distinct: 4 })).toBe(4);
  });

  it("writes the initial index then the actions, as the engine's Path holds them", () => {
    const a = trail([0, 1, 2, 5, 1]);
    expect(pathOf(a, 4)).toBe("0 5 1");
    expect(pathOf(a, 1)).toBe("1");
    expect(pathOf(a, -1)).toBe("-");
  });
});
