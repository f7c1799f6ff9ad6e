/**
 * A worker thread of a shared search (run from dist/): builds the model from its recipe, then
 * runs the phases of each level the main thread sends. It expands runs of consecutive parents,
 * storing their successors not in the stored table (earlier levels) itself in the level table,
 * and keeping a record of every state it stored or whose least parent it lowered; after the
 * level it keeps, per run, the records whose parent is still the slot's least (exactly one per
 * new state), counts them, and writes them at the ids the main thread gives each run.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { Model, Property } from "../core/model.js";
import { modelFromRecipe } from "../core/recipe.js";
import { releaseDropped } from "./collect-garbage.js";
import { Expander } from "./expander.js";
import { decides, selectProperties } from "./search.js";
import { KNOWN_BEFORE, LOWERED, SLOT_WORDS, SharedTable, TableFull } from "./shared-table.js";
import { StoredTable } from "./stored-table.js";
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
  REF_WORDS,
  SLEPT,
  type RunLayout,
  STORED,
  type SharedWorkerData,
  TRAIL_WORDS,
  decidesWord,
  errorData,
  firedWord,
  freshWord,
  runWords,
} from "./shared-protocol.js";
import { ALL_CHANGED, Footprints } from "./footprints.js";
import { RecentFingerprints } from "./recent.js";
import { StateKey } from "./symmetry.js";

/** Int32 words per record: parent id, action, kind, slot word, fingerprint high and low halves, chunk, offset, length, sleep set, changed properties. */
const RECORD = 11;
/** Words per entry of the runs a worker took: run index, first record word, end record word. */
const RUN_ENTRY = 3;

type Setup = NonNullable<SharedWorkerData["sharedSearch"]>;

/** One worker's part of each level: its records and chunks between the phases. */
export class LevelWorker<S, A> {
  /** The states of earlier levels, only read here while expanding. */
  private stored: StoredTable = StoredTable.create(1);
  /** The level's new states. */
  private table: SharedTable = SharedTable.create(1);
  private readonly control: Int32Array;
  private readonly layout: RunLayout;
  private readonly words: number;
  private readonly props: readonly Property<S>[];
  private records: Int32Array<ArrayBuffer> = new Int32Array(RECORD << 10);
  /** Count's scratch: per record, its slot's least parent. */
  private least = new Int32Array(1 << 10);
  /** The successors of a parent not in the stored table, by index (store's scratch). */
  private picks = new Int32Array(64);
  /**
   * Fingerprints this worker found in the stored table or put in the level table since the level
   * (attempt) began: a successor found here is neither looked up nor inserted, as the lookup would
   * find it and the insert leave it as it is (this worker's parents rise, so the table's parent for
   * it is already lower). Cleared at each attempt, whose table starts afresh.
   */
  private readonly recent = new RecentFingerprints();

  private n = 0;
  private runs: Int32Array<ArrayBuffer> = new Int32Array(RUN_ENTRY << 8);
  private runCount = 0;
  private level: Level | undefined;
  private views: Uint8Array[] = [];
  private refs: Int32Array = new Int32Array(0);
  private stats: Int32Array = new Int32Array(0);
  private chunks: SharedArrayBuffer[] = [];
  private spare: readonly SharedArrayBuffer[] = [];
  private chunk: Uint8Array = new Uint8Array(0);
  private used = 0;
  private readonly seen: boolean[];
  private readonly firedBefore: Float64Array;
  /** Failures this level went on past (see Failure), the first of each kind. */
  private conditional: Failure[] = [];
  private readonly failedProperty: boolean[];
  private failedEncoding = false;
  /** With footprints: which properties a step may change. */
  private readonly footprints: Footprints<S> | undefined;
  /** A parent's state from its bytes in a chunk of the level, which nothing writes while the level is expanded: the model's decodeShared, else decode. */
  private readonly decodeParent: (bytes: Uint8Array) => S;

  constructor(
    private readonly model: Model<S, A>,
    private readonly expander: Expander<S, A>,
    private readonly setup: Pick<Setup, "control" | "run" | "chunkBytes" | "properties" | "footprints">,
  ) {
    this.control = new Int32Array(setup.control);
    this.props = selectProperties(model.properties, setup.properties);
    this.layout = { kinds: model.actionKinds.length, properties: this.props.length };
    this.words = runWords(this.layout);
    this.seen = this.props.map(() => false);
    this.failedProperty = this.props.map(() => false);
    this.firedBefore = new Float64Array(this.layout.kinds);
    this.footprints = setup.footprints ? Footprints.of(model, this.props) : undefined;
    this.decodeParent = (model.decodeShared ?? model.decode).bind(model);
  }

  /** Runs one phase; returns the answer to send back. */
  phase(phase: Phase): Expanded | "done" {
    switch (phase.kind) {
      case "expand":
        return this.expand(phase);
      case "rehash":
        moveSlots(phase);
        return "done";
      case "add":
        addSlots(phase);
        return "done";
      case "regrow":
        this.regrow(phase.table);
        return "done";
      case "count":
        this.count(new Int32Array(phase.counts));
        return "done";
      case "write":
        this.write(phase);
        return "done";
      default:
        return unknownPhase(phase);
    }
  }

  /** Lets go of the tables, the records and the level: the in-thread worker, once the threads have taken over for good. */
  release(): void {
    const dropped = this.stored.t.byteLength + this.table.t.byteLength;
    this.stored = StoredTable.create(1);
    this.table = SharedTable.create(1);
    this.records = new Int32Array(RECORD);
    this.least = new Int32Array(1);
    this.n = 0;
    this.runCount = 0;
    this.level = undefined;
    this.views = [];
    this.refs = new Int32Array(0);
    this.stats = new Int32Array(0);
    this.chunks = [];
    this.spare = [];
    this.chunk = new Uint8Array(0);
    releaseDropped(dropped);
  }

  /** Expands runs of the level until none is left, a limit is reached, or a state throws. */
  private expand(phase: Extract<Phase, { kind: "expand" }>): Expanded {
    if (this.stored.t.buffer !== phase.stored) this.takeStored(phase.stored);
    if (this.table.t.buffer !== phase.table) this.takeTable(phase.table);
    if (this.level?.depth !== phase.level.depth || this.level.attempt !== phase.level.attempt) this.begin(phase.level, phase.spare);
    const level = this.level as Level;
    const { control } = this;
    const run = this.setup.run;
    const until = phase.until ?? Infinity;
    const { storedLimit, fullAt } = phase;
    for (;;) {
      if (Atomics.load(control, HALT) !== 0 || Atomics.load(control, STORED) >= storedLimit) break;
      if (until !== Infinity && performance.now() >= until) break;
      const first = Atomics.add(control, NEXT, run);
      if (first >= level.count) break;
      // The search stops before this run: every property still open is decided by an earlier parent.
      if (level.stopWhenDecided && this.decidedBefore(level, level.start + first)) break;
      const failure = this.expandRun(level, first, Math.min(first + run, level.count), fullAt);
      if (failure !== undefined) {
        Atomics.store(control, HALT, 1);
        return { kind: "expanded", chunks: this.chunks, failure, conditional: this.conditional };
      }
    }
    return { kind: "expanded", chunks: this.chunks, conditional: this.conditional };
  }

  /** Starts a level: no records, no runs, the chunks of the level before last to write into. */
  private begin(level: Level, spare: readonly SharedArrayBuffer[]): void {
    this.level = level;
    this.views = level.chunks.map((c) => new Uint8Array(c));
    this.refs = new Int32Array(level.refs);
    this.stats = new Int32Array(level.stats);
    this.n = 0;
    this.runCount = 0;
    this.chunks = [];
    this.spare = spare;
    this.chunk = new Uint8Array(0);
    this.used = 0;
    this.seen.fill(false);
    this.conditional = [];
    this.failedProperty.fill(false);
    this.failedEncoding = false;
    this.recent.clear();
  }

  /** Whether every asked property is decided by a parent below `parent`. */
  private decidedBefore(level: Level, parent: number): boolean {
    for (const p of level.asked) {
      const at = Atomics.load(this.control, DECIDED + p);
      if (at < 0 || at >= parent) return false;
    }
    return level.asked.length > 0;
  }

  /**
   * Expands parents `first` to `end` (relative, end excluded) as one run; the failure, if a
   * state threw, an allocation failed, or the table holds `fullAt` states before a parent.
   */
  private expandRun(level: Level, first: number, end: number, fullAt: number): Failure | undefined {
    const { expander, table, control, stats, layout } = this;
    const s = (first / this.setup.run) * this.words;
    const runStart = this.n;
    this.firedBefore.set(expander.fired);
    const sleptBefore = expander.slept;
    let r = first;
    let failure: Failure | undefined;
    // States this run stored: added to the shared count once, at its end.
    let stored = 0;
    try {
      for (; r < end; r++) {
        // A plain read: a stale count only lets the run go on to the table's own check, when it is full.
        if (control[STORED] + stored >= fullAt) throw new TableFull(table.slots);
        const parent = level.start + r;
        const ref = r * REF_WORDS;
        const refs = this.refs;
        const state = this.decodeParent(this.views[refs[ref]].subarray(refs[ref + 1], refs[ref + 1] + refs[ref + 2]));
        const asleep = refs[ref + 3];
        const enabled = level.lookUpOnly ? this.successorsAtLimit(state, r, asleep) : expander.successors(state, true, asleep);
        stats[s + ENABLED] += enabled;
        this.decide(level, state, enabled, parent, s, refs[ref + 4]);
        if (level.lookUpOnly) {
          if (expander.count > 1) this.stored.warm(expander.succ.los, expander.count);
          this.lookUp(r);
        } else {
          const recent = this.recent;
          recent.pick(expander.succ.his, expander.succ.los, expander.count);
          if (recent.picked > 1) this.stored.warm(recent.pickedLos, recent.picked);
          stored += this.store(parent, state);
        }
      }
    } catch (e) {
      failure = { parent: r, error: e, ...(e instanceof TableFull ? { tableFull: true as const } : {}) };
    }
    Atomics.add(control, STORED, stored);
    stats[s + SLEPT] += expander.slept - sleptBefore;
    for (let k = 0; k < layout.kinds; k++) stats[s + firedWord(k)] += expander.fired[k] - this.firedBefore[k];
    if (this.runCount * RUN_ENTRY + RUN_ENTRY > this.runs.length) this.runs = grown(this.runs);
    this.runs.set([first / this.setup.run, runStart, this.n], this.runCount * RUN_ENTRY);
    this.runCount++;
    return failure;
  }

  /**
   * At the depth limit: the successors of the state of parent `r`, encoded to be looked up. The
   * one thread encodes them only until the limit first cuts a state off, so an encoding that
   * throws is noted as a failure that counts only if no earlier parent was cut off, and the
   * successors are computed again without encoding (actions and next states still throw).
   */
  private successorsAtLimit(state: S, r: number, asleep: number): number {
    const { expander } = this;
    const fired = expander.fired.slice();
    const slept = expander.slept;
    try {
      return expander.successors(state, true, asleep);
    } catch (e) {
      expander.fired.set(fired);
      expander.slept = slept;
      const enabled = expander.successors(state, false, asleep);
      if (!this.failedEncoding) this.conditional.push({ parent: r, error: e, encoding: true });
      this.failedEncoding = true;
      return enabled;
    }
  }

  /**
   * Evaluates the asked properties on parent `parent`, counting those it decides and lowering
   * their least deciding parent. Unless counting, a property decided by an earlier parent is not
   * evaluated (as by the one thread), nor one its first step did not change (`changed`: that
   * parent of an earlier level did not decide it, or decided it first), and one that throws is
   * noted as a failure that counts only if the property is still undecided there.
   */
  private decide(level: Level, state: S, enabled: number, parent: number, s: number, changed: number): void {
    const { props, control, stats, layout } = this;
    for (const p of level.asked) {
      let decided: boolean;
      if (level.counting) decided = decides(props[p], state, enabled);
      else {
        if (((changed >>> p) & 1) === 0) continue;
        // A plain read: a stale one only evaluates a property the one thread would not, whose throwing then does not count.
        const at = control[DECIDED + p];
        if (at >= 0 && at < parent) continue;
        try {
          decided = decides(props[p], state, enabled);
        } catch (e) {
          if (!this.failedProperty[p]) this.conditional.push({ parent: parent - level.start, error: e, property: p });
          this.failedProperty[p] = true;
          continue;
        }
      }
      if (!decided) continue;
      stats[s + decidesWord(layout, p)]++;
      if (this.seen[p]) continue;
      // This worker's runs rise, so its first deciding parent is its least: make it the shared least if lower.
      this.seen[p] = true;
      for (;;) {
        const cur = Atomics.load(control, DECIDED + p);
        if ((cur >= 0 && cur <= parent) || Atomics.compareExchange(control, DECIDED + p, cur, parent) === cur) break;
      }
    }
  }

  /** At the depth limit: lowers, in the shared word, the least parent with a successor not stored (which the limit cut off) to `r` if it has one. */
  private lookUp(r: number): void {
    const { succ, count } = this.expander;
    for (let b = 0; b < count; b++) {
      if (this.stored.has(succ.his[b], succ.los[b])) continue;
      for (;;) {
        const cur = Atomics.load(this.control, CUT);
        if ((cur >= 0 && cur <= r) || Atomics.compareExchange(this.control, CUT, cur, r) === cur) return;
      }
    }
  }

  /**
   * Stores the successors of `parent` new to the search, keeping a record (and the encoding) of
   * each it stored or lowered; returns how many it stored. Those not in the stored table are
   * picked first, so that their level-table slots are read at once and only theirs.
   */
  private store(parent: number, state: S): number {
    const { expander, table, recent, footprints } = this;
    const { picks: unseen, picked: unseenCount } = recent;
    const succ = expander.succ;
    if (expander.count > this.picks.length) this.picks = new Int32Array(expander.count * 2);
    const picks = this.picks;
    let picked = 0;
    for (let i = 0; i < unseenCount; i++) {
      const b = unseen[i];
      if (!this.stored.has(succ.his[b], succ.los[b])) picks[picked++] = b;
      else recent.add(succ.his[b], succ.los[b]);
    }
    if (picked > 1) table.warmPicked(succ.los, picks, picked);
    let stored = 0;
    footprints?.setParent(state);
    for (let i = 0; i < picked; i++) {
      const b = picks[i];
      const outcome = table.insert(succ.his[b], succ.los[b], parent);
      recent.add(succ.his[b], succ.los[b]);
      if (outcome === KNOWN_BEFORE) continue;
      if (outcome !== LOWERED) stored++;
      const bytes = expander.encoding(b);
      const at = this.room(bytes.length);
      // set, a memmove: on Node 20 a loop over a 50-byte state took three to five times as long, into shared memory too.
      this.chunk.set(bytes, at);
      if (this.n + RECORD > this.records.length) this.records = grown(this.records);
      const rec = this.records;
      const o = this.n;
      rec[o] = parent;
      rec[o + 1] = succ.actions[b];
      rec[o + 2] = succ.kinds[b];
      rec[o + 3] = table.at;
      rec[o + 4] = succ.his[b];
      rec[o + 5] = succ.los[b];
      rec[o + 6] = this.chunks.length - 1;
      rec[o + 7] = at;
      rec[o + 8] = bytes.length;
      rec[o + 9] = succ.sleeps[b];
      rec[o + 10] = footprints === undefined ? ALL_CHANGED : footprints.changed(bytes, expander.wordsAt(b));
      this.n = o + RECORD;
    }
    return stored;
  }

  /** Where `length` bytes of encoding go in the current chunk, starting a chunk (a spare one when it fits) when they do not fit. */
  private room(length: number): number {
    if (this.chunks.length === 0 || this.used + length > this.chunk.length) {
      const i = this.chunks.length;
      const reused = i < this.spare.length && this.spare[i].byteLength >= length;
      const sab = reused ? this.spare[i] : new SharedArrayBuffer(Math.max(this.setup.chunkBytes, length));
      this.chunks.push(sab);
      this.chunk = new Uint8Array(sab);
      this.used = 0;
    }
    const at = this.used;
    this.used += length;
    return at;
  }

  /** Stores into the level table `table` from now on, freeing the one held before now if it was a large one replaced (a message's copy of the same table is no such). */
  private takeTable(table: SharedArrayBuffer): void {
    const dropped = this.table.t.byteLength === table.byteLength ? 0 : this.table.t.byteLength;
    this.table = new SharedTable(new Int32Array(table));
    releaseDropped(dropped);
  }

  /** Looks states up in the stored table `stored` from now on, freeing the one held before now as `takeTable` does. */
  private takeStored(stored: SharedArrayBuffer): void {
    const dropped = this.stored.t.byteLength === stored.byteLength ? 0 : this.stored.t.byteLength;
    this.stored = new StoredTable(new Int32Array(stored));
    releaseDropped(dropped);
  }

  /** The level table grew: each record's slot is found again in the new one. */
  private regrow(table: SharedArrayBuffer): void {
    this.takeTable(table);
    const rec = this.records;
    for (let o = 0; o < this.n; o += RECORD) {
      if (!this.table.find(rec[o + 4], rec[o + 5])) throw new Error("search: a stored state is missing from the grown shared table");
      rec[o + 3] = this.table.at;
    }
  }

  /** Keeps in each run the records whose parent is still the slot's least, counting them into `counts[run]`, with each run's new states per kind and queue term. */
  private count(counts: Int32Array): void {
    const { records: rec, runs, stats, layout } = this;
    const run = this.setup.run;
    const least = this.leastOfRecords();
    for (let i = 0; i < this.runCount; i++) {
      const index = runs[i * RUN_ENTRY];
      const firstParent = (this.level as Level).start + index * run;
      const s = index * this.words;
      const start = runs[i * RUN_ENTRY + 1];
      let k = start;
      let kept = 0;
      let peak = 0;
      for (let o = start; o < runs[i * RUN_ENTRY + 2]; o += RECORD) {
        const parent = rec[o];
        if (least[o / RECORD] !== parent) continue;
        stats[s + freshWord(layout, rec[o + 2])]++;
        // Word by word: once a record is dropped every later one moves, and copyWithin, a call into the runtime, cost more than the move.
        if (k !== o) for (let j = 0; j < RECORD; j++) rec[k + j] = rec[o + j];
        k += RECORD;
        kept++;
        // The queue after this parent, less the level's size and its new states before the run.
        peak = Math.max(peak, kept - (parent - firstParent));
      }
      runs[i * RUN_ENTRY + 2] = k;
      counts[index] = kept;
      stats[s + QUEUE] = peak;
    }
  }

  /** Each record's slot's least parent, read in one loop of loads that depend on nothing before them, so that their cache misses overlap. */
  private leastOfRecords(): Int32Array {
    const { records: rec, n } = this;
    const t = this.table.t;
    if (this.least.length < n / RECORD) this.least = new Int32Array((n / RECORD) * 2);
    const least = this.least;
    for (let o = 0, i = 0; o < n; o += RECORD, i++) least[i] = t[rec[o + 3] + 2];
    return least;
  }

  /** Writes each kept record of a parent up to `last` into the trail and the next level, at its run's first id onwards. */
  private write(phase: Extract<Phase, { kind: "write" }>): void {
    const { records: rec, runs } = this;
    const offsets = new Int32Array(phase.offsets);
    const refs = new Int32Array(phase.refs);
    const trail = new Int32Array(phase.trail);
    const lastParent = (this.level as Level).start + phase.last;
    for (let i = 0; i < this.runCount; i++) {
      const index = runs[i * RUN_ENTRY];
      if (index >= offsets.length) continue;
      let at = offsets[index];
      for (let o = runs[i * RUN_ENTRY + 1]; o < runs[i * RUN_ENTRY + 2] && rec[o] <= lastParent; o += RECORD, at++) {
        trail[at * TRAIL_WORDS] = rec[o];
        trail[at * TRAIL_WORDS + 1] = rec[o + 1];
        trail[at * TRAIL_WORDS + 2] = rec[o + 4];
        trail[at * TRAIL_WORDS + 3] = rec[o + 5];
        refs[at * REF_WORDS] = rec[o + 6] + phase.chunkBase;
        refs[at * REF_WORDS + 1] = rec[o + 7];
        refs[at * REF_WORDS + 2] = rec[o + 8];
        refs[at * REF_WORDS + 3] = rec[o + 9];
        refs[at * REF_WORDS + 4] = rec[o + 10];
      }
    }
  }
}

/** Moves this thread's part of the old level table into the new one. */
function moveSlots(phase: Extract<Phase, { kind: "rehash" }>): void {
  const from = new Int32Array(phase.from);
  const [begin, end] = partOf(from.length / SLOT_WORDS, phase.part, phase.parts);
  new SharedTable(new Int32Array(phase.to)).moveFrom(from, begin, end);
}

/** Adds this thread's part of a table to the stored table, then clears that part if asked. */
function addSlots(phase: Extract<Phase, { kind: "add" }>): void {
  const from = new Int32Array(phase.from);
  const [begin, end] = partOf(from.length / phase.words, phase.part, phase.parts);
  new StoredTable(new Int32Array(phase.to)).addFrom(from, phase.words, begin, end);
  if (phase.clear) from.fill(0, begin * phase.words, end * phase.words);
}

/** Slots `[begin, end)` of part `part` of `parts` of `slots` slots. */
function partOf(slots: number, part: number, parts: number): [number, number] {
  return [Math.floor((slots * part) / parts), Math.floor((slots * (part + 1)) / parts)];
}

/** Twice the room, the contents kept. */
function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function unknownPhase(phase: never): never {
  throw new Error(`shared search: unknown phase ${String((phase as { kind?: unknown }).kind)}`);
}

/** Serves the phases that come on `port`, each answered in turn; a worker that cannot build its model answers every phase with that error. */
function serve(setup: Setup, port: MessagePort): void {
  const control = new Int32Array(setup.control);
  const ready = modelFromRecipe(setup.recipe).then((model) => new LevelWorker(model, new Expander(model, new StateKey(model, setup.symmetry), setup.por ? model.independence : undefined), setup));
  port.on("message", (phase: Phase) => {
    ready.then(
      (worker) => {
        Atomics.load(control, FENCE);
        let answer: Expanded | "done" | { kind: "error"; error: ReturnType<typeof errorData> };
        try {
          answer = worker.phase(phase);
        } catch (e) {
          answer = { kind: "error", error: errorData(e) };
        }
        Atomics.add(control, FENCE, 1);
        postCloned(port, answer);
      },
      (e: unknown) => port.postMessage({ kind: "error", error: errorData(e) }),
    );
  });
}

/**
 * Posts `answer`; when something a model threw cannot be cloned (a function in it, say), posts
 * it with each such value as an Error of the same message instead.
 */
function postCloned(port: MessagePort, answer: unknown): void {
  try {
    port.postMessage(answer);
  } catch (e) {
    if (typeof answer !== "object" || answer === null || (answer as { kind?: unknown }).kind !== "expanded") throw e;
    const plain = (f: Failure): Failure => ({ ...f, error: new Error(f.error instanceof Error ? f.error.message : String(f.error)) });
    const a = answer as Expanded;
    port.postMessage({ ...a, ...(a.failure === undefined ? {} : { failure: plain(a.failure) }), conditional: a.conditional.map(plain) });
  }
}

// Only in a thread started by a shared search (a test runner's own worker thread may import this module).
const data = workerData as SharedWorkerData | null | undefined;
if (parentPort !== null && typeof data === "object" && data !== null && data.sharedSearch !== undefined) serve(data.sharedSearch, parentPort);
