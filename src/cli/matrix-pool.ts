/**
 * `matrix --workers N`: a queue of variants, each searched in a fresh worker thread (so each
 * search's memory is its own and is freed with it), the next variant going to whichever slot
 * frees first. An interrupt stops every running search (each returns what it found) and begins
 * no other; a failed worker stops them all and fails the run with one line.
 */
import { Worker } from "node:worker_threads";
import { match } from "ts-pattern";
import type { Reporter, SearchResult } from "../core/result.js";
import { CliFailure, cliError } from "./errors.js";
import { compiledFile } from "./version.js";
import type { FromWorker, StopMessage, WorkerData, WorkerJob } from "./worker-protocol.js";

/** How to run the queue. */
export interface PoolOptions {
  /** The compiled worker module (`matrixWorkerFile()`). */
  readonly workerFile: string;
  /** Searches at once (at least 1). */
  readonly workers: number;
  readonly jobOf: (variant: string) => WorkerJob;
  /** Prints one variant's forwarded progress. */
  readonly reporterOf: (variant: string) => Reporter;
  readonly signal?: AbortSignal;
  /** Called in this thread as each search ends, in the order they end (where counterexamples are written). */
  readonly onResult: (variant: string, result: SearchResult) => void;
}

const STOP: StopMessage = { kind: "stop" };

/**
 * dist/src/cli/matrix-worker.js: a worker runs compiled JS even when this module runs as
 * TypeScript (under vitest, after `npm test` built dist/); undefined when dist/ has no build.
 */
export function matrixWorkerFile(): string | undefined {
  return compiledFile("src/cli/matrix-worker.js");
}

/** Searches `variants` (in queue order) in worker threads; the results of those searched, by variant. Throws what failed first. */
export async function searchInWorkers(variants: readonly string[], options: PoolOptions): Promise<ReadonlyMap<string, SearchResult>> {
  return new Pool(options).run(variants);
}

/** One run of the queue: the running workers, the results so far, and the first failure. */
class Pool {
  private readonly running = new Set<Worker>();
  private readonly results = new Map<string, SearchResult>();
  private failure: { readonly error: unknown } | undefined;

  constructor(private readonly options: PoolOptions) {}

  async run(variants: readonly string[]): Promise<ReadonlyMap<string, SearchResult>> {
    const queue = [...variants];
    const { signal, workers } = this.options;
    const stopAll = (): void => this.running.forEach((w) => w.postMessage(STOP));
    signal?.addEventListener("abort", stopAll);
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, queue.length)) }, () => this.slot(queue)));
    } finally {
      signal?.removeEventListener("abort", stopAll);
    }
    if (this.failure !== undefined) throw this.failure.error;
    return this.results;
  }

  /** Takes variants off the queue until it is empty, an interrupt came (those not begun are skipped) or a search failed. */
  private async slot(queue: string[]): Promise<void> {
    while (this.options.signal?.aborted !== true && this.failure === undefined) {
      const variant = queue.shift();
      if (variant === undefined) return;
      try {
        const result = await this.searchOne(variant);
        this.results.set(variant, result);
        this.options.onResult(variant, result);
      } catch (e) {
        this.fail(e);
      }
    }
  }

  /** Notes the first failure and ends every running worker, whose results no longer matter. */
  private fail(error: unknown): void {
    this.failure ??= { error };
    this.running.forEach((w) => void w.terminate());
  }

  /** Searches one variant in a new worker, forwarding its progress; rejects with a one-line internal error if it fails. */
  private searchOne(variant: string): Promise<SearchResult> {
    const reporter = this.options.reporterOf(variant);
    const data: WorkerData = { matrixJob: this.options.jobOf(variant) };
    const worker = new Worker(this.options.workerFile, { workerData: data });
    this.running.add(worker);
    return new Promise((resolve, reject) => {
      let result: SearchResult | undefined;
      let why: string | undefined;
      worker.on("message", (m: FromWorker) => {
        match(m)
          .with({ kind: "progress" }, ({ stats }) => reporter.progress(stats))
          .with({ kind: "done" }, ({ stats }) => reporter.done?.(stats))
          .with({ kind: "result" }, (r) => void (result = r.result))
          .with({ kind: "failed" }, (f) => void (why ??= f.message))
          .exhaustive();
      });
      worker.on("error", (e) => void (why ??= firstLine(e)));
      worker.on("messageerror", (e) => void (why ??= `a message could not be read (${firstLine(e)})`));
      worker.on("exit", (code) => {
        this.running.delete(worker);
        if (result !== undefined) resolve(result);
        else reject(workerFailure(variant, why ?? `its thread exited with code ${code}`));
      });
    });
  }
}

/** The first line of an error's message: a stack trace never reaches the terminal. */
function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** The internal error of a worker that threw or exited without a result. */
function workerFailure(variant: string, why: string): CliFailure {
  return new CliFailure(cliError(
    "internal",
    `internal error: the worker thread searching ${variant} failed (${why})`,
    "please report it with the command line that caused it (--workers 1 searches without worker threads)",
  ));
}
