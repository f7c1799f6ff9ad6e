/**
 * `check --workers N`: one search of a DAX variant whose N worker threads store the states in
 * one shared table gives the one-thread search's result (all but its times and the bytes it
 * holds) and the same report and files. Needs dist/ (npm test builds it): worker threads run
 * the compiled engine and recipe.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SearchOptions, SearchResult } from "../../src/core/result.js";
import { daxModel, daxRecipe } from "../../src/cli/dax-recipe.js";
import { workersThatFit } from "../../src/cli/memory.js";
import { compiledFile } from "../../src/cli/version.js";
import { type Bounds, PRESETS } from "../../src/cli/wiring.js";
import { searchAsync, searchShared } from "../../src/engine/index.js";
import { runningSearchWorkers } from "../../src/engine/search-workers.js";
import { withPartner } from "../../src/report/verdicts.js";
import { ONE_LINE, type Run, daxmc, tempDir } from "./run.js";

/** The compiled worker and recipe: these tests must not pass by falling back to one thread. */
function parallelAt(variant: string, bounds: Bounds = PRESETS.tiny): { recipe: NonNullable<ReturnType<typeof daxRecipe>>; workerFile: string } {
  const recipe = daxRecipe(variant, bounds);
  const workerFile = compiledFile("src/engine/shared-worker.js");
  if (recipe === undefined || workerFile === undefined) throw new Error("dist/ has no build: run npx tsc -p tsconfig.json first");
  return { recipe, workerFile };
}

/** A result without its times and the bytes it holds (the shared table's), the only fields a shared search may differ in. */
function untimed(r: SearchResult): unknown {
  const { elapsedMs: _e, statesPerSecond: _s, visitedBytes: _b, ...stats } = r.stats;
  return { ...r, stats };
}

/** A JSON report without its times and bytes held, and with file paths relative to the run's folder. */
function timeless(run: Run, cwd: string): unknown {
  const doc = JSON.parse(run.stdout.replaceAll(cwd, "CWD")) as { stats: Record<string, unknown> };
  delete doc.stats.elapsedMs;
  delete doc.stats.statesPerSecond;
  delete doc.stats.visitedBytes;
  return doc;
}

/** Every file under `dir`, by path relative to it, with its bytes. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name), "latin1");
  }
  return out;
}

/** Variant, symmetry, limits or selection, and what the one-thread search gives: status, distinct, generated, depth, decided verdicts. */
const CASES: readonly [string, boolean, SearchOptions & { invariant?: string }, readonly [string, number, number, number, number]][] = [
  ["v4.18", true, {}, ["complete", 25_229, 153_364, 19, 7]],
  ["v4.18", false, { countStates: true }, ["complete", 47_018, 283_812, 23, 7]],
  ["v6.12", true, {}, ["complete", 151_195, 905_090, 21, 12]],
  ["v6.12", false, { maxDepth: 8 }, ["incomplete", 21_050, 145_639, 8, 12]],
  ["reflink-singular", true, { maxStates: 60_000 }, ["incomplete", 60_001, 285_278, 10, 17]],
  ["reflink-singular", false, { invariant: "no_warn_associate" }, ["complete", 547, 1_369, 3, 2]],
  // With sleep sets each level reference carries its state's mask: the same again, `slept` included.
  ["v6.12", true, { por: true }, ["complete", 151_195, 905_090, 21, 12]],
  ["reflink-singular", true, { maxStates: 60_000, por: true }, ["incomplete", 60_001, 285_278, 10, 17]],
];

describe("a search in 2 worker threads taking runs of 1 parent, so that they interleave, equals the one-thread search at tiny (3 threads: test/engine/shared-search.test.ts)", () => {
  it.each(CASES)("%s, symmetry %s, %j", async (variant, symmetry, { invariant, ...limits }, expected) => {
    const model = daxModel({ variant, bounds: PRESETS.tiny });
    const options = { ...limits, symmetry, ...(invariant === undefined ? {} : { properties: withPartner(model.properties, invariant) }) };
    const one = await searchAsync(model, options);
    const decided = one.verdicts.filter((v) => v.kind === "violated" || v.kind === "reached").length;
    expect([one.status, one.stats.distinct, one.stats.generated, one.stats.depth, decided]).toEqual(expected);
    expect(one.stats.slept > 0).toBe(limits.por === true);
    const { recipe, workerFile } = parallelAt(variant);
    expect(untimed(await searchShared(recipe, options, { workers: 2, workerFile, run: 1, chunkBytes: 1024 }))).toEqual(untimed(one));
    expect(runningSearchWorkers()).toBe(0);
  });

  it("started after half a second in this thread, the threads take over where it got to, with the same result", async () => {
    const model = daxModel({ variant: "v6.12", bounds: PRESETS.tiny });
    const running: number[] = [];
    const reporter = { progress: () => void running.push(runningSearchWorkers()) };
    const one = await searchAsync(model, { symmetry: true });
    const { recipe, workerFile } = parallelAt("v6.12");
    const handedOver = await searchShared(recipe, { symmetry: true, reporter }, { workers: 2, workerFile, sequentialMs: 500 });
    expect(untimed(handedOver)).toEqual(untimed(one));
    expect(running[0]).toBe(0);
    expect(running.at(-1)).toBe(2);
    expect(runningSearchWorkers()).toBe(0);
  });

  it("an abort stops it 'interrupted' with what it decided, and no worker thread is left running", async () => {
    const controller = new AbortController();
    const running: number[] = [];
    setTimeout(() => controller.abort(), 1500);
    const { recipe, workerFile } = parallelAt("v6.1", PRESETS.full);
    const reporter = { progress: () => void running.push(runningSearchWorkers()) };
    const r = await searchShared(recipe, { symmetry: true, reporter, signal: controller.signal }, { workers: 2, workerFile });
    expect([r.status, r.stopReason]).toEqual(["incomplete", "interrupted"]);
    expect(r.verdicts.some((v) => v.kind === "violated")).toBe(true);
    expect(r.verdicts.some((v) => v.kind === "undecided")).toBe(true);
    expect(running.length).toBeGreaterThan(0);
    expect(new Set(running)).toEqual(new Set([2]));
    expect(runningSearchWorkers()).toBe(0);
  });
});

describe("daxmc check --workers", () => {
  it("--workers 2 prints the report --workers 1 prints and writes the same files, byte for byte (v6.12 small to 400,000 states: threads start after a second)", async () => {
    const run = async (workers: string) => {
      const cwd = tempDir();
      return { cwd, run: await daxmc(["check", "--variant", "v6.12", "--bounds", "small", "--max-states", "400000", "--json", "--workers", workers], cwd) };
    };
    const one = await run("1");
    const two = await run("2");
    expect([one.run.code, two.run.code, two.run.stderr]).toEqual([1, 1, ""]);
    expect(timeless(two.run, two.cwd)).toEqual(timeless(one.run, one.cwd));
    expect((JSON.parse(one.run.stdout) as { stats: { distinct: number } }).stats.distinct).toBe(400_000);
    const files = filesUnder(join(one.cwd, "counterexamples"));
    expect(Object.keys(files).length).toBe(9);
    expect(filesUnder(join(two.cwd, "counterexamples"))).toEqual(files);
  });

  it("under a ulimit -v with no room for the threads it searches in one thread, where starting them would abort the process", () => {
    const main = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));
    const cwd = tempDir();
    const argv = ["check", "--variant", "v6.12", "--bounds", "tiny", "--brief", "--workers", "2"].join(" ");
    const r = spawnSync("bash", ["-c", `ulimit -v 1200000; "${process.execPath}" "${main}" ${argv}`], { cwd, encoding: "utf8" });
    expect([r.status, r.stderr]).toEqual([1, ""]);
    expect(r.stdout).toMatch(/^result: 2 violations \(no_deadlock, no_stuck_state\)$/m);
  });

  it("lets as many threads start as leave, each 384 MiB, as much again for the search under ulimit -v", () => {
    const vm = Number(/^VmSize:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))![1]) * 1024;
    const room = (shares: number) => vm + 32 * 2 ** 20 + shares * 384 * 2 ** 20;
    expect([workersThatFit(3, undefined), workersThatFit(3, room(4.5)), workersThatFit(3, room(3.5)), workersThatFit(3, room(2.5)), workersThatFit(3, room(1.5)), workersThatFit(3, vm)]).toEqual([3, 3, 2, 1, 0, 0]);
  });

  it.each([["0"], ["65"], ["two"]])("--workers %s: one line, exit 2, nothing searched", async (value) => {
    const r = await daxmc(["check", "--variant", "v6.12", "--bounds", "tiny", "--workers", value]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toBe(`daxmc: --workers '${value}' is not valid: give a whole number of worker threads from 1 to 64 (1 searches in this thread), e.g. --workers 2\n`);
  });
});
