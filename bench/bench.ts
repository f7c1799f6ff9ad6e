/**
 * `npm run bench [-- options]`: for each variant at each bounds preset, explores in a fresh
 * child process with symmetry off, on, and on with sleep sets (and, with --baseline REF, with
 * the engine of an older commit built in a temporary worktree, against which this build's plain
 * search is timed over the baseline's states: again to the state count the baseline reached when the
 * timeout stopped it, as a state costs more the larger the visited table), and prints distinct states, the
 * reduction, states per second, the successors sleep sets left uncomputed, bytes per stored
 * state and peak resident memory per state. Then the
 * matrix with one and with two worker threads, and checks with one and two. Figures are
 * measured and printed, never asserted: targets are judged by a person.
 *
 *   --bounds LIST       presets or bounds, separated by ';' (default "small"; "none" skips the state counts)
 *                       (B in the sections below may hold commas, "small,procs=3": their numbers are read from the end)
 *   --variants LIST     variant ids, separated by ',' (default: all)
 *   --timeout SECONDS   per run; a run stopped by it prints its rate and ">= N" states (default 600)
 *   --baseline REF      also run the engine and spec of git commit REF (e.g. caaf49c)
 *   --matrix BOUNDS     bounds of the matrix worker comparison (default "tiny"; "none" skips it)
 *   --check V,B,N[,R]   variant, bounds and --max-states of the check worker comparison, run R times in turn; several
 *                       separated by ';' (default "v6.12,small,3000000,1"; "none" skips it); each run's CPU time too,
 *                       and how much more of it two threads used than one
 *   --ceiling V,B,N     the machine's ceiling for two workers: the successors of the first N states of V at B computed by one
 *                       worker thread, then by two at once (default "v6.12,small,100000"; "none" skips it); see ceiling.ts
 *   --por V,B,N[,D]     how much a partial-order reduction could gain at most, on the first N states of V at B, with
 *                       lookaheads 0..D (default D 0; default none; e.g. "v6.12,small,5000,3"); see por-potential.ts
 *   --sleep V,B[,N]     how many successor computations sleep sets would save: V at B searched to the end with and without
 *                       them (symmetry off, at most N states, default 2,000,000; default none; e.g. "v6.12,tiny"); see sleep-potential.ts
 *
 * Bad input (an unknown option, a section that does not parse, a check that refuses its bounds)
 * prints one line and exits 2; anything else that fails prints one line and exits 70.
 */
import { type SpawnSyncReturns, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { benchCeiling } from "./ceiling.js";
import { benchPorPotential } from "./por-potential.js";
import { benchSleepPotential } from "./sleep-potential.js";
import { BenchInputError, median, middleOf, splitSection } from "./dax-dist.js";
import { cpuSeconds, peakRssBytes } from "./peak-rss-line.js";

/** One measured search. */
interface Run {
  status: string;
  distinct: number;
  generated: number;
  /** Successors sleep sets did not compute (0 without them, or for a baseline engine). */
  slept: number;
  seconds: number;
  statesPerSecond: number;
  /** The fingerprint table alone (undefined for a baseline engine, which has no such figure). */
  tableBytesPerState?: number;
  visitedBytesPerState: number;
  peakRssBytesPerState: number;
}

/** The engine and spec modules a run imports: this build, or a baseline commit's. */
interface Build {
  search: (model: unknown, options: object, frontier?: unknown, visited?: unknown) => {
    status: string;
    stats: { distinct: number; generated: number; slept?: number; elapsedMs: number; statesPerSecond: number; visitedBytes: number };
  };
  VisitedSet?: new () => { tableBytes?: () => number; close?: () => void };
  buildModel: (variant: unknown, bounds: unknown) => unknown;
  findVariant: (id: string) => unknown;
  parseBounds: (text: string) => { _tag: string; right?: unknown };
}

const here = dirname(fileURLToPath(import.meta.url));
/** The repository's root: dist/bench/ is two levels down. */
const root = resolve(here, "..", "..");

/** How a run searches: symmetry off, on, or on with sleep sets. */
type Mode = "plain" | "sym" | "sym-por";

/** Runs one search in this process (a child of the bench) and returns its figures. */
async function measure(distRoot: string, variantId: string, boundsText: string, mode: Mode, timeoutMs: number, maxStates?: number): Promise<Run> {
  const engine = (await import(pathToFileURL(join(distRoot, "src/engine/index.js")).href)) as Build;
  const spec = (await import(pathToFileURL(join(distRoot, "spec/index.js")).href)) as Build;
  const bounds = spec.parseBounds(boundsText);
  const variant = spec.findVariant(variantId);
  if (bounds._tag === "Left" || variant === undefined) throw new Error(`bad variant or bounds: ${variantId} ${boundsText}`);
  const model = spec.buildModel(variant, bounds.right);
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const visited = engine.VisitedSet === undefined ? undefined : new engine.VisitedSet();
  const options = { stopWhenDecided: false, symmetry: mode !== "plain", por: mode === "sym-por", timeoutMs, ...(maxStates === undefined ? {} : { maxStates }), reporter: { progress: sample, done: sample } };
  const r = engine.search(model, options, undefined, visited);
  sample();
  const n = r.stats.distinct;
  const table = visited?.tableBytes?.();
  visited?.close?.();
  return {
    status: r.status,
    distinct: n,
    generated: r.stats.generated,
    slept: r.stats.slept ?? 0,
    seconds: r.stats.elapsedMs / 1000,
    statesPerSecond: r.stats.statesPerSecond,
    ...(table === undefined ? {} : { tableBytesPerState: table / n }),
    visitedBytesPerState: r.stats.visitedBytes / n,
    peakRssBytesPerState: (peak - baseline) / n,
  };
}

/** One search in a fresh process, so no run inherits another's heap. */
function child(distRoot: string, variant: string, bounds: string, mode: Mode, timeoutMs: number, maxStates?: number): Run {
  const self = fileURLToPath(import.meta.url);
  const args = ["--expose-gc", self, "--one", distRoot, variant, bounds, mode, String(timeoutMs), ...(maxStates === undefined ? [] : [String(maxStates)])];
  return JSON.parse(runChild(`the ${variant} search at ${bounds}`, args, 1 << 20).stdout) as Run;
}

/**
 * A child node process (`args`) run to its end. When it ends with a status outside `ok`: exit 2
 * (its arguments refused) is bad input to the bench, anything else a failure, each one line naming
 * `what` and what the child said.
 */
function runChild(what: string, args: readonly string[], maxBuffer: number, ok: readonly number[] = [0]): SpawnSyncReturns<string> {
  const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer });
  if (run.status !== null && ok.includes(run.status)) return run;
  if (run.status === 2) throw new BenchInputError(`${what} refused it: ${lastSaid(run.stderr)}`);
  throw new Error(`${what} ended with ${run.status ?? run.signal}: ${lastSaid(run.stderr)}`);
}

/** The line a failed child's stderr is best quoted by: its `daxmc:` error when it has one (progress lines come before it), else its last line. */
function lastSaid(stderr: string): string {
  const lines = stderr.split("\n").filter((line) => line.trim() !== "" && peakRssBytes(line) === undefined);
  return lines.find((line) => line.startsWith("daxmc:")) ?? lines.at(-1) ?? "(nothing on stderr)";
}

/** Builds commit `ref` in a temporary worktree (sharing this node_modules); returns its dist folder and a cleanup. */
function buildBaseline(ref: string): { dist: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "daxmc-bench-baseline-"));
  const tree = join(dir, "tree");
  const added = spawnSync("git", ["-C", root, "worktree", "add", "--detach", "--quiet", tree, ref], { encoding: "utf8" });
  if (added.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new BenchInputError(`bench --baseline '${ref}': git cannot check it out (${lastSaid(added.stderr)}); give a commit of this repository, e.g. caaf49c`);
  }
  const remove = (): void => {
    execFileSync("git", ["-C", root, "worktree", "remove", "--force", tree], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    symlinkSync(join(root, "node_modules"), join(tree, "node_modules"));
    execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(tree, "tsconfig.json")], { stdio: "inherit" });
  } catch (e) {
    remove();
    throw e;
  }
  return { dist: join(tree, "dist"), remove };
}

const int = (n: number): string => Math.round(n).toLocaleString("en-US");
const count = (r: Run): string => `${r.status === "complete" ? "" : ">="}${int(r.distinct)}`;
const pad = (s: string, n: number): string => s.padStart(n);

/** The table of one bounds preset. */
function benchBounds(bounds: string, variants: readonly string[], timeoutMs: number, baselineDist: string | undefined): void {
  const dist = join(root, "dist");
  console.log(`\nbounds ${bounds}`);
  const head = ["variant", "distinct (plain)", "distinct (symmetry)", "reduction", "states/s plain", "states/s sym", "states/s sym+sleep", "not computed", ...(baselineDist ? ["states/s baseline", "plain vs baseline (same states)", "s baseline", "s sym", "answer vs baseline"] : []), "table B/state", "visited B/state", "peak RSS B/state"];
  console.log(head.join(" | "));
  for (const v of variants) {
    const plain = child(dist, v, bounds, "plain", timeoutMs);
    const sym = child(dist, v, bounds, "sym", timeoutMs);
    const sleep = child(dist, v, bounds, "sym-por", timeoutMs);
    const first = baselineDist === undefined ? undefined : child(baselineDist, v, bounds, "plain", timeoutMs);
    // A state costs more as the visited table grows, so rates are compared over the same states: the baseline's, when the timeout cut them short.
    const once = first === undefined || first.status === "complete" || plain.status === "complete" ? plain : child(dist, v, bounds, "plain", timeoutMs, first.distinct);
    const { base, same } = baselineDist === undefined || first === undefined ? { base: first, same: once } : shortRunMedians(v, bounds, timeoutMs, dist, baselineDist, first, once);
    const complete = plain.status === "complete" && sym.status === "complete";
    const cells = [
      v.padEnd(21),
      pad(count(plain), 13),
      pad(count(sym), 13),
      pad(complete ? `${(plain.distinct / sym.distinct).toFixed(2)}x` : "n/a", 7),
      pad(int(plain.statesPerSecond), 9),
      pad(int(sym.statesPerSecond), 9),
      pad(int(sleep.statesPerSecond), 9),
      pad(`${((100 * sleep.slept) / Math.max(1, sleep.generated)).toFixed(1)}%`, 6),
      ...(base === undefined ? [] : againstBaseline(base, same, sym)),
      pad((plain.tableBytesPerState ?? NaN).toFixed(1), 5),
      pad(plain.visitedBytesPerState.toFixed(1), 5),
      pad(plain.peakRssBytesPerState.toFixed(1), 6),
    ];
    console.log(cells.join(" | "));
  }
}

/** Whole spaces the baseline exhausts in fewer seconds than this are measured SHORT_RUN_ROUNDS times. */
const SHORT_RUN_SECONDS = 20;
/** Runs of each build, in turn, for such a space: on this machine one pair of two-second runs can differ from the next by a fifth. */
const SHORT_RUN_ROUNDS = 7;

/**
 * For a whole space the baseline exhausts in under SHORT_RUN_SECONDS (start-up and the JIT's warming
 * then weigh, and one pair proves little), runs of the baseline and this build in turn until each
 * has SHORT_RUN_ROUNDS, and returns the run with the median rate of each, printing every pair;
 * otherwise the one pair as it is.
 */
function shortRunMedians(v: string, bounds: string, timeoutMs: number, dist: string, baselineDist: string, base: Run, same: Run): { base: Run; same: Run } {
  if (base.status !== "complete" || same.status !== "complete" || base.seconds >= SHORT_RUN_SECONDS) return { base, same };
  const bases = [base];
  const sames = [same];
  while (bases.length < SHORT_RUN_ROUNDS) {
    bases.push(child(baselineDist, v, bounds, "plain", timeoutMs));
    sames.push(child(dist, v, bounds, "plain", timeoutMs));
  }
  const pairs = sames.map((r, i) => `${(r.statesPerSecond / bases[i].statesPerSecond).toFixed(2)}x`);
  console.log(`  (${v}: the baseline exhausts it in under ${SHORT_RUN_SECONDS} s, so ${SHORT_RUN_ROUNDS} runs of each in turn, their medians below; pairs ${pairs.join(", ")})`);
  const rate = (r: Run): number => r.statesPerSecond;
  return { base: middleOf(bases, rate), same: middleOf(sames, rate) };
}

/**
 * The baseline's states/s, the rate of `same` (the plain search over the baseline's states) over it
 * (per-state speed), then the seconds
 * each took to exhaust the space with symmetry off (baseline) and on (this build), and their
 * ratio: how much sooner one core gives the answer. A run a limit stopped has no such time.
 */
function againstBaseline(base: Run, same: Run, sym: Run): string[] {
  const seconds = (r: Run): string => (r.status === "complete" ? r.seconds.toFixed(1) : `>${r.seconds.toFixed(0)}`);
  const both = base.status === "complete" && sym.status === "complete";
  return [
    pad(int(base.statesPerSecond), 9),
    pad(`${(same.statesPerSecond / base.statesPerSecond).toFixed(2)}x`, 6),
    pad(seconds(base), 7),
    pad(seconds(sym), 7),
    pad(both ? `${(base.seconds / sym.seconds).toFixed(2)}x` : "n/a", 6),
  ];
}

/** `daxmc matrix` with one worker thread, then two: every variant's distinct states over the wall time. */
function benchMatrix(bounds: string): void {
  const main = join(root, "dist/src/cli/main.js");
  const out = mkdtempSync(join(tmpdir(), "daxmc-bench-matrix-"));
  try {
    console.log(`\nmatrix at ${bounds} (every variant, symmetry on), one search per worker thread:`);
    for (const workers of [1, 2]) {
      const start = performance.now();
      const { stdout: text } = runChild(`bench --matrix '${bounds}': daxmc matrix`, [main, "matrix", "--bounds", bounds, "--json", "--workers", String(workers), "--out", out], 64 << 20);
      const seconds = (performance.now() - start) / 1000;
      const doc = JSON.parse(text) as { variants: { stats: { distinct: number } }[] };
      const states = doc.variants.reduce((sum, r) => sum + r.stats.distinct, 0);
      console.log(`  --workers ${workers}: ${int(states)} states in ${seconds.toFixed(1)} s, ${int(states / seconds)} states/s`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * `daxmc check` of one variant with one worker thread, then two, `rounds` times in turn (this
 * machine's speed drifts by a quarter from run to run, so one pair proves little): each run's
 * distinct states, seconds, states/s and visited set bytes per state (tables and the trail's
 * memory) as the report gives them, and the process's peak resident set (peak-rss.ts), then the
 * median of each and of the pairs' ratios.
 */
function benchCheck(spec: string): void {
  const { variant, bounds, numbers } = checkSection(spec);
  const [maxStates, rounds = 1] = numbers;
  const main = join(root, "dist/src/cli/main.js");
  const preload = pathToFileURL(join(root, "dist/bench/peak-rss.js")).href;
  const out = mkdtempSync(join(tmpdir(), "daxmc-bench-check-"));
  try {
    console.log(`\ncheck ${variant} at ${bounds} (symmetry on, --max-states ${maxStates}), one search computed by N worker threads, ${rounds} round${rounds === 1 ? "" : "s"}:`);
    const seconds: [number[], number[]] = [[], []];
    const cpu: [number[], number[]] = [[], []];
    for (let round = 0; round < rounds; round++) {
      for (const workers of [1, 2]) {
        const argv = ["--import", preload, main, "check", "--variant", variant, "--bounds", bounds, "--max-states", String(maxStates), "--json", "--workers", String(workers), "--out", out];
        // 0, 1 or 3: holds, violated, stopped by a limit, each with a report.
        const run = runChild(`bench --check '${spec}': daxmc check`, argv, 64 << 20, [0, 1, 3]);
        const { stats } = checkReport(spec, run);
        seconds[workers - 1].push(stats.elapsedMs / 1000);
        const peak = peakRssBytes(run.stderr);
        const memory = peak === undefined ? "" : `, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (${(peak / stats.distinct).toFixed(1)} B/state)`;
        const visited = `visited set ${(stats.visitedBytes / stats.distinct).toFixed(1)} B/state`;
        const used = cpuSeconds(run.stderr);
        if (used !== undefined) cpu[workers - 1].push(used);
        const time = used === undefined ? "" : `, CPU ${used.toFixed(1)} s`;
        console.log(`  --workers ${workers}: ${int(stats.distinct)} states in ${(stats.elapsedMs / 1000).toFixed(1)} s, ${int(stats.statesPerSecond)} states/s, ${visited}${memory}${time}`);
      }
    }
    if (rounds > 1) {
      const ratios = seconds[0].map((one, i) => one / seconds[1][i]);
      console.log(`  medians: one thread ${median(seconds[0]).toFixed(1)} s, two ${median(seconds[1]).toFixed(1)} s; two threads ${median(ratios).toFixed(2)}x as fast (pairs ${ratios.map((r) => r.toFixed(2)).join(", ")})`);
    }
    // The CPU each process used, start-up included: on two cores, two threads doing w times the one thread's work are at most 2 / w as fast.
    if (cpu[0].length === rounds && cpu[1].length === rounds) {
      const work = median(cpu[1].map((two, i) => two / cpu[0][i]));
      console.log(`  CPU: one thread ${median(cpu[0]).toFixed(1)} s, two ${median(cpu[1]).toFixed(1)} s (medians); two threads used ${work.toFixed(2)}x the CPU time of one, which caps them at ${(2 / work).toFixed(2)}x on two cores`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A `--check` section's parts: V, B, then N and R. */
function checkSection(spec: string): ReturnType<typeof splitSection> {
  return splitSection("--check", spec, 2, 1);
}

/** The report of a `check --json` run that ended as a check does; Node also ends 1 on an error of its own, with no report on stdout. */
function checkReport(spec: string, run: SpawnSyncReturns<string>): { stats: { distinct: number; elapsedMs: number; statesPerSecond: number; visitedBytes: number } } {
  try {
    return JSON.parse(run.stdout) as ReturnType<typeof checkReport>;
  } catch {
    throw new Error(`bench --check '${spec}': daxmc check ended with ${run.status} and no report: ${lastSaid(run.stderr)}`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--one") {
    const [, distRoot, variant, bounds, mode, timeout, maxStates] = argv;
    process.stdout.write(JSON.stringify(await measure(distRoot, variant, bounds, mode as Mode, Number(timeout), maxStates === undefined ? undefined : Number(maxStates))));
    return;
  }
  const { values } = parseArgs({
    args: argv,
    options: { bounds: { type: "string" }, variants: { type: "string" }, timeout: { type: "string" }, baseline: { type: "string" }, matrix: { type: "string" }, check: { type: "string" }, ceiling: { type: "string" }, por: { type: "string" }, sleep: { type: "string" } },
  });
  const spec = (await import(pathToFileURL(join(root, "dist/spec/index.js")).href)) as SpecNames;
  const variants = values.variants?.split(",") ?? spec.VARIANTS.map((v) => v.id);
  const timeoutMs = Number(values.timeout ?? "600") * 1000;
  const boundsList = values.bounds === "none" ? [] : (values.bounds ?? "small").split(";");
  const matrix = values.matrix ?? "tiny";
  const checks = values.check === "none" ? [] : (values.check ?? "v6.12,small,3000000").split(";");
  const ceiling = values.ceiling === "none" ? [] : [values.ceiling ?? "v6.12,small,100000"];
  const por = values.por === undefined || values.por === "none" ? [] : values.por.split(";");
  const sleep = values.sleep === undefined || values.sleep === "none" ? [] : values.sleep.split(";");
  // Everything read before any search, so that a bad section is not found after an hour.
  for (const v of variants) knownVariant(spec, "--variants", v);
  for (const b of boundsList) validBounds(spec, "--bounds", b);
  if (matrix !== "none") validBounds(spec, "--matrix", matrix);
  const sections = [
    ...checks.map((s) => ["--check", checkSection(s)] as const),
    ...ceiling.map((s) => ["--ceiling", splitSection("--ceiling", s, 1)] as const),
    ...por.map((s) => ["--por", splitSection("--por", s, 2, 1)] as const),
    ...sleep.map((s) => ["--sleep", splitSection("--sleep", s, 1, 1)] as const),
  ];
  for (const [flag, { variant, bounds }] of sections) {
    knownVariant(spec, flag, variant);
    validBounds(spec, flag, bounds);
  }
  const base = values.baseline === undefined ? undefined : buildBaseline(values.baseline);
  try {
    console.log(`daxmc bench: one search per fresh process (node ${process.version}); timeout ${timeoutMs / 1000} s a run${base ? `; baseline ${values.baseline}` : ""}`);
    console.log("table: the visited set's fingerprint table; visited: the table and the trail's in-memory part (in --check, with two workers: the stored and the level tables); peak RSS: the process's growth (in --check: the whole process's peak)");
    for (const bounds of boundsList) benchBounds(bounds, variants, timeoutMs, base?.dist);
  } finally {
    base?.remove();
  }
  if (matrix !== "none") benchMatrix(matrix);
  for (const s of checks) benchCheck(s);
  for (const s of ceiling) await benchCeiling(join(root, "dist"), s);
  for (const s of por) await benchPorPotential(join(root, "dist"), s);
  for (const s of sleep) await benchSleepPotential(join(root, "dist"), s);
}

/** What the bench reads of the spec to check its input. */
interface SpecNames {
  VARIANTS: readonly { id: string }[];
  parseBounds: (text: string) => { _tag: string; left?: unknown };
}

/** Refuses a variant the spec does not have, naming where the ids are listed. */
function knownVariant(spec: SpecNames, flag: string, id: string): void {
  if (!spec.VARIANTS.some((v) => v.id === id)) throw new BenchInputError(`bench ${flag}: no variant '${id}'; daxmc list names them`);
}

/** Refuses bounds the spec does not parse, with the spec's own reason. */
function validBounds(spec: SpecNames, flag: string, text: string): void {
  const parsed = spec.parseBounds(text);
  if (parsed._tag === "Left") throw new BenchInputError(`bench ${flag} '${text}': ${String(parsed.left)}`);
}

/** Whether `e` is bad input: the bench's own, or an option parseArgs does not know. */
function badInput(e: unknown): boolean {
  return e instanceof BenchInputError || (typeof (e as { code?: unknown })?.code === "string" && (e as { code: string }).code.startsWith("ERR_PARSE_ARGS"));
}

try {
  await main();
} catch (e) {
  // One line: the first of the message (a failed child's command line comes first in Node's own).
  console.error(`bench: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  process.exitCode = badInput(e) ? 2 : 70;
}
