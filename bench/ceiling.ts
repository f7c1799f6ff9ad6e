/**
 * What two threads can give on this machine at all: the same fixed work (computing the
 * successors of the first N states of a variant, symmetry on, as a worker of `check --workers`
 * does) done by one worker thread, then by two at once, each doing all of it. Their combined rate
 * over the one thread's rate bounds the speedup of `check --workers 2`, which also has to store
 * what the threads compute. Run as the bench's `--ceiling V,B,N` section, and as its own workers.
 */
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { type BenchModel, type DaxDist, keyer, loadDax, splitSection, walkFirst } from "./dax-dist.js";

/** What a measuring thread is given. */
interface Job {
  readonly distRoot: string;
  readonly variant: string;
  readonly bounds: string;
  readonly states: readonly Uint8Array[];
  readonly rounds: number;
}

/** The first `n` distinct states of a breadth-first walk (not folded by symmetry), encoded. */
function firstStates(m: DaxDist, model: BenchModel, n: number): Uint8Array[] {
  const enc = new m.Encoder(256);
  const out: Uint8Array[] = [];
  walkFirst(model, keyer(model, enc), n, (s) => {
    enc.reset();
    model.encode(s, enc);
    out.push(enc.view().slice());
  });
  return out;
}

/** Milliseconds to expand every state `rounds` times, after one round to warm up. */
async function expandAll(job: Job): Promise<number> {
  const m = await loadDax(job.distRoot);
  const model = m.modelOf(job.variant, job.bounds);
  const expander = new m.Expander(model, new m.StateKey(model, true));
  const round = (): void => {
    for (const bytes of job.states) expander.successors(model.decode(bytes), true);
  };
  round();
  const start = performance.now();
  for (let r = 0; r < job.rounds; r++) round();
  return performance.now() - start;
}

/** Runs `threads` worker threads at once, each expanding every state; their milliseconds. */
async function inThreads(job: Job, threads: number): Promise<number[]> {
  const file = new URL(import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(file, { workerData: job }));
  try {
    return await Promise.all(workers.map((w) => new Promise<number>((resolve, reject) => w.once("message", resolve).once("error", reject))));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Prints the rate of one thread and of two at once over `spec` ("V,B,N"): the machine's ceiling for two workers. */
export async function benchCeiling(distRoot: string, spec: string): Promise<void> {
  const { variant, bounds, numbers } = splitSection("--ceiling", spec, 1);
  const m = await loadDax(distRoot);
  const states = firstStates(m, m.modelOf(variant, bounds), numbers[0]);
  const job: Job = { distRoot, variant, bounds, states, rounds: 5 };
  const work = states.length * job.rounds;
  const rate = (ms: number): number => (work * 1000) / ms;
  console.log(`\nceiling: the successors of the first ${states.length.toLocaleString("en-US")} states of ${variant} at ${bounds} (symmetry on), ${job.rounds} times, in worker threads:`);
  for (let trial = 1; trial <= 3; trial++) {
    const [one] = await inThreads(job, 1);
    const two = await inThreads(job, 2);
    const combined = two.reduce((sum, ms) => sum + rate(ms), 0);
    const each = two.map((ms) => Math.round(rate(ms)).toLocaleString("en-US")).join(" and ");
    console.log(`  trial ${trial}: one thread ${Math.round(rate(one)).toLocaleString("en-US")} states/s; two at once ${each}, together ${(combined / rate(one)).toFixed(2)} times one`);
  }
}

if (!isMainThread && parentPort !== null && typeof workerData === "object" && workerData !== null && "rounds" in workerData) {
  parentPort.postMessage(await expandAll(workerData as Job));
}
