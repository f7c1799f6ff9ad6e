/**
 * The exploration loop: one loop for every search, parameterised by a frontier.
 *
 * With the default breadth-first frontier, states are popped in id order, so depths never
 * decrease and the first state found violating (or witnessing) a property is a nearest one:
 * every recorded path is a shortest path.
 */
import { Encoder } from "../core/encoder.js";
import type { Model, Property } from "../core/model.js";
import type { Path, PropertyVerdict, Reporter, SearchOptions, SearchResult, SearchStats, StopReason } from "../core/result.js";
import { Expander } from "./expander.js";
import { BfsFrontier, type Frontier, type FrontierEntry } from "./frontier.js";
import { formatReplayError, replaySteps } from "./replay.js";
import { ALL_CHANGED, Footprints } from "./footprints.js";
import { QueuedMasks } from "./queued-masks.js";
import { RecentFingerprints } from "./recent.js";
import { StateKey } from "./symmetry.js";
import { MAX_ACTION, NO_PARENT, VisitedSet } from "./visited.js";

/** Pops between two looks at the clock (a power of two). */
const CLOCK_EVERY = 1024;
/** Bytes the frontier may allocate at once (a new chunk), on top of the visited set's next growth. */
const FRONTIER_RESERVE = 2 << 20;
/** Milliseconds between two progress reports. */
const REPORT_EVERY_MS = 250;

/**
 * Explores `model` from its initial states, checking the selected properties, within the
 * limits of `options`. `frontier` (an empty one) fixes the exploration order; the default
 * breadth-first one makes every recorded path a shortest one. `visited` (an empty one, holding
 * at least 65536 states) is where states are stored; tests pass a small one. A set the search
 * made itself is closed when it returns; one passed in is the caller's to close.
 *
 * Limits: `maxStates` is checked before each pop, so `distinct` can pass it by less than one
 * state's successors; it is capped at the visited set's capacity less 65535, so that one
 * expansion never overfills the set: a full visited set stops the search "max-states"
 * incomplete, like any limit. States at `maxDepth` are checked but not expanded (their
 * successors are only looked up, and the search is "max-depth" incomplete if one was new);
 * `timeoutMs`, `signal` and `memoryShort` are checked every 1024 pops. With no property selected, `stopWhenDecided` never
 * stops early. Throws on misuse (unknown property names, negative limits, a frontier or
 * visited set not empty) and when the model breaks its contract (more than 65536 initial
 * states or candidate actions, an `actionKind` outside `actionKinds`, or a recorded path that
 * does not replay to the same states).
 */
export function search<S, A>(
  model: Model<S, A>,
  options: SearchOptions = {},
  frontier: Frontier = new BfsFrontier(),
  visited?: VisitedSet,
): SearchResult {
  const set = visited ?? new VisitedSet();
  try {
    const run = new Exploration(model, options, frontier, set);
    run.seed();
    run.explore(Infinity);
    return run.finish();
  } finally {
    if (visited === undefined) set.close();
  }
}

/** Milliseconds `searchAsync` explores before it lets the event loop run. */
const SLICE_MS = 50;

/**
 * The same search, run in slices of about 50 ms with the event loop let through between them,
 * so that signal handlers and timers run while it explores (an aborted `options.signal` then
 * stops it "interrupted"). States, verdicts and paths are exactly those of `search`.
 */
export async function searchAsync<S, A>(
  model: Model<S, A>,
  options: SearchOptions = {},
  frontier: Frontier = new BfsFrontier(),
  visited?: VisitedSet,
): Promise<SearchResult> {
  const set = visited ?? new VisitedSet();
  try {
    const run = new Exploration(model, options, frontier, set);
    run.seed();
    await exploreUntil(run, Infinity);
    return run.finish();
  } finally {
    if (visited === undefined) set.close();
  }
}

/**
 * Explores in slices of about 50 ms, letting the event loop through between them, until the
 * search is done ("done": nothing left, or it stopped) or the clock passes `until` ("paused").
 */
export async function exploreUntil<S, A>(run: Exploration<S, A>, until: number): Promise<"paused" | "done"> {
  let state: "paused" | "done" = "paused";
  while (state === "paused" && performance.now() < until) {
    state = run.explore(Math.min(until, performance.now() + SLICE_MS));
    if (state === "paused") await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return state;
}

/** One search in progress: its limits, counters and scratch buffers, reused for every state. */
export class Exploration<S, A> {
  protected readonly selected: readonly Property<S>[];
  protected readonly maxStates: number;
  protected readonly maxDepth: number;
  private readonly timeoutMs: number;
  private readonly memoryShort: ((reserveBytes: number) => boolean) | undefined;
  private readonly signal: AbortSignal | undefined;
  /** When the current slice of `explore` ends (Infinity: never). */
  private sliceEnd = Infinity;
  private paused = false;
  private readonly reporter: Reporter | undefined;
  /** Whether the search stops once every selected property is decided. */
  protected readonly earlyStop: boolean;
  /** Per selected property, explored states deciding it; undefined unless counting. */
  protected readonly counts: Float64Array | undefined;
  private readonly start: number;
  private lastReport: number;
  private readonly enc = new Encoder(256);
  private readonly fp = new Uint32Array(2);
  /** Encodes states and fingerprints them, folding renamings when symmetry is on. */
  private readonly key: StateKey<S>;
  /** Computes each popped state's successors. */
  private readonly expander: Expander<S, A>;
  /** The sleep set of each state queued, when partial-order reduction is on here (see `sleepSetsApply`). */
  private readonly sleep: QueuedMasks | undefined;
  /** With footprints: which properties each state queued may differ on from its parent's (see `Footprints`). */
  private readonly changes: QueuedMasks | undefined;
  private readonly footprints: Footprints<S> | undefined;
  protected readonly fired: Float64Array;
  protected readonly fresh: Float64Array;
  protected generated = 0;
  protected deepest = 0;
  protected queuePeak = 0;
  protected pops = 0;
  /** Id of the state that decided each selected property, or -1. */
  protected readonly decidedAt: Int32Array;
  protected undecided: number;
  /** With at most 32 properties selected: bits (by index) of those undecided. */
  private undecidedBits: number;
  protected allDecided = false;
  protected stopReason: StopReason | undefined = undefined;
  protected cutByDepth = false;
  /** Fingerprints stored or found stored lately: a successor found here is not looked up in the visited set. */
  private readonly recent = new RecentFingerprints();
  private readonly entry: FrontierEntry = { id: 0, depth: 0, bytes: new Uint8Array(0) };
  /** A popped entry's state, read until the next pop: the model's decodeShared, else decode. */
  private readonly decodePopped: (bytes: Uint8Array) => S;

  /** Checks the arguments and starts the clock. */
  constructor(
    protected readonly model: Model<S, A>,
    options: SearchOptions,
    protected readonly frontier: Frontier,
    protected readonly visited: VisitedSet,
  ) {
    this.selected = selectProperties(model.properties, options.properties);
    this.maxStates = Math.min(limit(options.maxStates, "maxStates"), visited.capacity - MAX_ACTION);
    this.maxDepth = limit(options.maxDepth, "maxDepth");
    this.timeoutMs = limit(options.timeoutMs, "timeoutMs");
    this.memoryShort = options.memoryShort;
    this.signal = options.signal;
    this.reporter = options.reporter;
    this.counts = options.countStates === true ? new Float64Array(this.selected.length) : undefined;
    this.earlyStop = this.counts === undefined && (options.stopWhenDecided ?? true) && this.selected.length > 0;
    checkEmpty(frontier, visited);
    this.fresh = new Float64Array(model.actionKinds.length);
    this.decidedAt = new Int32Array(this.selected.length).fill(-1);
    this.key = new StateKey(model as Model<S, unknown>, options.symmetry === true);
    const sleepy = sleepSetsApply(model, options, frontier instanceof BfsFrontier);
    this.sleep = sleepy ? new QueuedMasks() : undefined;
    const footed = footprintsApply(model, options, frontier instanceof BfsFrontier);
    this.footprints = footed ? Footprints.of(model, this.selected) : undefined;
    this.changes = this.footprints === undefined ? undefined : new QueuedMasks();
    this.expander = new Expander(model, this.key, sleepy ? model.independence : undefined);
    this.decodePopped = (model.decodeShared ?? model.decode).bind(model);
    this.fired = this.expander.fired;
    this.undecided = this.selected.length;
    this.undecidedBits = this.selected.length >= 32 ? ALL_CHANGED : (1 << this.selected.length) - 1;
    this.start = this.lastReport = performance.now();
  }

  /** Stores the initial states and queues the distinct ones at depth 0. */
  seed(): void {
    const { model, enc, fp, visited, frontier, key } = this;
    const inits = model.initStates();
    if (inits.length > MAX_ACTION + 1) {
      throw new RangeError(`search: ${inits.length} initial states, at most ${MAX_ACTION + 1} are supported`);
    }
    for (let i = 0; i < inits.length; i++) {
      key.encode(inits[i], enc, fp);
      const bytes = enc.view();
      const id = visited.insert(fp[0], fp[1], NO_PARENT, i);
      if (id < 0) continue;
      frontier.push(bytes, id, 0);
      this.sleep?.record(id, 0);
      this.changes?.record(id, ALL_CHANGED);
    }
    this.queuePeak = frontier.size;
  }

  /**
   * The exploration loop, the same for every frontier: pops, expands and checks states until
   * none is left, the search stops, or (returning "paused", to be called again) the clock
   * passes `sliceEnd`. A failed allocation stops the search "memory": what is stored stays
   * consistent, so the verdicts decided so far and their paths are kept.
   */
  explore(sliceEnd: number): "paused" | "done" {
    this.sliceEnd = sliceEnd;
    this.paused = false;
    try {
      this.loop();
    } catch (e) {
      if (!isAllocationFailure(e)) throw e;
      this.stopReason = "memory";
    }
    return this.paused ? "paused" : "done";
  }

  private loop(): void {
    const frontier = this.frontier;
    const entry = this.entry;
    while (frontier.size > 0) {
      if (this.atLimit()) return;
      frontier.pop(entry);
      this.pops++;
      const id = entry.id;
      const depth = entry.depth;
      if (depth > this.deepest) this.deepest = depth;
      const state = this.decodePopped(entry.bytes);
      const changed = this.changes === undefined ? ALL_CHANGED : this.changes.take(id);
      const enabled = this.expand(state, id, depth, this.sleep === undefined ? 0 : this.sleep.take(id));
      if (this.counts !== undefined) this.count(state, id, enabled);
      else if (this.undecided > 0 && this.check(state, id, enabled, changed)) return;
    }
  }

  /** From now on the search never pauses: for a driver of the loop that lets the event loop run by itself. */
  protected endSlices(): void {
    this.sliceEnd = Infinity;
    this.paused = false;
  }

  /** Whether the search stops (noting why) or pauses before the next pop; looks at the clock every 1024 pops. */
  protected atLimit(): boolean {
    if (this.visited.size >= this.maxStates) {
      this.stopReason = "max-states";
      return true;
    }
    return (this.pops & (CLOCK_EVERY - 1)) === 0 && this.clockTick();
  }

  /** Looks at the clock, the signal and memory: whether to stop or pause; else reports progress when one is due. */
  private clockTick(): boolean {
    const now = performance.now();
    const why = this.stopNow(now);
    if (why !== undefined) {
      this.stopReason = why;
      return true;
    }
    this.reportProgress(now);
    if (now >= this.sliceEnd) this.paused = true;
    return this.paused;
  }

  /** Reports progress to the reporter when one is due at time `now`. */
  protected reportProgress(now: number): void {
    if (this.reporter !== undefined && now - this.lastReport >= REPORT_EVERY_MS) {
      this.lastReport = now;
      this.reporter.progress(this.stats(now - this.start));
    }
  }

  /** Which limit, if any, stops the search at time `now`. */
  protected stopNow(now: number): StopReason | undefined {
    if (now - this.start >= this.timeoutMs) return "timeout";
    if (this.signal?.aborted === true) return "interrupted";
    if (this.memoryShort?.(this.reserveBytes()) === true) return "memory";
    return undefined;
  }

  /** The most bytes the search may soon allocate at once: what memory must have room for. */
  protected reserveBytes(): number {
    return this.visited.growthReserveBytes() + FRONTIER_RESERVE;
  }

  /**
   * Expands state `id`: computes its successors, then stores and queues the new ones. At the
   * depth limit, successors are still computed (deadlock needs to know whether any is enabled)
   * but only looked up, to tell whether the limit cut anything off. Returns how many are enabled.
   */
  private expand(state: S, id: number, depth: number, asleep: number): number {
    const expand = depth < this.maxDepth;
    const enabled = this.expander.successors(state, expand || !this.cutByDepth, asleep);
    const { recent } = this;
    recent.pick(this.expander.succ.his, this.expander.succ.los, this.expander.count);
    // All fingerprints first, then all lookups: their cache misses overlap (see VisitedSet.warm).
    if (recent.picked > 1) this.visited.warm(recent.pickedLos, recent.picked);
    if (expand) this.insertBatch(state, id, depth + 1);
    else this.lookUpBatch();
    this.generated += enabled;
    if (this.frontier.size > this.queuePeak) this.queuePeak = this.frontier.size;
    return enabled;
  }

  /**
   * Stores the batch's successors of `state` (id `parent`), and queues the new ones at `depth`,
   * each with the masks of the edge that reached it first: its sleep set, and which properties
   * its step may have changed.
   */
  private insertBatch(state: S, parent: number, depth: number): void {
    const { visited, frontier, fresh, sleep, changes, footprints, recent } = this;
    const { picks, picked } = recent;
    const expander = this.expander;
    const succ = expander.succ;
    footprints?.setParent(state);
    for (let i = 0; i < picked; i++) {
      const b = picks[i];
      const id = visited.insert(succ.his[b], succ.los[b], parent, succ.actions[b]);
      recent.add(succ.his[b], succ.los[b]);
      if (id < 0) continue;
      fresh[succ.kinds[b]]++;
      const bytes = expander.encoding(b);
      frontier.push(bytes, id, depth);
      sleep?.record(id, succ.sleeps[b]);
      if (footprints !== undefined) changes?.record(id, footprints.changed(bytes, expander.wordsAt(b)));
    }
  }

  /** At the depth limit: notes whether a successor in the batch is new, i.e. the limit cut it off. */
  private lookUpBatch(): void {
    const { visited } = this;
    const { picks, picked } = this.recent;
    const succ = this.expander.succ;
    for (let i = 0; i < picked; i++) {
      const b = picks[i];
      if (!visited.has(succ.his[b], succ.los[b])) {
        this.cutByDepth = true;
        return;
      }
    }
  }

  /** Checks the undecided properties on state `id` that may have `changed` (bits by index) since its parent; whether the search may now stop, all being decided. */
  private check(state: S, id: number, enabled: number, changed: number): boolean {
    const { selected, decidedAt } = this;
    if (selected.length > 32) {
      for (let p = 0; p < selected.length; p++) if (decidedAt[p] < 0 && decides(selected[p], state, enabled)) this.decide(p, id);
      return this.allDecided;
    }
    // Only the properties both undecided and maybe changed, lowest index first, by their bits.
    let todo = changed & this.undecidedBits;
    while (todo !== 0) {
      const p = 31 - Math.clz32(todo & -todo);
      todo &= todo - 1;
      if (decides(selected[p], state, enabled)) this.decide(p, id);
    }
    return this.allDecided;
  }

  /** Counts the selected properties state `id` decides, noting the first state that decides each. */
  private count(state: S, id: number, enabled: number): void {
    const { selected } = this;
    const counts = this.counts as Float64Array;
    for (let p = 0; p < selected.length; p++) {
      if (!decides(selected[p], state, enabled)) continue;
      counts[p]++;
      this.decide(p, id);
    }
  }

  /** Notes that state `id` decides property `p` unless an earlier state did, and whether every property is now decided and the search may stop. */
  protected decide(p: number, id: number): void {
    if (this.decidedAt[p] >= 0) return;
    this.decidedAt[p] = id;
    this.undecidedBits &= ~(1 << p);
    this.undecided--;
    this.allDecided = this.undecided === 0 && this.earlyStop;
  }

  /** The result: status, verdicts and final statistics (also handed to the reporter). */
  finish(): SearchResult {
    if (!this.allDecided && this.stopReason === undefined && this.cutByDepth) this.stopReason = "max-depth";
    const complete = this.allDecided || this.stopReason === undefined;
    const verdicts = this.selected.map((prop, p) => this.verdict(prop, this.decidedAt[p], complete));
    const stats = this.stats(performance.now() - this.start);
    this.reporter?.done?.(stats);
    const counts = this.counts;
    const stateCounts = counts === undefined ? undefined : Object.fromEntries(this.selected.map((prop, p) => [prop.name, counts[p]]));
    const base = { verdicts, stats, ...(stateCounts === undefined ? {} : { stateCounts }) };
    return complete ? { status: "complete", ...base } : { status: "incomplete", stopReason: this.stopReason, ...base };
  }

  /** The verdict on `prop`, decided at state `at` (or -1) in a search that was or was not `complete`. */
  private verdict(prop: Property<S>, at: number, complete: boolean): PropertyVerdict {
    const name = prop.name;
    if (at >= 0) {
      const path = pathTo(this.model, this.visited, at, this.key);
      return prop.kind === "sometimes" ? { kind: "reached", name, path } : { kind: "violated", name, path };
    }
    if (!complete) return { kind: "undecided", name };
    return prop.kind === "sometimes" ? { kind: "unreached", name } : { kind: "holds", name };
  }

  /** Enabled actions sleep sets left uncomputed so far. */
  protected sleptCount(): number {
    return this.expander.slept;
  }

  /** States waiting to be expanded. */
  protected queueSize(): number {
    return this.frontier.size;
  }

  /** The statistics of the search `elapsedMs` into it. */
  protected stats(elapsedMs: number): SearchStats {
    const n = this.visited.size;
    return {
      generated: this.generated,
      slept: this.sleptCount(),
      distinct: n,
      depth: this.deepest,
      queue: this.queueSize(),
      queuePeak: this.queuePeak,
      perAction: this.model.actionKinds.map((kind, i) => ({ kind, fired: this.fired[i], newStates: this.fresh[i] })),
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? (n * 1000) / elapsedMs : 0,
      collisionBound: (n * (n - 1)) / 2 ** 65,
      renamings: this.key.groupSize,
      visitedBytes: this.visited.bytes(),
    };
  }
}

/**
 * Whether a search with these options runs with sleep sets: asked for (`por`), declared by the
 * model, breadth-first (a search that stores states needs breadth-first order to skip nothing
 * without re-exploring), and no renaming under symmetry moves what a sleep bit names.
 */
export function sleepSetsApply<S, A>(model: Model<S, A>, options: SearchOptions, breadthFirst: boolean): boolean {
  const independence = model.independence;
  if (options.por !== true || independence === undefined || !breadthFirst) return false;
  if (options.symmetry !== true || model.symmetry === undefined) return true;
  const moved = new Set(independence.renamedBy);
  return !model.symmetry.dimensions.some((d) => moved.has(d.name) && d.classes.some((c) => c.length > 1));
}

/**
 * Whether a search with these options skips properties by footprint: not turned off, the model's
 * states are their own encodings (footprints are byte offsets of them), breadth-first (a state's
 * parent is checked before it), and not counting (a count needs every state's answer).
 */
export function footprintsApply<S, A>(model: Model<S, A>, options: SearchOptions, breadthFirst: boolean): boolean {
  return options.footprints !== false && model.ownEncoding !== undefined && breadthFirst && options.countStates !== true;
}

/** Whether `e` is the engine running out of memory (a typed array or buffer that could not be allocated). */
export function isAllocationFailure(e: unknown): boolean {
  return e instanceof RangeError && /allocation failed|Invalid (typed )?array (buffer )?length|out of memory/i.test(e.message);
}

/** Whether state `state`, with `enabled` actions enabled, decides `prop`: violates it, or witnesses a `sometimes`. */
export function decides<S>(prop: Property<S>, state: S, enabled: number): boolean {
  switch (prop.kind) {
    case "always":
      return !prop.holds(state);
    case "sometimes":
      return prop.holds(state);
    case "deadlockFree":
      return enabled === 0 && prop.inFlight(state);
    default:
      return unreachable(prop);
  }
}

/** Throws unless the search starts from an empty frontier and an empty visited set that can take one expansion. */
function checkEmpty(frontier: Frontier, visited: VisitedSet): void {
  if (frontier.size !== 0) throw new Error("search: the frontier must start empty");
  if (visited.size !== 0) throw new Error("search: the visited set must start empty");
  if (visited.capacity < MAX_ACTION + 1) {
    throw new RangeError(`search: the visited set must hold at least ${MAX_ACTION + 1} states, not ${visited.capacity}`);
  }
}

/** The path to state `id`, from the parent links, checked by replaying it. */
function pathTo<S, A>(model: Model<S, A>, visited: VisitedSet, id: number, key: StateKey<S>): Path {
  const ids: number[] = [];
  const steps: number[] = [];
  let cur = id;
  for (;;) {
    ids.push(cur);
    const parent = visited.parentOf(cur);
    if (parent === NO_PARENT) break;
    steps.push(visited.actionOf(cur));
    cur = parent;
  }
  const init = visited.actionOf(cur);
  ids.reverse();
  steps.reverse();
  const replay = replaySteps(model, init, steps);
  if (!replay.ok) {
    throw new Error(`search: the model did not replay its own path: ${formatReplayError(replay.error)}`);
  }
  // Replaying must give back exactly the states the search stored.
  const enc = new Encoder(256);
  const fp = new Uint32Array(2);
  for (let k = 0; k < ids.length; k++) {
    key.encode(replay.states[k], enc, fp);
    if (fp[0] !== visited.hiOf(ids[k]) || fp[1] !== visited.loOf(ids[k])) {
      throw new Error(
        `search: replaying step ${k} of a recorded path gave a different state than the search saw; ` +
          "the model is not deterministic (e.g. unsorted Map/Set iteration, randomness, or state mutated in place)",
      );
    }
  }
  return { init, steps, labels: replay.actions.map((a) => model.actionLabel(a)) };
}

/** The model's properties named in `names` (all when absent), in the model's order. */
export function selectProperties<S>(properties: readonly Property<S>[], names: readonly string[] | undefined): Property<S>[] {
  if (names === undefined) return properties.slice();
  const known = new Set(properties.map((p) => p.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new RangeError(`search: no property named ${unknown.join(", ")} (known: ${[...known].join(", ")})`);
  }
  const wanted = new Set(names);
  return properties.filter((p) => wanted.has(p.name));
}

/** A limit from the options: Infinity when absent, else a non-negative number. */
function limit(value: number | undefined, name: string): number {
  if (value === undefined) return Infinity;
  if (!(value >= 0)) throw new RangeError(`search: ${name} must be a non-negative number, got ${value}`);
  return value;
}

function unreachable(value: never): never {
  throw new Error(`search: unknown property kind ${String((value as { kind?: unknown }).kind)}`);
}
