/**
 * What a worker thread of a parallel search does with a batch of states: per state, what the
 * sequential loop computes before it touches the visited set (the successors with their
 * fingerprints and encodings, and the properties the state decides), written into one buffer
 * in the layout of parallel-protocol.ts.
 */
import type { Model, Property } from "../core/model.js";
import { Expander } from "./expander.js";
import { KNOWN, type ParallelWorkerData } from "./parallel-protocol.js";
import { decides, selectProperties } from "./search.js";
import { StateKey } from "./symmetry.js";
import { SentCache } from "./sent-cache.js";
import { WordWriter, paddedWords } from "./words.js";

/** What a worker is told about the search. */
export type WorkerJob = NonNullable<ParallelWorkerData["parallelSearch"]>;

/** One worker's model, properties and reused buffers. */
export class BatchExpander<S, A> {
  private readonly expander: Expander<S, A>;
  private readonly selected: readonly Property<S>[];
  private readonly out = new WordWriter();
  /** Word views of the expander's encoder buffers, by successor index. */
  private readonly views: Uint32Array[] = [];
  /** What this worker sent to be stored: sent again as known. */
  private readonly sent = new SentCache();

  constructor(
    private readonly model: Model<S, A>,
    job: Pick<WorkerJob, "properties" | "symmetry">,
  ) {
    this.selected = selectProperties(model.properties, job.properties);
    this.expander = new Expander(model, new StateKey(model as Model<S, unknown>, job.symmetry));
  }

  /**
   * The successors of the batch in `states`, written into `spare` (or a buffer of the writer's
   * own), and how many states were done: all, or those before the one that threw `error`.
   */
  expand(states: ArrayBuffer, spare: ArrayBuffer | undefined): { successors: ArrayBuffer; done: number; error?: unknown } {
    const u32 = new Uint32Array(states);
    const u8 = new Uint8Array(states);
    const count = u32[0];
    const words = u32[1];
    this.out.reset(spare);
    const asked = u32.subarray(2, 2 + words);
    let at = 2 + words;
    for (let i = 0; i < count; i++) {
      const length = u32[at];
      const from = (at + 2) << 2;
      try {
        this.expandOne(u8.subarray(from, from + length), u32[at + 1] === 1, asked);
      } catch (error) {
        return { successors: this.out.buffer, done: i, error };
      }
      at += 2 + paddedWords(length);
    }
    return { successors: this.out.buffer, done: count };
  }

  /** A word view of successor `b`'s encoder buffer (Expander makes them 64 bytes and they double, so whole words), made again when it has grown. */
  private wordsOf(b: number): Uint32Array {
    const bytes = this.expander.encoders[b].buffer;
    let view = this.views[b];
    if (view === undefined || view.buffer !== bytes.buffer) view = this.views[b] = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    return view;
  }

  /** Writes one state's enabled count, which of the `asked` properties it decides, and its successors. */
  private expandOne(bytes: Uint8Array, expand: boolean, asked: Uint32Array): void {
    const { out, expander, selected } = this;
    const state = this.model.decode(bytes);
    const enabled = expander.successors(state, true);
    out.word(enabled);
    for (let w = 0; w < asked.length; w++) {
      let bits = 0;
      for (let p = w << 5; p < Math.min(selected.length, (w + 1) << 5); p++) {
        if ((asked[w] >>> (p & 31)) & 1 && decides(selected[p], state, enabled)) bits |= 1 << (p & 31);
      }
      out.word(bits >>> 0);
    }
    const { succ, encoders, count } = expander;
    const sent = this.sent;
    for (let b = 0; b < count; b++) {
      const hi = succ.his[b];
      const lo = succ.los[b];
      if (sent.has(hi, lo)) {
        out.word(KNOWN | succ.kinds[b]);
        continue;
      }
      if (expand) sent.add(hi, lo);
      out.word(succ.kinds[b]);
      out.word(succ.actions[b]);
      out.word(hi);
      out.word(lo);
      const length = expand ? encoders[b].length : 0;
      out.word(length);
      out.words(this.wordsOf(b), 0, length);
    }
  }
}

