import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import * as Either from "effect/Either";
import { beforeAll, describe, expect, it } from "vitest";
import { type Bounds, PRESETS, VARIANTS, buildModel, findVariant } from "../../spec/index.js";
import type { Reporter, SearchResult, SearchStats } from "../../src/core/result.js";
import { searchAsync } from "../../src/engine/index.js";
import { CliFailure, formatCliError } from "../../src/cli/errors.js";
import { type PoolOptions, matrixWorkerFile, searchInWorkers } from "../../src/cli/matrix-pool.js";
import type { WorkerJob } from "../../src/cli/worker-protocol.js";
import { parseWorkers } from "../../src/cli/workers.js";
import { ONE_LINE, type Run, daxmc, tempDir } from "./run.js";

/** The compiled worker: these tests need dist/ (npm test builds it), and must not pass by falling back to one thread. */
function workerFile(): string {
  const file = matrixWorkerFile();
  if (file === undefined) throw new Error("dist/src/cli/matrix-worker.js is missing: run npx tsc -p tsconfig.json first");
  return file;
}

/** A JSON report without its times, which are all that may differ between two runs. */
function timeless(run: Run): unknown {
  const doc = JSON.parse(run.stdout) as { variants: { stats: Record<string, unknown> }[] };
  for (const v of doc.variants) {
    delete v.stats.elapsedMs;
    delete v.stats.statesPerSecond;
  }
  return doc;
}

/** A result without its times. */
function untimed(r: SearchResult): unknown {
  const { elapsedMs: _e, statesPerSecond: _s, ...stats } = r.stats;
  return { ...r, stats };
}

/** Every file under `dir`, by path relative to it, with its bytes. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name), "latin1");
  }
  return out;
}

const unlimited = { shareBytes: 2 ** 50, maxMemoryBytes: 2 ** 50 };

/** A job for `variant` at `bounds`. */
const job = (variant: string, bounds: Bounds = PRESETS.tiny, limits = {}, memory = unlimited): WorkerJob => ({ variant, bounds, limits, memory });

/** Pool options that run `jobOf` jobs in `file`, reporting nowhere. */
function pool(file: string, jobOf: (v: string) => WorkerJob, extra: Partial<PoolOptions> = {}): PoolOptions {
  return { workerFile: file, workers: 2, jobOf, reporterOf: () => ({ progress: () => {} }), onResult: () => {}, ...extra };
}

describe("matrix --workers 2 gives the report and files of --workers 1", () => {
  let one: { cwd: string; run: Run };
  let two: { cwd: string; run: Run };
  beforeAll(async () => {
    workerFile();
    const run = async (workers: string) => {
      const cwd = tempDir();
      // Each variant to 30,000 states: enough for most of its counterexamples, in about half the time of the whole spaces.
      return { cwd, run: await daxmc(["matrix", "--bounds", "tiny", "--max-states", "30000", "--json", "--workers", workers], cwd) };
    };
    one = await run("1");
    two = await run("2");
  }, 120_000);

  it("the same JSON report, rows in VARIANTS order, up to times", () => {
    expect([two.run.code, two.run.stderr]).toEqual([3, ""]);
    expect(one.run.code).toBe(3);
    expect((JSON.parse(two.run.stdout) as { variants: { variant: string }[] }).variants.map((v) => v.variant)).toEqual(VARIANTS.map((v) => v.id));
    expect(timeless(two.run)).toEqual(timeless(one.run));
  });

  it("the same counterexample files, byte for byte", () => {
    const a = filesUnder(join(one.cwd, "counterexamples"));
    expect(Object.keys(a).length).toBeGreaterThan(5);
    expect(filesUnder(join(two.cwd, "counterexamples"))).toEqual(a);
  });
});

describe("a worker's search", () => {
  it.each([["v4.18", 20_000], ["reflink-singular", 50_000]])("of %s (max %i states) equals the in-process search, sent as plain data", async (id, maxStates) => {
    const variant = findVariant(id)!;
    const here = await searchAsync(buildModel(variant, PRESETS.tiny), { maxStates });
    const there = await searchInWorkers([id], pool(workerFile(), (v) => job(v, PRESETS.tiny, { maxStates })));
    expect(untimed(there.get(id)!)).toEqual(untimed(here));
  });

  it("forwards progress, and stops 'interrupted' with what it found when the signal aborts", async () => {
    const seen: string[] = [];
    let done: SearchStats | undefined;
    const reporterOf = (v: string): Reporter => ({ progress: () => void seen.push(v), done: (s) => void (done = s) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const results = await searchInWorkers(["v6.1"], pool(workerFile(), (v) => job(v, PRESETS.full), { reporterOf, signal: controller.signal }));
    const r = results.get("v6.1")!;
    expect([r.status, r.stopReason]).toEqual(["incomplete", "interrupted"]);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(["v6.1"]));
    expect(done).toEqual(r.stats);
  });

  it("begins no variant after an interrupt, and returns those it began", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    const ids = VARIANTS.map((v) => v.id);
    const results = await searchInWorkers(ids, pool(workerFile(), (v) => job(v, PRESETS.full), { signal: controller.signal }));
    expect([...results.keys()].sort()).toEqual(ids.slice(0, 2).sort());
  });

  it("stops at its share of --max-memory", async () => {
    const results = await searchInWorkers(["v4.18"], pool(workerFile(), (v) => job(v, PRESETS.tiny, {}, { shareBytes: 1, maxMemoryBytes: 2 ** 50 })));
    expect(results.get("v4.18")!.stopReason).toBe("memory");
  });
});

describe("a worker that fails", () => {
  /** A worker module that, for v4.18, does `failure`, and for any other variant searches forever. */
  function failingWorker(failure: string): string {
    const file = join(tempDir(), "worker.mjs");
    writeFileSync(file, [
      'import { workerData } from "node:worker_threads";',
      `if (workerData.matrixJob.variant === "v4.18") setTimeout(() => { ${failure} }, 200);`,
      "else setInterval(() => {}, 1000);",
    ].join("\n"));
    return file;
  }

  it.each([
    ["throws", 'throw new Error("the engine broke\\n    at somewhere (engine.ts:1:1)");', "the engine broke"],
    ["exits", "process.exit(3);", "its thread exited with code 3"],
  ])("%s: one internal error line, no stack trace, and the other worker is stopped", async (_how, failure, why) => {
    const started = performance.now();
    const run = searchInWorkers(["v4.18", "v6.1", "v6.12"], pool(failingWorker(failure), (v) => job(v)));
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CliFailure);
    const line = formatCliError((error as CliFailure).error);
    expect((error as CliFailure).error.code).toBe("internal");
    expect(`${line}\n`).toMatch(ONE_LINE);
    expect(line).toBe(`daxmc: internal error: the worker thread searching v4.18 failed (${why}): please report it with the command line that caused it (--workers 1 searches without worker threads)`);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("--workers", () => {
  it("defaults to the number of CPU cores", () => {
    expect(parseWorkers(undefined)).toEqual(Either.right(Math.min(availableParallelism(), 64)));
  });

  it.each([["0"], ["-1"], ["abc"], ["1000"], ["65"], ["1.5"], ["0x2"]])("--workers %s: one line, exit 2, nothing searched", async (value) => {
    const cwd = tempDir();
    const r = await daxmc(["matrix", "--bounds", "tiny", "--workers", value], cwd);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(existsSync(join(cwd, "counterexamples"))).toBe(false);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toBe(`daxmc: --workers '${value}' is not valid: give a whole number of worker threads from 1 to 64 (1 searches the variants one after another), e.g. --workers 2\n`);
  });

  it("an interrupt during a 2-worker run reports the variants begun, names those not begun (the last ones), exits 3", async () => {
    const cwd = tempDir();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const r = await daxmc(["matrix", "--bounds", "full", "--workers", "2"], cwd, false, controller.signal);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/incomplete: the search stopped at an interrupt/);
    const skipped = /^ {2}not searched \(interrupted before they began\): (.*)$/m.exec(r.stdout)?.[1]?.split(", ") ?? [];
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped).toEqual(VARIANTS.slice(VARIANTS.length - skipped.length).map((v) => v.id));
    const header = r.stdout.split("\n").find((l) => l.startsWith("invariant "))!.split(/\s+/).slice(1);
    expect(header).toEqual(VARIANTS.slice(0, VARIANTS.length - skipped.length).map((v) => v.id));
  });
});
