/**
 * Starting the worker threads of a search, with room for little compiled code, and counting
 * those running, so that tests can check that none is left behind.
 */
import { Worker } from "node:worker_threads";

/**
 * Megabytes of address space reserved for each worker's compiled code: V8's default reservation
 * (128 MiB and more) made a worker add 600 to 840 MiB of virtual size, and under `ulimit -v` a
 * failed reservation aborts the whole process; with 16 a worker adds about 95 MiB (the first 350).
 * A worker's code takes under 1 MiB.
 */
const CODE_RANGE_MB = 16;

/** Threads of searches now running, in this process: none once every search has returned. */
const live = new Set<Worker>();

/** How many worker threads of searches are running now (for tests: none is left behind). */
export function runningSearchWorkers(): number {
  return live.size;
}

/** A search's worker thread running `workerFile` with `data`, counted by `runningSearchWorkers` until it exits (the promise resolves then). */
export function startSearchWorker(workerFile: string | URL, data: unknown): { readonly worker: Worker; readonly exited: Promise<unknown> } {
  const worker = new Worker(workerFile, { workerData: data, resourceLimits: { codeRangeSizeMb: CODE_RANGE_MB } });
  live.add(worker);
  return { worker, exited: new Promise((resolve) => worker.once("exit", resolve)).finally(() => live.delete(worker)) };
}
