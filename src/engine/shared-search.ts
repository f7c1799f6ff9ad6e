/**
 * One breadth-first search whose worker threads store the states themselves, in fingerprint
 * tables in shared memory, giving exactly the result of `search` (ids, parent links, counts,
 * verdicts, paths) but for its times and the bytes it holds.
 *
 * The search runs level by level. The states of earlier levels are in the stored table
 * (stored-table.ts, 8 bytes a slot), which the workers only read while they expand a level.
 * Workers take runs of consecutive parents of the level, expand them, and store the successors
 * not in it by compare-and-swap in the level table (shared-table.ts), each slot also keeping the
 * least parent that found its state in the level. The one thread numbers a level's new states in
 * the order of their least discovery (parent, then action), so once the level is expanded each
 * worker keeps, per run, the records whose parent is still the slot's least (one per new state)
 * and counts them; this thread sums the counts run by run, which gives each run its
 * first id, and the workers write the states at those ids, then add the level table's slots to
 * the stored table, clearing it for the next level.
 *
 * Stops inside a level are exact: runs are handed out in order and finished once taken, so the
 * parents expanded always start the level; this thread finds the parent the one thread would
 * have stopped at (every property decided, `maxStates`, a state that threw, or a time limit
 * seen between runs), takes the statistics of whole runs before it from the workers, and
 * expands the run it falls in again itself, parent by parent. The first `sequentialMs` run in
 * this thread (a worker object, not a thread), so that a small search ends before any thread
 * starts; the level table grows between runs, the workers paused, and the stored table between
 * levels.
 */
import type { Model } from "../core/model.js";
import { type ModelRecipe, modelFromRecipe } from "../core/recipe.js";
import type { SearchOptions, SearchResult, SearchStats, StopReason } from "../core/result.js";
import { Encoder } from "../core/encoder.js";
import { releaseDropped } from "./collect-garbage.js";
import { Expander } from "./expander.js";
import { BfsFrontier } from "./frontier.js";
import { startSearchWorker } from "./search-workers.js";
import { ALL_CHANGED } from "./footprints.js";
import { Exploration, decides, footprintsApply, isAllocationFailure, selectProperties, sleepSetsApply } from "./search.js";
import { SharedTable, SLOT_WORDS } from "./shared-table.js";
import { STORED_LOAD, STORED_WORDS, StoredTable } from "./stored-table.js";
import {
  CUT,
  DECIDED,
  ENABLED,
  type Expanded,
  FENCE,
  type Failure,
  HALT,
  type Level,
  NEXT,
  type Phase,
  QUEUE,
  SLEPT,
  REF_WORDS,
  type RunLayout,
  STORED,
  type SharedWorkerData,
  TRAIL_WORDS,
  controlBytes,
  errorData,
  errorFrom,
  decidesWord,
  firedWord,
  freshWord,
  runWords,
} from "./shared-protocol.js";
import { LevelWorker } from "./shared-worker.js";
import { StateKey } from "./symmetry.js";
import { MAX_ACTION, NO_PARENT, VisitedSet } from "./visited.js";

/** How to spread a shared search. */
export interface SharedOptions {
  /** Worker threads (at least 1). */
  readonly workers: number;
  /** The compiled shared-worker.js (workers cannot run TypeScript). */
  readonly workerFile: string | URL;
  /** Milliseconds to search in this thread before starting the workers, which a search done by then never starts (default 0). */
  readonly sequentialMs?: number;
  /** Parents a worker takes at a time (default 64); tests take fewer, to mix the workers' runs more. */
  readonly run?: number;
  /** Slots the stored and level tables start with (default 65,536); tests start small, so that they grow often. */
  readonly tableSlots?: number;
  /** Bytes of a chunk of encodings (default 4 MiB); tests use small ones, so that many are filled and reused. */
  readonly chunkBytes?: number;
}

const DEFAULT_RUN = 64;
const DEFAULT_SLOTS = 1 << 16;
const DEFAULT_CHUNK = 1 << 22;
/** The level table grows by half once this share of its slots is taken (12 bytes a slot: at least 17 bytes a state of the level). */
const LOAD = 0.7;
const GROWTH = 1.5;
/** A run that finds the level table this full stops, and the level is expanded again from a level table twice the size. */
const FULL = 0.9;
/** Milliseconds between two looks at the clock, the signal and memory while workers expand a level. */
const TICK_MS = 20;
/** Milliseconds the in-thread worker expands before letting the event loop run. */
const SLICE_MS = 50;

/**
 * Searches the model `recipe` builds, as `search(model, options)` would, with `shared.workers`
 * threads storing into shared tables (after `sequentialMs` in this thread); every field of the
 * result equals the sequential one but `elapsedMs`, `statesPerSecond` and `visitedBytes`
 * (sleep sets too: each level reference carries its state's mask). Breadth-first only. Every worker thread has exited when the promise settles; a state that
 * throws rejects it with the error the sequential search would throw, if it gets that far.
 */
export async function searchShared(recipe: ModelRecipe, options: SearchOptions, shared: SharedOptions): Promise<SearchResult> {
  const { workers } = shared;
  if (!(Number.isInteger(workers) && workers >= 1)) throw new RangeError(`searchShared: workers must be a whole number, at least 1, got ${workers}`);
  const run = shared.run ?? DEFAULT_RUN;
  if (!(Number.isInteger(run) && run >= 1)) throw new RangeError(`searchShared: run must be a whole number, at least 1, got ${run}`);
  const model = await modelFromRecipe(recipe);
  const visited = new VisitedSet();
  const names = selectProperties(model.properties, options.properties).map((p) => p.name);
  const control = new SharedArrayBuffer(controlBytes(names.length));
  // The shared search goes level by level: breadth-first.
  const por = sleepSetsApply(model, options, true);
  const footprints = footprintsApply(model, options, true);
  const setup = { recipe, properties: names, symmetry: options.symmetry === true, por, footprints, control, run, chunkBytes: shared.chunkBytes ?? DEFAULT_CHUNK };
  const threads = new Threads(shared.workerFile, workers, { sharedSearch: setup });
  try {
    const exploration = new SharedExploration(model, options, visited, setup, shared.tableSlots ?? DEFAULT_SLOTS);
    await exploration.run(threads, shared.sequentialMs ?? 0);
    return exploration.finish();
  } finally {
    visited.close();
    await threads.close();
  }
}

/** A phase's answer: an expansion's, "done", or an error thrown outside any state. */
type Answer = Expanded | "done" | { readonly kind: "error"; readonly error: ReturnType<typeof errorData> };

/** Who runs a level's phases: one LevelWorker in this thread, or worker threads. */
interface Participants {
  readonly size: number;
  /** Sends each participant its phase and waits for every answer. */
  all(phase: (i: number) => Phase): Promise<Answer[]>;
}

/** The worker threads, started on first use; a worker's error or exit rejects the phase. */
class Threads implements Participants {
  private readonly started: { readonly worker: import("node:worker_threads").Worker; readonly exited: Promise<unknown> }[] = [];
  private readonly control: Int32Array;
  /** Why a thread died, if one did. */
  private dead: Error | undefined;
  private closing = false;

  constructor(
    private readonly file: string | URL,
    readonly size: number,
    private readonly data: SharedWorkerData,
  ) {
    this.control = new Int32Array((data.sharedSearch as NonNullable<SharedWorkerData["sharedSearch"]>).control);
  }

  async all(phase: (i: number) => Phase): Promise<Answer[]> {
    if (this.started.length === 0) for (let i = 0; i < this.size; i++) this.start();
    // A thread that died between phases would never answer.
    if (this.dead !== undefined) throw this.dead;
    Atomics.add(this.control, FENCE, 1);
    const answers = await Promise.all(
      this.started.map(
        ({ worker }, i) =>
          new Promise<Answer>((resolve, reject) => {
            const fail = (e: unknown): void => reject(e instanceof Error ? e : new Error(String(e)));
            const exit = (code: number): void => reject(new Error(`a worker thread of the shared search exited with code ${code}`));
            worker
              .once("error", fail)
              .once("exit", exit)
              .once("message", (answer: Answer) => {
                worker.off("error", fail).off("exit", exit);
                resolve(answer);
              });
            worker.postMessage(phase(i));
          }),
      ),
    );
    Atomics.load(this.control, FENCE);
    return answers;
  }

  private start(): void {
    const started = startSearchWorker(this.file, this.data);
    started.worker.on("error", (e) => (this.dead ??= e instanceof Error ? e : new Error(String(e))));
    started.worker.on("exit", (code) => {
      if (!this.closing) this.dead ??= new Error(`a worker thread of the shared search exited with code ${code}`);
    });
    this.started.push(started);
  }

  /** Ends every worker and waits until each thread has exited. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.started.map(({ worker }) => worker.terminate()));
    await Promise.all(this.started.map(({ exited }) => exited));
  }
}

/** One LevelWorker in this thread: the search before the threads start, and tests. */
class InThread implements Participants {
  readonly size = 1;
  private released = false;
  constructor(readonly worker: LevelWorker<unknown, unknown>) {}

  /** Has the worker let go of its tables and records (once): the threads have taken over. */
  release(): void {
    if (!this.released) this.worker.release();
    this.released = true;
  }

  async all(phase: (i: number) => Phase): Promise<Answer[]> {
    try {
      return [this.worker.phase(phase(0))];
    } catch (e) {
      return [{ kind: "error", error: errorData(e) }];
    }
  }
}

const NOTHING_UNRECORDED = { trail: new SharedArrayBuffer(4), count: 0 };

/**
 * Shared buffers given back for reuse: the first write to fresh memory faults each page in, which
 * on this kind of machine costs more than the writes themselves (a level's trail, references and
 * statistics were a tenth of a worker's time).
 */
class SpareBuffers {
  private readonly free: SharedArrayBuffer[] = [];

  /** A buffer of at least `bytes`, all zero: a spare one when one is large enough, else a new one. */
  take(bytes: number): SharedArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) if (this.free[i].byteLength >= bytes && (best < 0 || this.free[i].byteLength < this.free[best].byteLength)) best = i;
    if (best < 0) return new SharedArrayBuffer(bytes);
    const [buffer] = this.free.splice(best, 1);
    new Int32Array(buffer, 0, bytes >> 2).fill(0);
    return buffer;
  }

  /** Gives `buffer` back: nothing reads or writes it any more. */
  give(buffer: SharedArrayBuffer): void {
    this.free.push(buffer);
    if (this.free.length > 6) this.free.sort((a, b) => b.byteLength - a.byteLength).pop();
  }
}

/** What the participants did in a level: who took part, the chunks each wrote, why it stopped early (a limit, a failure). */
interface Expansion {
  readonly joined: readonly Participants[];
  readonly chunksOf: Map<Participants, readonly SharedArrayBuffer[][]>;
  readonly halt: StopReason | undefined;
  readonly failure: Failure | undefined;
}

/** Where the one thread would stop in a level: the last parent it expands (relative; -1: none). */
interface Cut {
  readonly last: number;
  /** Whether it stops before the next parent because `maxStates` is reached. */
  readonly full: boolean;
  /** New states found by the parents up to `last`. */
  readonly fresh: number;
}

/** The sequential search's bookkeeping, fed level by level by the participants. */
class SharedExploration<S, A> extends Exploration<S, A> {
  /** The states of the levels numbered so far (all of `numbered`). */
  private stored: StoredTable;
  /** The new states of the level being expanded, with their least parents; empty between levels. */
  private table: SharedTable;
  private readonly control: Int32Array;
  private readonly layout: RunLayout;
  private readonly words: number;
  private readonly runSize: number;
  private readonly stateKey: StateKey<S>;
  /** Expands again, in this thread, the run a stop falls in. */
  private readonly redo: Expander<S, A>;
  private queueNow = 0;
  private readonly spares = new SpareBuffers();
  /** New states per parent in the last level expanded to its end: what the next level is expected to store. */
  private lastGrowth = 0;
  /** States given ids so far: in the trail, or in `unrecorded`. */
  private numbered = 0;
  /** The trail records of the states the last level numbered, not yet in the visited set's trail. */
  private unrecorded: { readonly trail: SharedArrayBuffer; readonly count: number } = NOTHING_UNRECORDED;
  /** While a level is expanded: distinct states so far as the workers count them (for progress). */
  private live = false;
  /** Chunks of the level before the current one, free to write into again. */
  private free: SharedArrayBuffer[] = [];
  private readonly chunkBytes: number;
  /** Actions sleep sets left uncomputed, over the parents added up. */
  private sleptTotal = 0;

  constructor(
    model: Model<S, A>,
    options: SearchOptions,
    visited: VisitedSet,
    private readonly setup: NonNullable<SharedWorkerData["sharedSearch"]>,
    slots: number,
  ) {
    super(model, options, new BfsFrontier(), visited);
    this.endSlices();
    this.stored = StoredTable.create(Math.max(slots, 4));
    this.table = SharedTable.create(Math.max(slots, 4));
    this.control = new Int32Array(setup.control);
    this.layout = { kinds: model.actionKinds.length, properties: this.selected.length };
    this.words = runWords(this.layout);
    this.runSize = setup.run;
    this.chunkBytes = setup.chunkBytes;
    this.stateKey = new StateKey(model, setup.symmetry);
    this.redo = new Expander(model, this.stateKey, this.independence());
  }

  /** The model's independence relation when the search runs with sleep sets. */
  private independence(): Model<S, A>["independence"] {
    return this.setup.por ? this.model.independence : undefined;
  }

  protected override sleptCount(): number {
    return this.sleptTotal;
  }

  /** Explores level by level: in this thread for `sequentialMs`, then in the threads. */
  async run(threads: Threads, sequentialMs: number): Promise<void> {
    const inThread = new InThread(new LevelWorker(this.model as Model<unknown, unknown>, new Expander(this.model, this.stateKey, this.independence()) as Expander<unknown, unknown>, this.setup));
    const switchAt = performance.now() + sequentialMs;
    let level: Level | undefined = this.seed0();
    try {
      while (level !== undefined && level.count > 0) {
        if (this.numbered >= this.maxStates) {
          this.stopReason = "max-states";
          break;
        }
        const why = this.stopNow(performance.now());
        if (why !== undefined) {
          this.stopReason = why;
          break;
        }
        level = await this.expandLevel(level, inThread, threads, switchAt);
      }
    } catch (e) {
      if (!outOfMemory(e)) throw e;
      this.stopReason = "memory";
    }
    try {
      this.recordTrail();
    } catch (e) {
      if (!outOfMemory(e)) throw e;
      this.stopReason = "memory";
    }
    this.live = false;
  }

  /** Gives the states the last level numbered their ids in the trail (done while the workers expand the next level). */
  private recordTrail(): void {
    const { trail, count } = this.unrecorded;
    // Taken first, so that an allocation failing below never records a state twice.
    this.unrecorded = NOTHING_UNRECORDED;
    this.visited.recordAll(new Int32Array(trail), count);
    if (count > 0) this.spares.give(trail);
  }

  /** Stores the initial states and returns level 0: the distinct ones. */
  private seed0(): Level {
    const { model, stateKey: key, visited } = this;
    const inits = model.initStates();
    if (inits.length > MAX_ACTION + 1) throw new RangeError(`search: ${inits.length} initial states, at most ${MAX_ACTION + 1} are supported`);
    if (inits.length > this.stored.limit) this.stored = StoredTable.create(Math.ceil(inits.length / STORED_LOAD) + 1);
    const stored = this.stored;
    const enc = new Encoder(256);
    const fp = new Uint32Array(2);
    const kept: Uint8Array[] = [];
    for (let i = 0; i < inits.length; i++) {
      key.encode(inits[i], enc, fp);
      if (!stored.put(fp[0], fp[1])) continue;
      visited.record(NO_PARENT, i, fp[0], fp[1]);
      kept.push(enc.view().slice());
    }
    Atomics.store(this.control, STORED, kept.length);
    this.numbered = kept.length;
    const chunk = new SharedArrayBuffer(kept.reduce((sum, b) => sum + b.length, 0) + 1);
    const refs = new Int32Array(new SharedArrayBuffer(Math.max(1, kept.length) * REF_WORDS * 4));
    let at = 0;
    kept.forEach((b, i) => {
      new Uint8Array(chunk).set(b, at);
      refs.set([0, at, b.length, 0, ALL_CHANGED], i * REF_WORDS);
      at += b.length;
    });
    this.queuePeak = this.queueNow = kept.length;
    return this.levelOf(0, 0, kept.length, refs.buffer as SharedArrayBuffer, [chunk]);
  }

  /** The level at `depth` of `count` states from id `start`. */
  private levelOf(depth: number, start: number, count: number, refs: SharedArrayBuffer, chunks: readonly SharedArrayBuffer[]): Level {
    const runs = Math.ceil(count / this.runSize);
    const asked = this.selected.flatMap((_, p) => (this.counts !== undefined || this.decidedAt[p] < 0 ? [p] : []));
    return {
      depth,
      attempt: 0,
      start,
      count,
      refs,
      chunks,
      lookUpOnly: depth >= this.maxDepth,
      asked,
      counting: this.counts !== undefined,
      stopWhenDecided: this.earlyStop,
      stats: this.spares.take(Math.max(1, runs * this.words) * 4),
    };
  }

  /** Expands `level`, numbers its new states and returns the next level, or undefined when the search stops in this one. */
  private async expandLevel(level: Level, inThread: InThread, threads: Threads, switchAt: number): Promise<Level | undefined> {
    this.live = true;
    let attempt = level;
    for (;;) {
      const expansion = await this.expandAttempt(attempt, inThread, threads, switchAt);
      if (expansion !== "table full") {
        this.free = level.chunks.filter((chunk) => chunk.byteLength === this.chunkBytes);
        const next = await this.numberLevel(attempt, expansion);
        // Stored only for a level to expand: a search about to stop needs no grown table.
        if (next !== undefined && next.count > 0 && this.numbered < this.maxStates) await this.storeLevel(expansion.joined[expansion.joined.length - 1]);
        // The threads have taken over for good: the in-thread worker lets go of its tables and records.
        if (performance.now() >= switchAt) inThread.release();
        return next;
      }
      // One run filled the level table: expand the level again from an empty one twice the size.
      this.replaceTable(SharedTable.create(this.table.slots * 2));
      Atomics.store(this.control, STORED, this.numbered);
      attempt = { ...attempt, attempt: attempt.attempt + 1, stats: new SharedArrayBuffer(attempt.stats.byteLength) };
    }
  }

  /** One attempt at expanding `level`: what the participants did, or "table full" to start again from a larger table. */
  private async expandAttempt(level: Level, inThread: InThread, threads: Threads, switchAt: number): Promise<Expansion | "table full"> {
    const c = this.control;
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, HALT, 0);
    Atomics.store(c, CUT, -1);
    for (let p = 0; p < this.selected.length; p++) Atomics.store(c, DECIDED + p, -1);
    let who: Participants = performance.now() < switchAt ? inThread : threads;
    const joined: Participants[] = [who];
    const spare = this.free;
    let first = true;
    let halt: ReturnType<Exploration<S, A>["stopNow"]>;
    let failure: Failure | undefined;
    const conditional: Failure[] = [];
    const chunksOf = new Map<Participants, readonly SharedArrayBuffer[][]>();
    // At the depth limit nothing is stored.
    if (!level.lookUpOnly) this.fitLevel(Math.ceil(level.count * this.lastGrowth));
    for (;;) {
      const inThreadNow = who === inThread;
      const parts = who.size;
      const shares = first ? spare : [];
      const tick = inThreadNow ? undefined : setInterval(() => (halt ??= this.tick()), TICK_MS);
      let answers: Answer[];
      try {
        const limits = { storedLimit: Math.min(this.growLimit(), this.maxStates), fullAt: this.numbered + Math.floor(this.table.slots * FULL) };
        // The tables are read in the call, not kept in this loop's scope: a frame waiting on grow() below must not hold the table it grows out of.
        const expanding = who.all((i) => ({ kind: "expand", level, stored: this.stored.t.buffer as SharedArrayBuffer, table: this.table.t.buffer as SharedArrayBuffer, spare: shares.filter((_, j) => j % parts === i), ...limits, ...(inThreadNow ? { until: performance.now() + SLICE_MS } : {}) }));
        // This thread is free while the workers expand: the time to record the last level's ids.
        this.recordTrail();
        answers = await expanding;
      } finally {
        if (tick !== undefined) clearInterval(tick);
      }
      first = false;
      const expanded = answers.map(expandedOrThrow);
      chunksOf.set(who, expanded.map((a) => a.chunks.slice()));
      for (const a of expanded) {
        if (a.failure !== undefined && (failure === undefined || a.failure.parent < failure.parent)) failure = a.failure;
        conditional.push(...a.conditional);
      }
      if (inThreadNow) {
        halt ??= this.tick();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (failure?.tableFull === true && halt === undefined) return "table full";
      if (halt !== undefined || failure !== undefined || Atomics.load(c, NEXT) >= level.count || Atomics.load(c, STORED) >= this.maxStates || this.allAskedDecided(level)) break;
      await this.grow(who, joined);
      if (who === inThread && performance.now() >= switchAt) {
        who = threads;
        joined.push(threads);
      }
    }
    return { joined, chunksOf, halt, failure: this.firstFailure(level, failure, conditional) };
  }

  /**
   * The failure the one thread would meet first: of `failure` (what stopped a worker) and the
   * `conditional` ones that count (a property still undecided at that parent, an encoding before
   * the depth limit first cut a state off); at one parent, an encoding throws before the rest, and
   * a property is evaluated last.
   */
  private firstFailure(level: Level, failure: Failure | undefined, conditional: readonly Failure[]): Failure | undefined {
    const cutAt = Atomics.load(this.control, CUT);
    const counts = (f: Failure): boolean => {
      if (f.property !== undefined) {
        const at = Atomics.load(this.control, DECIDED + f.property);
        return !(at >= 0 && at < level.start + f.parent);
      }
      return f.encoding !== true || !(cutAt >= 0 && cutAt < f.parent);
    };
    const order = (f: Failure): number => f.parent * 3 + (f.encoding === true ? 0 : f.property === undefined ? 1 : 2);
    let first: Failure | undefined;
    for (const f of [...(failure === undefined ? [] : [failure]), ...conditional]) if (counts(f) && (first === undefined || order(f) < order(first))) first = f;
    return first;
  }

  /** Whether every asked property is decided (by the shared least words), when that stops the search. */
  private allAskedDecided(level: Level): boolean {
    if (!level.stopWhenDecided || level.asked.length === 0) return false;
    return level.asked.every((p) => Atomics.load(this.control, DECIDED + p) >= 0);
  }

  /** Looks at the clock, the signal and memory (stopping the workers between runs when one says stop), and reports progress. */
  private tick(): ReturnType<Exploration<S, A>["stopNow"]> {
    const now = performance.now();
    const why = this.stopNow(now);
    if (why !== undefined) Atomics.store(this.control, HALT, 1);
    this.reportProgress(now);
    return why;
  }

  /** Most states (the stored ones, and the level's) before the level table grows. */
  private growLimit(): number {
    return this.numbered + Math.floor(this.table.slots * LOAD);
  }

  /**
   * Before a level: makes the (empty) level table large enough for `expected` new states, so
   * that a level that grows as the last one did is stored without a pause.
   */
  private fitLevel(expected: number): void {
    if (expected < this.table.slots * LOAD) return;
    this.replaceTable(SharedTable.create(Math.max(Math.ceil(this.table.slots * GROWTH), Math.ceil(expected / LOAD) + 1)));
  }

  /** Grows the level table by half once its load is passed, the participants `who` moving its slots. */
  private async growIfLoaded(who: Participants): Promise<boolean> {
    if (Atomics.load(this.control, STORED) < this.growLimit()) return false;
    const next = SharedTable.create(Math.ceil(this.table.slots * GROWTH));
    await this.moveSlots(who, next);
    this.replaceTable(next);
    return true;
  }

  /**
   * After a level is numbered: the participants `who` add the level table's states to the stored
   * table (grown first if they would pass its load) and clear it for the next level.
   */
  private async storeLevel(who: Participants): Promise<void> {
    if (this.numbered > this.stored.limit) {
      const next = StoredTable.create(Math.max(Math.ceil(this.stored.slots * GROWTH), Math.ceil(this.numbered / STORED_LOAD) + 1));
      await this.addSlots(who, this.stored, STORED_WORDS, next, false);
      this.replaceStored(next);
    }
    await this.addSlots(who, this.table, SLOT_WORDS, this.stored, true);
  }

  /** Has the participants `who` add the slots of `from` (`words` a slot) to `to`, clearing `from` when `clear`. */
  private async addSlots(who: Participants, from: { readonly t: Int32Array }, words: number, to: StoredTable, clear: boolean): Promise<void> {
    const f = from.t.buffer as SharedArrayBuffer;
    const t = to.t.buffer as SharedArrayBuffer;
    (await who.all((part) => ({ kind: "add", from: f, words, to: t, part, parts: who.size, clear }))).forEach(doneOrThrow);
  }

  /** Makes `next` the stored table, freeing the old one now if large (each worker thread frees its own hold as `replaceTable` says). */
  private replaceStored(next: StoredTable): void {
    const dropped = this.stored.t.byteLength;
    this.stored = next;
    releaseDropped(dropped);
  }

  /** Has the participants `who` move the level table's slots into `next` (a function of its own, so that no frame is left holding the old table). */
  private async moveSlots(who: Participants, next: SharedTable): Promise<void> {
    const from = this.table.t.buffer as SharedArrayBuffer;
    const to = next.t.buffer as SharedArrayBuffer;
    (await who.all((part) => ({ kind: "rehash", from, to, part, parts: who.size }))).forEach(doneOrThrow);
  }

  /**
   * Makes `next` the level table, freeing the old one now if large: each worker thread frees its
   * own hold when it takes the new one, and the in-thread worker when it takes the new one or
   * lets go of its tables once the threads have taken over.
   */
  private replaceTable(next: SharedTable): void {
    const dropped = this.table.t.byteLength;
    this.table = next;
    releaseDropped(dropped);
  }

  /** Grows the level table between runs of a level; each participant of the level finds its records' slots again. */
  private async grow(who: Participants, joined: readonly Participants[]): Promise<void> {
    if (!(await this.growIfLoaded(who))) return;
    const table = this.table.t.buffer as SharedArrayBuffer;
    for (const p of joined) (await p.all(() => ({ kind: "regrow", table }))).forEach(doneOrThrow);
  }

  /**
   * After the expansion: counts each run's new states, finds where the one thread would have
   * stopped, adds up the statistics of the parents before, and has the new states written at
   * their ids; the next level, or undefined when the search stops here (or throws what the one
   * thread would have thrown).
   */
  private async numberLevel(level: Level, { joined, chunksOf, halt, failure }: Expansion): Promise<Level | undefined> {
    const runs = Math.ceil(level.count / this.runSize);
    const counts = new SharedArrayBuffer(Math.max(1, runs) * 4);
    for (const who of joined) (await who.all(() => ({ kind: "count", counts }))).forEach(doneOrThrow);
    const expandedEnd = Math.min(Atomics.load(this.control, NEXT), level.count);
    const limit = Math.min(expandedEnd - 1, failure === undefined ? Infinity : failure.parent - 1, this.decidedLast(level));
    const cut = this.addUp(level, new Int32Array(counts), limit);
    // The level's states and statistics are read no more.
    this.spares.give(level.refs);
    this.spares.give(level.stats);
    this.queueNow = level.count - 1 - cut.last + cut.fresh;
    if (cut.last >= 0) this.deepest = Math.max(this.deepest, level.depth);
    // Decisions first: the next level asks only about the properties still undecided.
    for (const p of level.asked) {
      const at = Atomics.load(this.control, DECIDED + p);
      if (at >= 0 && at <= level.start + cut.last) this.decide(p, at);
    }
    const next = await this.write(level, joined, chunksOf, cut.last, new Int32Array(counts), cut.fresh);
    if (cut.last === level.count - 1 && level.lookUpOnly && Atomics.load(this.control, CUT) >= 0) this.cutByDepth = true;
    if (this.allDecided) return undefined;
    if (cut.full) {
      this.stopReason = "max-states";
      return undefined;
    }
    if (cut.last === level.count - 1) return next;
    if (failure !== undefined && failure.parent === cut.last + 1 && failure.tableFull !== true) {
      if (!isAllocationFailure(failure.error)) throw failure.error;
      this.stopReason = "memory";
      return undefined;
    }
    this.stopReason = halt ?? "memory";
    return undefined;
  }

  /** The last parent (relative) the one thread expands before every property is decided, when that stops it; Infinity otherwise. */
  private decidedLast(level: Level): number {
    if (!this.allAskedDecided(level)) return Infinity;
    let last = -1;
    for (const p of level.asked) last = Math.max(last, Atomics.load(this.control, DECIDED + p) - level.start);
    return last;
  }

  /**
   * Adds up the statistics of the parents up to `limit` (relative), stopping before a parent
   * where the one thread would find `maxStates` reached: whole runs from the workers' counts,
   * the run a stop falls in expanded again here.
   */
  private addUp(level: Level, counts: Int32Array, limit: number): Cut {
    const stats = new Int32Array(level.stats);
    const run = this.runSize;
    let fresh = 0;
    const size = (): number => this.numbered + fresh;
    for (let r = 0; r * run <= limit; r++) {
      const first = r * run;
      const last = Math.min(first + run, level.count) - 1;
      if (size() >= this.maxStates) return { last: first - 1, full: true, fresh };
      if (last > limit || size() + counts[r] >= this.maxStates) {
        const again = this.expandAgain(level, first, Math.min(last, limit), fresh);
        fresh += again.fresh;
        if (again.last < Math.min(last, limit)) return { last: again.last, full: true, fresh };
        continue;
      }
      const s = r * this.words;
      this.generated += stats[s + ENABLED];
      this.sleptTotal += stats[s + SLEPT];
      for (let k = 0; k < this.layout.kinds; k++) {
        this.fired[k] += stats[s + firedWord(k)];
        this.fresh[k] += stats[s + freshWord(this.layout, k)];
      }
      if (this.counts !== undefined) for (let p = 0; p < this.selected.length; p++) this.counts[p] += stats[s + decidesWord(this.layout, p)];
      const peak = level.count - 1 - first + fresh + stats[s + QUEUE];
      if (peak > this.queuePeak) this.queuePeak = peak;
      fresh += counts[r];
    }
    const last = Math.min(limit, level.count - 1);
    return { last, full: last < level.count - 1 && size() >= this.maxStates, fresh };
  }

  /**
   * Expands parents `from` to `to` (relative) again in this thread, as the one thread would:
   * stops before a parent once the states stored reach `maxStates`. A
   * successor is new here when this parent is the least that found it in the level, the first
   * time it comes in the parent's successors. Returns the last parent expanded and the new states.
   */
  private expandAgain(level: Level, from: number, to: number, freshBefore: number): { last: number; fresh: number } {
    const { redo: expander, table, stored, model } = this;
    const refs = new Int32Array(level.refs);
    const views = level.chunks.map((chunk) => new Uint8Array(chunk));
    const firedBefore = expander.fired.slice();
    const sleptBefore = expander.slept;
    let fresh = 0;
    let last = from - 1;
    const seen = new Set<number>();
    for (let r = from; r <= to; r++) {
      if (this.numbered + freshBefore + fresh >= this.maxStates) break;
      const parent = level.start + r;
      const o = r * REF_WORDS;
      const state = model.decode(views[refs[o]].subarray(refs[o + 1], refs[o + 1] + refs[o + 2]));
      const enabled = expander.successors(state, !level.lookUpOnly, refs[o + 3]);
      this.generated += enabled;
      if (this.counts !== undefined) for (let p = 0; p < this.selected.length; p++) if (decides(this.selected[p], state, enabled)) this.counts[p]++;
      seen.clear();
      const { succ } = expander;
      for (let b = 0; b < expander.count && !level.lookUpOnly; b++) {
        if (!table.find(succ.his[b], succ.los[b])) {
          if (!stored.has(succ.his[b], succ.los[b])) throw new Error("search: a successor is missing from the shared tables");
          continue;
        }
        if (table.leastAt(table.at) !== parent || seen.has(table.at)) continue;
        seen.add(table.at);
        this.fresh[succ.kinds[b]]++;
        fresh++;
      }
      const queue = level.count - 1 - r + freshBefore + fresh;
      if (queue > this.queuePeak) this.queuePeak = queue;
      last = r;
    }
    for (let k = 0; k < this.layout.kinds; k++) this.fired[k] += expander.fired[k] - firedBefore[k];
    this.sleptTotal += expander.slept - sleptBefore;
    return { last, fresh };
  }

  /** Has the participants write the new states of parents up to `last` at their ids, records them in the trail, and returns the next level. */
  private async write(
    level: Level,
    joined: readonly Participants[],
    chunksOf: Map<Participants, readonly SharedArrayBuffer[][]>,
    last: number,
    counts: Int32Array,
    fresh: number,
  ): Promise<Level> {
    const idBase = level.start + level.count;
    const cutRun = last < 0 ? -1 : Math.floor(last / this.runSize);
    const offsets = new Int32Array(new SharedArrayBuffer(Math.max(1, cutRun + 1) * 4));
    let total = 0;
    for (let r = 0; r <= cutRun; r++) {
      offsets[r] = total;
      total += counts[r];
    }
    const refs = this.spares.take(Math.max(1, fresh) * REF_WORDS * 4);
    const trail = this.spares.take(Math.max(1, fresh) * TRAIL_WORDS * 4);
    const chunks: SharedArrayBuffer[] = [];
    if (fresh > 0) {
      for (const who of joined) {
        const theirs = chunksOf.get(who) as readonly SharedArrayBuffer[][];
        const bases = theirs.map((list) => {
          const base = chunks.length;
          chunks.push(...list);
          return base;
        });
        const off = offsets.buffer as SharedArrayBuffer;
        (await who.all((i) => ({ kind: "write", last, offsets: off, chunkBase: bases[i], refs, trail }))).forEach(doneOrThrow);
      }
    }
    this.unrecorded = { trail, count: fresh };
    this.numbered += fresh;
    this.lastGrowth = level.count > 0 && last === level.count - 1 ? fresh / level.count : this.lastGrowth;
    return this.levelOf(level.depth + 1, idBase, fresh, refs, chunks);
  }

  protected override queueSize(): number {
    return this.queueNow;
  }

  protected override reserveBytes(): number {
    return super.reserveBytes() + (this.stored.t.byteLength + this.table.t.byteLength) * 1.5;
  }

  /** The statistics, with the states stored so far while a level is expanded, and the shared tables' bytes. */
  protected override stats(elapsedMs: number): SearchStats {
    const s = super.stats(elapsedMs);
    const distinct = this.live ? Atomics.load(this.control, STORED) : s.distinct;
    return {
      ...s,
      distinct,
      statesPerSecond: elapsedMs > 0 ? (distinct * 1000) / elapsedMs : 0,
      collisionBound: (distinct * (distinct - 1)) / 2 ** 65,
      visitedBytes: s.visitedBytes + this.stored.t.byteLength + this.table.t.byteLength,
    };
  }
}

/** Whether `e` is memory running out: an allocation here, or a worker thread reaching its heap limit. */
function outOfMemory(e: unknown): boolean {
  return isAllocationFailure(e) || (e as { code?: unknown } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
}

/** An expansion's answer, or the error a phase threw outside any state. */
function expandedOrThrow(answer: Answer): Expanded {
  if (answer === "done" || answer.kind === "error") throw errorFrom(answer === "done" ? { name: "Error", message: "search: a worker answered an expansion with done" } : answer.error);
  return answer;
}

/** Throws the error a phase threw outside any state. */
function doneOrThrow(answer: Answer): void {
  if (answer !== "done") throw errorFrom(answer.kind === "error" ? answer.error : { name: "Error", message: "search: a worker answered a phase with an expansion" });
}
