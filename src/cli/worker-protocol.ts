/**
 * The messages between `matrix` and its worker threads. Everything here crosses the thread
 * boundary by structured clone, so it is plain data only: SearchResult and SearchStats are
 * (numbers, strings, arrays, plain objects, no functions, classes or typed arrays), so they
 * travel as they are; a test checks a worker's result equals the in-process one.
 */
import type { SearchResult, SearchStats } from "../core/result.js";
import type { Limits } from "./args.js";
import type { Bounds } from "./wiring.js";

/** The memory a worker's search may use (see `workerMemoryShort`). */
export interface WorkerMemory {
  /** This worker's part of --max-memory, counted as its own heap and buffers. */
  readonly shareBytes: number;
  /** --max-memory itself, which the whole process's resident set must stay under. */
  readonly maxMemoryBytes: number;
}

/** One variant to search: what `matrixRows` does for it in-process, as data. */
export interface WorkerJob {
  readonly variant: string;
  readonly bounds: Bounds;
  /** The limits without `memoryShort` (a function), which the worker rebuilds from `memory`. */
  readonly limits: Limits;
  readonly memory: WorkerMemory;
}

/** The workerData of a matrix worker: the job, under a name no other thread's data has. */
export interface WorkerData {
  readonly matrixJob?: WorkerJob;
}

/** What a worker posts: progress while it searches, then its result or why it failed. */
export type FromWorker =
  | { readonly kind: "progress"; readonly stats: SearchStats }
  | { readonly kind: "done"; readonly stats: SearchStats }
  | { readonly kind: "result"; readonly result: SearchResult }
  | { readonly kind: "failed"; readonly message: string };

/** What `matrix` posts to a worker: stop (an interrupt), keeping what the search found. */
export interface StopMessage {
  readonly kind: "stop";
}
