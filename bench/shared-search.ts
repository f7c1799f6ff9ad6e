/**
 * Whether two workers can reach 1.7x with the storing itself spread over them: a prototype of a
 * breadth-first search level by level, in which every worker thread expands states of the level
 * and stores their successors in one fingerprint table in shared memory, and still gives the one
 * thread's ids, parent links and actions. The main thread only says when a phase starts.
 *
 * The one-thread search numbers the states of level d+1 in the order of their least discovery
 * (parent id, action). Here each table slot also holds the least parent id that found the state
 * in this level, lowered by compare-and-swap; a worker that stores a state, or lowers its parent,
 * keeps a record (parent, action, slot) and the successor's encoding. A worker takes runs of 64
 * consecutive parents, so within a run its records come in (parent, action) order. Once every
 * worker has expanded the level, each keeps in each of its runs the records whose parent is still
 * the slot's least (exactly one per new state) and counts them; the main thread sums the counts
 * run by run, which gives each run its first id; and each worker writes its runs' states into the
 * trail and the next level at those ids: the one thread's order. Properties are checked as the
 * engine checks them, the least id deciding each kept. Run as the bench's `--shared V,B,N[,R]`
 * section, and as its workers.
 */
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { type BenchModel, type DaxDist, loadDax, median, splitSection } from "./dax-dist.js";
import { SharedTable } from "./shared-table.js";

/** Parents a worker takes at a time (tests take fewer, to mix the workers' runs more). */
const RUN = 64;
/** Bytes of one arena chunk of encodings (tests use small ones, so that a worker fills many in a level). */
const ARENA_BYTES = 1 << 22;
/** Int32 words per record: parent id, action, slot, arena chunk, offset, length. */
const RECORD = 6;
/** Control word: the next parent to hand out (relative to the level). */
const NEXT = 0;
/**
 * Control word that each side adds to before a message and reads after one: a write and a read
 * of one atomic word, so that what one side wrote before a phase ends happens before what the
 * other reads after it, by the JavaScript memory model (it leaves postMessage to the host).
 */
const FENCE = 1;
/** Control word: states stored so far, counted run by run, to stop well before the table fills. */
const STORED = 2;

/** What every worker gets once. */
interface Setup {
  readonly distRoot: string;
  readonly variant: string;
  readonly bounds: string;
  readonly table: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  /** Parents a worker takes at a time. */
  readonly run: number;
  /** Bytes of one chunk of encodings. */
  readonly arenaBytes: number;
  /** Most states: what the table and the trail are sized for. */
  readonly capacity: number;
  /** Parent id and action of every state id (the trail). */
  readonly parents: SharedArrayBuffer;
  readonly actions: SharedArrayBuffer;
}

/** One level to expand: its states' (chunk, offset, length) triples, and the chunks they live in. */
interface Level {
  readonly start: number;
  readonly count: number;
  readonly refs: SharedArrayBuffer;
  readonly chunks: readonly SharedArrayBuffer[];
  /** Whether property p is still undecided. */
  readonly undecided: readonly boolean[];
}

/** The three phases of a level, as the main thread starts them. */
type Phase =
  | { readonly kind: "expand"; readonly level: Level; readonly spare: readonly SharedArrayBuffer[] }
  | { readonly kind: "count"; readonly counts: SharedArrayBuffer }
  | { readonly kind: "write"; readonly offsets: SharedArrayBuffer; readonly chunkBase: number; readonly refs: SharedArrayBuffer; readonly idBase: number };

/** A worker's answer to "expand". */
interface Expanded {
  readonly chunks: readonly SharedArrayBuffer[];
  readonly decided: readonly number[];
  readonly generated: number;
}

/** The engine's Expander, as far as a worker reads it. */
interface Expanding {
  successors(state: unknown, keep: boolean): number;
  count: number;
  encoders: { view(): Uint8Array }[];
  succ: { his: Uint32Array; los: Uint32Array; actions: Uint32Array };
}

/** A worker: runs the phases it is sent. */
async function serve(setup: Setup): Promise<void> {
  const m = await loadDax(setup.distRoot);
  const model = m.modelOf(setup.variant, setup.bounds);
  const expander = new m.Expander(model, new m.StateKey(model, true)) as unknown as Expanding;
  const worker = new LevelWorker(model, expander, m.decides, setup);
  const port = parentPort as NonNullable<typeof parentPort>;
  const control = new Int32Array(setup.control);
  port.on("message", (phase: Phase) => {
    Atomics.load(control, FENCE);
    const answer = phase.kind === "expand" ? worker.expand(phase.level, phase.spare) : phase.kind === "count" ? worker.count(new Int32Array(phase.counts)) : worker.write(phase);
    Atomics.add(control, FENCE, 1);
    port.postMessage(answer);
  });
  port.postMessage("ready");
}

/** One worker's part of each level: its records between the phases. */
class LevelWorker {
  private readonly table: SharedTable;
  private readonly control: Int32Array;
  private readonly parents: Int32Array;
  private readonly actions: Int32Array;
  private records: Int32Array<ArrayBuffer> = new Int32Array(1 << 16);
  /** Per run taken: its index, and where its records start and end. */
  private runs: Int32Array<ArrayBuffer> = new Int32Array(3 << 10);
  private runCount = 0;
  private readonly run: number;
  private readonly arenaBytes: number;
  private readonly capacity: number;

  constructor(
    private readonly model: BenchModel,
    private readonly expander: Expanding,
    private readonly decides: DaxDist["decides"],
    setup: Setup,
  ) {
    this.table = new SharedTable(new Int32Array(setup.table));
    this.control = new Int32Array(setup.control);
    this.parents = new Int32Array(setup.parents);
    this.actions = new Int32Array(setup.actions);
    this.run = setup.run;
    this.arenaBytes = setup.arenaBytes;
    this.capacity = setup.capacity;
  }

  /** Expands runs of the level's parents until none is left, storing their successors (encodings first in the `spare` chunks) and keeping records. */
  expand(level: Level, spare: readonly SharedArrayBuffer[]): Expanded {
    const { model, expander, table, control, decides } = this;
    this.runCount = 0;
    const views = level.chunks.map((c) => new Uint8Array(c));
    const refs = new Int32Array(level.refs);
    let records = this.records;
    let n = 0;
    const chunks: SharedArrayBuffer[] = [];
    let chunk: Uint8Array = new Uint8Array(0);
    let used = 0;
    const decided = level.undecided.map(() => -1);
    const props = model.properties;
    const open = props.flatMap((_, p) => (level.undecided[p] ? [p] : []));
    let generated = 0;
    for (;;) {
      const first = Atomics.add(control, NEXT, this.run);
      if (first >= level.count) break;
      const last = Math.min(first + this.run, level.count);
      const runStart = n;
      let stored = 0;
      for (let r = first; r < last; r++) {
        const c = refs[r * 3];
        const off = refs[r * 3 + 1];
        const state = model.decode(views[c].subarray(off, off + refs[r * 3 + 2]));
        const parent = level.start + r;
        const enabled = expander.successors(state, true);
        generated += enabled;
        for (let i = 0; i < open.length; i++) {
          const p = open[i];
          if (decided[p] < 0 && decides(props[p], state, enabled)) decided[p] = parent;
        }
        const { succ, encoders } = expander;
        table.warm(succ.los, expander.count);
        for (let b = 0; b < expander.count; b++) {
          const outcome = table.insert(succ.his[b], succ.los[b], parent, level.start);
          if (outcome === 0) continue;
          if (outcome === 1) stored++;
          const bytes = encoders[b].view();
          if (chunks.length === 0 || used + bytes.length > chunk.length) {
            const reused = chunks.length < spare.length && spare[chunks.length].byteLength >= bytes.length;
            const sab = reused ? spare[chunks.length] : new SharedArrayBuffer(Math.max(this.arenaBytes, bytes.length));
            chunks.push(sab);
            chunk = new Uint8Array(sab);
            used = 0;
          }
          // A loop, not chunk.set: V8 copies into shared memory byte by byte through a slow path.
          for (let i = 0; i < bytes.length; i++) chunk[used + i] = bytes[i];
          if (n + RECORD > records.length) records = this.records = grown(records);
          records[n] = parent;
          records[n + 1] = succ.actions[b];
          records[n + 2] = table.at;
          records[n + 3] = chunks.length - 1;
          records[n + 4] = used;
          records[n + 5] = bytes.length;
          n += RECORD;
          used += bytes.length;
        }
      }
      if (Atomics.add(control, STORED, stored) + stored > this.capacity) throw new Error(`bench --shared: more than ${this.capacity} states; raise N (the table does not grow)`);
      if (this.runCount * 3 + 3 > this.runs.length) this.runs = grown(this.runs);
      this.runs.set([first / this.run, runStart, n], this.runCount * 3);
      this.runCount++;
    }
    return { chunks, decided, generated };
  }

  /** Keeps in each run the records whose parent is still the slot's least, and counts them into `counts[run]`. */
  count(counts: Int32Array): "counted" {
    const { records, runs } = this;
    const t = this.table.t;
    for (let i = 0; i < this.runCount; i++) {
      const start = runs[i * 3 + 1];
      let k = start;
      for (let o = start; o < runs[i * 3 + 2]; o += RECORD) {
        if (t[records[o + 2] + 2] !== records[o]) continue;
        if (k !== o) records.copyWithin(k, o, o + RECORD);
        k += RECORD;
      }
      runs[i * 3 + 2] = k;
      counts[runs[i * 3]] = (k - start) / RECORD;
    }
    return "counted";
  }

  /** Writes each kept record's state into the trail and the next level, at its run's first id onwards. */
  write(phase: Extract<Phase, { kind: "write" }>): "written" {
    const { records, runs, parents, actions } = this;
    const offsets = new Int32Array(phase.offsets);
    const refs = new Int32Array(phase.refs);
    for (let i = 0; i < this.runCount; i++) {
      let at = offsets[runs[i * 3]];
      for (let o = runs[i * 3 + 1]; o < runs[i * 3 + 2]; o += RECORD, at++) {
        parents[phase.idBase + at] = records[o];
        actions[phase.idBase + at] = records[o + 1];
        refs[at * 3] = records[o + 3] + phase.chunkBase;
        refs[at * 3 + 1] = records[o + 4];
        refs[at * 3 + 2] = records[o + 5];
      }
    }
    return "written";
  }
}

/** Twice the room, the contents kept. */
function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** The result of one search: the trail (parent id and action per state id), the least id deciding each property, the time. */
export interface Outcome {
  /** Milliseconds the main thread spent between the phases (the shared search only). */
  readonly mainMs?: number;
  readonly parents: Int32Array;
  readonly actions: Int32Array;
  /** Per property, the least state id deciding it (-1: none); the engine's search gives its paths instead. */
  readonly decided: readonly number[];
  /** Per property, the path to the state deciding it, as `pathOf` writes it. */
  readonly paths: readonly string[];
  readonly distinct: number;
  readonly generated: number;
  readonly ms: number;
}

/** A shared-table search: the model, how many workers, the most states, the run size, and the compiled file of this module (workers cannot run TypeScript). */
export interface SharedJob {
  readonly distRoot: string;
  readonly variant: string;
  readonly bounds: string;
  readonly threads: number;
  readonly capacity: number;
  readonly run?: number;
  readonly arenaBytes?: number;
  readonly workerFile?: string | URL;
}

/** Searches `variant` at `bounds` level by level with `threads` workers sharing one table sized for `capacity` states. */
export async function sharedSearch(job: SharedJob): Promise<Outcome> {
  const { distRoot, variant, bounds, threads, capacity } = job;
  const run = job.run ?? RUN;
  const m = await loadDax(distRoot);
  const model = m.modelOf(variant, bounds);
  const slots = Math.ceil(capacity / 0.6);
  const setup: Setup = {
    distRoot,
    variant,
    bounds,
    table: new SharedArrayBuffer(slots * 12),
    control: new SharedArrayBuffer(16),
    run,
    arenaBytes: job.arenaBytes ?? ARENA_BYTES,
    capacity,
    parents: new SharedArrayBuffer(capacity * 4),
    actions: new SharedArrayBuffer(capacity * 4),
  };
  const file = job.workerFile ?? new URL(import.meta.url);
  const control = new Int32Array(setup.control);
  const workers: Worker[] = [];
  /** Sends each worker its phase (none: only waits) and waits for every answer; a worker's error or exit rejects. */
  const all = async (phase: (w: number) => Phase | undefined): Promise<unknown[]> => {
    Atomics.add(control, FENCE, 1);
    const answers = await Promise.all(
      workers.map(
        (w, i) =>
          new Promise((resolve, reject) => {
            const fail = (e: unknown): void => reject(e);
            const exit = (code: number): void => reject(new Error(`bench --shared: a worker exited (code ${code}) in the middle of a phase`));
            w.once("error", fail)
              .once("exit", exit)
              .once("message", (answer: unknown) => {
                w.off("error", fail).off("exit", exit);
                resolve(answer);
              });
            const message = phase(i);
            if (message !== undefined) w.postMessage(message);
          }),
      ),
    );
    Atomics.load(control, FENCE);
    return answers;
  };
  try {
    for (let i = 0; i < threads; i++) workers.push(new Worker(file, { workerData: { sharedSearch: setup } }));
    await all(() => undefined);
    const start = performance.now();
    const table = new SharedTable(new Int32Array(setup.table));
    const parents = new Int32Array(setup.parents);
    const actions = new Int32Array(setup.actions);
    // Level 0: the initial states, stored here.
    const enc = new m.Encoder(256);
    const key = new m.StateKey(model, true) as { encode(s: unknown, out: unknown, fp: Uint32Array): void };
    const fp = new Uint32Array(2);
    const inits = model.initStates();
    const initBytes: Uint8Array[] = [];
    for (let i = 0; i < inits.length; i++) {
      key.encode(inits[i], enc, fp);
      if (table.insert(fp[0], fp[1], -1, 0) === 1) {
        parents[initBytes.length] = -1;
        actions[initBytes.length] = i;
        initBytes.push(enc.view().slice());
      }
    }
    Atomics.store(control, STORED, initBytes.length);
    const first = new SharedArrayBuffer(initBytes.reduce((s, b) => s + b.length, 0) + 1);
    const firstRefs = new Int32Array(new SharedArrayBuffer(initBytes.length * 12));
    let off = 0;
    initBytes.forEach((b, i) => {
      new Uint8Array(first).set(b, off);
      firstRefs.set([0, off, b.length], i * 3);
      off += b.length;
    });
    const decided = model.properties.map(() => -1);
    let level: Level = { start: 0, count: initBytes.length, refs: firstRefs.buffer as SharedArrayBuffer, chunks: [first], undecided: decided.map(() => true) };
    let generated = 0;
    let mainMs = 0;
    let free: SharedArrayBuffer[] = [];
    while (level.count > 0) {
      Atomics.store(control, NEXT, 0);
      const current = level;
      // The chunks of the level before this one are read no more: each worker gets its share to write into.
      const spare = free;
      const answers = (await all((i) => ({ kind: "expand", level: current, spare: spare.filter((_, j) => j % threads === i) }))) as Expanded[];
      free = current.chunks.filter((c) => c.byteLength === setup.arenaBytes);
      const t0 = performance.now();
      for (const a of answers) {
        generated += a.generated;
        a.decided.forEach((id, p) => {
          if (id >= 0 && (decided[p] < 0 || id < decided[p])) decided[p] = id;
        });
      }
      const runs = Math.ceil(level.count / run);
      const counts = new SharedArrayBuffer(runs * 4);
      mainMs += performance.now() - t0;
      await all(() => ({ kind: "count", counts }));
      const t1 = performance.now();
      const offsets = new Int32Array(new SharedArrayBuffer(runs * 4));
      const counted = new Int32Array(counts);
      let total = 0;
      for (let r = 0; r < runs; r++) {
        offsets[r] = total;
        total += counted[r];
      }
      // Within capacity: the workers' count of states stored would have thrown first.
      const idBase = level.start + level.count;
      const refs = new SharedArrayBuffer(Math.max(12, total * 12));
      const bases = answers.map((_, i) => answers.slice(0, i).reduce((sum, a) => sum + a.chunks.length, 0));
      mainMs += performance.now() - t1;
      await all((i) => ({ kind: "write", offsets: offsets.buffer as SharedArrayBuffer, chunkBase: bases[i], refs, idBase }));
      level = { start: idBase, count: total, refs, chunks: answers.flatMap((a) => a.chunks), undecided: decided.map((id) => id < 0) };
    }
    const ms = performance.now() - start;
    const distinct = level.start;
    const trail = { parents: parents.subarray(0, distinct), actions: actions.subarray(0, distinct) };
    return { mainMs, ...trail, decided, paths: decided.map((id) => pathOf(trail, id)), distinct, generated, ms };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The engine's own one-thread search of the same model: its trail, decisions and time. */
export async function engineSearch(distRoot: string, variant: string, bounds: string): Promise<Outcome> {
  const m = await loadDax(distRoot);
  const model = m.modelOf(variant, bounds);
  const visited = new m.VisitedSet();
  try {
    const result = m.search(model, { symmetry: true, countStates: false, stopWhenDecided: false }, undefined, visited);
    const n = visited.size;
    const parents = new Int32Array(n);
    const actions = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      parents[i] = visited.parentOf(i) | 0;
      actions[i] = visited.actionOf(i);
    }
    const paths = result.verdicts.map((v) => (v.path === undefined ? "-" : [v.path.init, ...v.path.steps].join(" ")));
    return { parents, actions, decided: [], paths, distinct: n, generated: result.stats.generated, ms: result.stats.elapsedMs };
  } finally {
    visited.close();
  }
}

/** Where two trails first differ, or -1. */
export function firstDifference(a: Outcome, b: Outcome): number {
  const n = Math.min(a.distinct, b.distinct);
  for (let i = 0; i < n; i++) if (a.parents[i] !== b.parents[i] || a.actions[i] !== b.actions[i]) return i;
  return a.distinct === b.distinct ? -1 : n;
}

/** The path to state `id` in a trail, as the engine's Path has it: the initial state's index, then the actions, joined ("-": no state). */
export function pathOf(o: Pick<Outcome, "parents" | "actions">, id: number): string {
  if (id < 0) return "-";
  const steps: number[] = [];
  let cur = id;
  for (; o.parents[cur] >= 0; cur = o.parents[cur]) steps.push(o.actions[cur]);
  return [o.actions[cur], ...steps.reverse()].join(" ");
}

/** Prints, for `spec` ("V,B,N[,R]"), the engine's one-thread time and the shared-table search's with one and two workers, R rounds in turn. */
export async function benchSharedSearch(distRoot: string, spec: string): Promise<void> {
  const { variant, bounds, numbers } = splitSection("--shared", spec, 2, 1);
  const [capacity, rounds = 1] = numbers;
  console.log(`\nshared table: ${variant} at ${bounds} (symmetry on), the engine's one thread against a level-by-level search in one table shared by 1 and 2 worker threads, ${rounds} round(s) in turn:`);
  const times: { engine: number[]; one: number[]; two: number[] } = { engine: [], one: [], two: [] };
  for (let round = 1; round <= rounds; round++) {
    const engine = await engineSearch(distRoot, variant, bounds);
    const one = await sharedSearch({ distRoot, variant, bounds, threads: 1, capacity });
    const two = await sharedSearch({ distRoot, variant, bounds, threads: 2, capacity });
    for (const [name, o] of [["one worker", one], ["two workers", two]] as const) {
      const diff = firstDifference(engine, o);
      const differing = o.paths.filter((path, p) => path !== engine.paths[p]).length;
      console.log(
        `  round ${round}, ${name}: ${o.distinct.toLocaleString("en-US")} states (engine ${engine.distinct.toLocaleString("en-US")}), ` +
          `${diff < 0 ? "the same trail (every id's parent and action)" : `trails differ from id ${diff}`}, ` +
          `${differing === 0 ? `the same ${o.paths.filter((path) => path !== "-").length} paths to violations and witnesses` : `${differing} paths differ`}; ` +
          `the main thread busy ${((o.mainMs ?? 0) / 1000).toFixed(2)} s between phases`,
      );
    }
    times.engine.push(engine.ms);
    times.one.push(one.ms);
    times.two.push(two.ms);
    console.log(`  round ${round}: engine ${(engine.ms / 1000).toFixed(1)} s, shared one worker ${(one.ms / 1000).toFixed(1)} s, two workers ${(two.ms / 1000).toFixed(1)} s`);
  }
  const e = median(times.engine);
  const t1 = median(times.one);
  const t2 = median(times.two);
  console.log(`  medians: engine ${(e / 1000).toFixed(1)} s, shared one worker ${(t1 / 1000).toFixed(1)} s, two ${(t2 / 1000).toFixed(1)} s: two workers ${(e / t2).toFixed(2)}x the engine's one thread, ${(t1 / t2).toFixed(2)}x one worker`);
}

const data = workerData as { sharedSearch?: Setup } | null | undefined;
if (!isMainThread && parentPort !== null && typeof data === "object" && data !== null && data.sharedSearch !== undefined) await serve(data.sharedSearch);
