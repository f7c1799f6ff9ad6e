/**
 * One breadth-first search with its successor generation spread over worker threads, giving
 * exactly the result of `search` (states, ids, counts, verdicts, paths) by construction.
 *
 * The visited set, the frontier and every id stay on this thread. States are popped from the
 * frontier in order and sent in batches; the workers compute each state's successors and the
 * properties it decides; this thread consumes the batches strictly in the order it popped them
 * and does per state what the sequential loop does (limits first, then store or look up the
 * successors in action order, then the properties). Popping ahead changes nothing, because a
 * first-in first-out frontier hands out states in id order whenever they are popped; only
 * states already queued are ever popped, so the workers compute the next batches while this
 * thread stores the current one. A stop drops the batches in flight. The search may also run
 * in this thread alone for a while first (the same loop, on the same visited set and frontier),
 * so that a small search ends before any thread starts.
 */
import type { Model } from "../core/model.js";
import { type ModelRecipe, modelFromRecipe } from "../core/recipe.js";
import type { SearchOptions, SearchResult } from "../core/result.js";
import { BfsFrontier, type FrontierEntry } from "./frontier.js";
import { type BatchAnswer, KNOWN, SUCCESSOR_WORDS, errorFrom, maskWords } from "./parallel-protocol.js";
import { WorkerPool } from "./parallel-pool.js";
import { Exploration, exploreUntil, isAllocationFailure, selectProperties } from "./search.js";
import { VisitedSet } from "./visited.js";
import { WordWriter, paddedWords } from "./words.js";

/** How to spread the search. */
export interface ParallelOptions {
  /** Worker threads (at least 1). */
  readonly workers: number;
  /** The compiled parallel-worker.js (workers cannot run TypeScript). */
  readonly workerFile: string | URL;
  /** Most states per batch (default 256); tests use tiny batches to exercise the ordering. */
  readonly batchStates?: number;
  /** Milliseconds to search in this thread before starting the workers, which a search done by then never starts (default 0). */
  readonly sequentialMs?: number;
}

const DEFAULT_BATCH = 256;
/** Batches in flight per worker: one being computed, one waiting, so a worker never idles while this thread stores. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Searches the model `recipe` builds, as `search(model, options)` would, with `parallel.workers`
 * threads computing successors (after `sequentialMs` in this thread); every field of the result
 * equals the sequential one but the times (`elapsedMs`, `statesPerSecond`). Breadth-first only.
 * Every worker thread has exited when the promise settles; a worker's failure (the model
 * breaking its contract) rejects it with the error the sequential search would throw.
 */
export async function searchParallel(recipe: ModelRecipe, options: SearchOptions, parallel: ParallelOptions): Promise<SearchResult> {
  const { workers } = parallel;
  if (!(Number.isInteger(workers) && workers >= 1)) throw new RangeError(`searchParallel: workers must be a whole number, at least 1, got ${workers}`);
  const model = await modelFromRecipe(recipe);
  const names = selectProperties(model.properties, options.properties).map((p) => p.name);
  let pool: WorkerPool | undefined;
  const open = (): BatchPool => (pool = new WorkerPool(parallel.workerFile, workers, { parallelSearch: { recipe, properties: names, symmetry: options.symmetry === true } }));
  const batching = { inFlight: workers * IN_FLIGHT_PER_WORKER, batchStates: parallel.batchStates ?? DEFAULT_BATCH, sequentialMs: parallel.sequentialMs ?? 0 };
  try {
    return await searchBatched(model, options, open, batching);
  } finally {
    await pool?.close();
  }
}

/** Where batches of states go and their successors come from: worker threads, or in tests this thread. */
export interface BatchPool {
  /** Sends batch `seq` (a states buffer in the layout of parallel-protocol.ts), transferring the buffer. */
  send(seq: number, states: ArrayBuffer): void;
  /** The answer to batch `seq`. */
  take(seq: number): Promise<BatchAnswer>;
  /** A states buffer to reuse, if one came back. */
  statesBuffer(): ArrayBuffer | undefined;
  /** A successors buffer read to the end, to reuse. */
  recycle(successors: ArrayBuffer): void;
}

/** How many batches may be out at once, how many states each holds at most, and how long to search in this thread first. */
export interface Batching {
  readonly inFlight: number;
  readonly batchStates: number;
  readonly sequentialMs: number;
}

/**
 * The search of `searchParallel`, in this thread for `batching.sequentialMs`, then with
 * successors computed by the pool `open` gives (opened only then), whose properties mask follows
 * `selectProperties(model.properties, options.properties)`.
 */
export async function searchBatched<S, A>(model: Model<S, A>, options: SearchOptions, open: () => BatchPool, batching: Batching): Promise<SearchResult> {
  const visited = new VisitedSet();
  try {
    const run = new ParallelExploration(model, options, visited, batching);
    run.seed();
    if ((await exploreUntil(run, performance.now() + batching.sequentialMs)) === "paused") await run.exploreWith(open());
    return run.finish();
  } finally {
    visited.close();
  }
}

/** The states of one batch, as popped: ids and depths. */
interface Batch {
  readonly seq: number;
  readonly ids: Uint32Array;
  readonly depths: Uint32Array;
}

/** The sequential search's bookkeeping, fed by batches of successors instead of computing them. */
class ParallelExploration<S, A> extends Exploration<S, A> {
  private readonly inFlight: Batch[] = [];
  /** States popped from the frontier whose batch is not yet consumed. */
  private pending = 0;
  private seq = 0;
  private readonly writer = new WordWriter();
  private readonly popped: FrontierEntry = { id: 0, depth: 0, bytes: new Uint8Array(0) };
  private readonly words: number;

  constructor(
    model: Model<S, A>,
    options: SearchOptions,
    visited: VisitedSet,
    private readonly batching: Batching,
  ) {
    super(model, options, new BfsFrontier(), visited);
    this.words = maskWords(this.selected.length);
  }

  /** Explores until the frontier is empty or the search stops; a failed allocation stops it "memory", as in `search`. */
  async exploreWith(pool: BatchPool): Promise<void> {
    // No more slices: this loop waits for the workers, so the event loop runs while it explores.
    this.endSlices();
    try {
      for (;;) {
        this.dispatch(pool);
        const batch = this.inFlight.shift();
        if (batch === undefined) return;
        const answer = await pool.take(batch.seq);
        if (this.consume(batch, answer)) return;
        pool.recycle(answer.successors);
      }
    } catch (e) {
      if (!isAllocationFailure(e)) throw e;
      this.stopReason = "memory";
    }
  }

  protected override queueSize(): number {
    return this.frontier.size + this.pending;
  }

  /** Sends batches of queued states while fewer than `inFlight` are out: a share of the queue each, at most `batchStates`. */
  private dispatch(pool: BatchPool): void {
    const { frontier, popped: entry, writer } = this;
    const { inFlight, batchStates } = this.batching;
    while (this.inFlight.length < inFlight && frontier.size > 0) {
      const n = Math.min(batchStates, Math.ceil(frontier.size / inFlight));
      const batch: Batch = { seq: this.seq++, ids: new Uint32Array(n), depths: new Uint32Array(n) };
      writer.reset(pool.statesBuffer());
      writer.word(n);
      this.writeAsked();
      for (let i = 0; i < n; i++) {
        frontier.pop(entry);
        batch.ids[i] = entry.id;
        batch.depths[i] = entry.depth;
        writer.word(entry.bytes.length);
        writer.word(entry.depth < this.maxDepth ? 1 : 0);
        writer.bytes(entry.bytes, entry.bytes.length);
      }
      this.pending += n;
      this.inFlight.push(batch);
      pool.send(batch.seq, writer.buffer);
    }
  }

  /** The mask of properties the workers should evaluate: all when counting, else those still undecided. */
  private writeAsked(): void {
    const { words, writer } = this;
    writer.word(words);
    for (let w = 0; w < words; w++) {
      let bits = 0;
      for (let p = w << 5; p < Math.min(this.selected.length, (w + 1) << 5); p++) {
        if (this.counts !== undefined || this.decidedAt[p] < 0) bits |= 1 << (p & 31);
      }
      writer.word(bits >>> 0);
    }
  }

  /** Does per state of `batch` what the sequential loop does with its successors; whether the search stops. Throws what a state threw in the worker. */
  private consume(batch: Batch, answer: BatchAnswer): boolean {
    const u32 = new Uint32Array(answer.successors);
    const u8 = new Uint8Array(answer.successors);
    let at = 0;
    for (let i = 0; i < batch.ids.length; i++) {
      if (this.atLimit()) return true;
      if (i === answer.done && answer.error !== undefined) throw errorFrom(answer.error);
      this.pops++;
      this.pending--;
      const id = batch.ids[i];
      const depth = batch.depths[i];
      if (depth > this.deepest) this.deepest = depth;
      const enabled = u32[at];
      const decided = at + 1;
      at = decided + this.words;
      at = depth < this.maxDepth ? this.store(u32, u8, at, enabled, id, depth + 1) : this.lookUp(u32, at, enabled);
      this.generated += enabled;
      const queue = this.queueSize();
      if (queue > this.queuePeak) this.queuePeak = queue;
      if ((this.counts !== undefined || this.undecided > 0) && this.decideFrom(u32, decided, id)) return true;
    }
    return false;
  }

  /** Stores the `enabled` successors at word `at` of state `parent`, queueing the new ones at `depth`; returns the word after them. */
  private store(u32: Uint32Array, u8: Uint8Array, at: number, enabled: number, parent: number, depth: number): number {
    const { visited, frontier, fired, fresh } = this;
    for (let b = 0; b < enabled; b++) {
      const kind = u32[at];
      if (kind >= KNOWN) {
        fired[kind - KNOWN]++;
        at++;
        continue;
      }
      const length = u32[at + 4];
      fired[kind]++;
      const id = visited.insert(u32[at + 2], u32[at + 3], parent, u32[at + 1]);
      at += SUCCESSOR_WORDS;
      if (id >= 0) {
        fresh[kind]++;
        frontier.push(u8.subarray(at << 2, (at << 2) + length), id, depth);
      }
      at += paddedWords(length);
    }
    return at;
  }

  /** At the depth limit: counts the successors at word `at` and notes whether one is new (the limit cut it off); returns the word after them. */
  private lookUp(u32: Uint32Array, at: number, enabled: number): number {
    for (let b = 0; b < enabled; b++) {
      const kind = u32[at];
      if (kind >= KNOWN) {
        this.fired[kind - KNOWN]++;
        at++;
        continue;
      }
      this.fired[kind]++;
      if (!this.cutByDepth && !this.visited.has(u32[at + 2], u32[at + 3])) this.cutByDepth = true;
      at += SUCCESSOR_WORDS + paddedWords(u32[at + 4]);
    }
    return at;
  }

  /** Notes (and counts) the properties state `id` decides, from the mask at word `at`; whether the search may now stop. */
  private decideFrom(u32: Uint32Array, at: number, id: number): boolean {
    const counts = this.counts;
    for (let p = 0; p < this.selected.length; p++) {
      if (((u32[at + (p >>> 5)] >>> (p & 31)) & 1) === 0) continue;
      if (counts !== undefined) counts[p]++;
      this.decide(p, id);
    }
    return this.allDecided;
  }
}
