/**
 * The worker threads of one parallel search: batches go to the least busy thread, results are
 * taken back by sequence number (so the main thread consumes them in the order it sent them,
 * whichever thread finishes first), and buffers travel back and forth for reuse.
 */
import { Worker } from "node:worker_threads";
import type { BatchAnswer, BatchMessage, ParallelWorkerData } from "./parallel-protocol.js";

/**
 * Megabytes of address space reserved for each worker's compiled code: V8's default reservation
 * (128 MiB and more) made a worker add 600 to 840 MiB of virtual size, and under `ulimit -v` a
 * failed reservation aborts the whole process; with 16 a worker adds about 95 MiB (the first 350).
 * A worker's code takes under 1 MiB.
 */
const CODE_RANGE_MB = 16;

/** Threads of parallel searches now running, in this process: none once every search has returned. */
const live = new Set<Worker>();

/** How many worker threads of parallel searches are running now (for tests: none is left behind). */
export function runningSearchWorkers(): number {
  return live.size;
}

/** `count` worker threads running `workerFile`, each given `data`. */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly exits: Promise<unknown>[] = [];
  /** Batches sent and not yet answered, per worker. */
  private readonly load: number[];
  private readonly answers = new Map<number, BatchAnswer>();
  private failure: Error | undefined;
  /** Resolves the wait of `take` when an answer or a failure comes. */
  private wake: (() => void) | undefined;
  /** Emptied successor buffers to hand back with the next batches. */
  private readonly spares: ArrayBuffer[] = [];
  /** States buffers the workers returned. */
  private readonly statesBuffers: ArrayBuffer[] = [];
  private closing = false;

  constructor(workerFile: string | URL, count: number, data: ParallelWorkerData) {
    this.load = new Array<number>(count).fill(0);
    for (let i = 0; i < count; i++) this.start(workerFile, data, i);
  }

  /** Sends batch `seq` to the least busy worker. */
  send(seq: number, states: ArrayBuffer): void {
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i] < this.load[best]) best = i;
    this.load[best]++;
    const spare = this.spares.pop();
    const message: BatchMessage = spare === undefined ? { seq, states } : { seq, states, spare };
    this.workers[best].postMessage(message, spare === undefined ? [states] : [states, spare]);
  }

  /** The answer to batch `seq`, once its worker sends it; throws when a worker thread failed (not a state: see BatchAnswer). */
  async take(seq: number): Promise<BatchAnswer> {
    for (;;) {
      const answer = this.answers.get(seq);
      if (answer !== undefined) {
        this.answers.delete(seq);
        this.statesBuffers.push(answer.states);
        return answer;
      }
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** A states buffer a worker returned, to write the next batch into. */
  statesBuffer(): ArrayBuffer | undefined {
    return this.statesBuffers.pop();
  }

  /** Hands a read successors buffer back, for a worker to write into again. */
  recycle(successors: ArrayBuffer): void {
    if (this.spares.length < this.workers.length * 2) this.spares.push(successors);
  }

  /** Ends every worker (work in flight is dropped) and waits until each thread has exited. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    await Promise.all(this.exits);
  }

  private start(workerFile: string | URL, data: ParallelWorkerData, index: number): void {
    const worker = new Worker(workerFile, { workerData: data, resourceLimits: { codeRangeSizeMb: CODE_RANGE_MB } });
    live.add(worker);
    this.workers.push(worker);
    this.exits.push(new Promise((resolve) => worker.once("exit", resolve)).finally(() => live.delete(worker)));
    worker.on("message", (m: BatchAnswer) => {
      this.load[index]--;
      this.answers.set(m.seq, m);
      this.wake?.();
    });
    worker.on("error", (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
    worker.on("messageerror", (e) => this.fail(new Error(`a parallel search's message could not be read (${String(e)})`)));
    worker.on("exit", (code) => {
      if (!this.closing) this.fail(new Error(`a worker thread of the parallel search exited with code ${code}`));
    });
  }

  /** Notes the first failure and wakes `take`, which throws it. */
  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }
}
