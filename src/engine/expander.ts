/**
 * Successor generation, the part of a search that needs the model but not the visited set:
 * what the exploration loop does per state before storing anything, and what a worker thread
 * of a parallel search does for the main thread.
 */
import { Encoder } from "../core/encoder.js";
import type { Independence, Model } from "../core/model.js";
import type { StateKey } from "./symmetry.js";
import { MAX_ACTION } from "./visited.js";

/** Fingerprints, action indices and kinds of the successors of one state. */
export interface Successors {
  readonly his: Uint32Array;
  readonly los: Uint32Array;
  readonly actions: Uint32Array;
  readonly kinds: Uint32Array;
  /** With sleep sets: the actions asleep in each successor (a mask of sleep bits). */
  readonly sleeps: Uint32Array;
}

/** Fires a state's candidate actions into reused buffers: `count` successors, each with its fingerprint and `encoding`. */
export class Expander<S, A> {
  /** Enabled actions per kind, over every state expanded. */
  readonly fired: Float64Array;
  /** Without the model's ownEncoding: one encoder per successor slot, of which `count` hold the last state's successors. */
  private readonly encoders: Encoder[] = [];
  /** Successor slots made so far: the most successors any state expanded had. */
  private slots = 0;
  /** With the model's ownEncoding: the successors of the state expanded last, which are their own encodings. */
  private readonly owned: Uint8Array[] = [];
  /** With ownEncoding and nextStateInto: per slot, the whole words of the state held there, made when first fingerprinted. */
  private readonly ownedWords: (Uint32Array | undefined)[] = [];
  /** The model's ownEncoding, if it has one. */
  private readonly ownEncoding: ((state: S) => Uint8Array) | undefined;
  /** The model's nextStateInto, if it has one. */
  private readonly nextStateInto: ((state: S, action: A, reuse: S) => boolean) | undefined;
  /** With nextStateInto: per successor slot, the state last fired into it, which the next one into that slot reuses. */
  private readonly held: S[] = [];
  succ: Successors = growSuccessors(undefined);
  /** Successors kept from the state expanded last. */
  count = 0;
  /** The candidates of the state expanded last: `candidates`, or the model's own list. */
  private list: readonly A[] = [];
  /** Where `actions` appends a state's candidates, without the model's actionList. */
  private readonly candidates: A[] = [];
  /** The model's actionList, if it has one. */
  private readonly actionList: ((state: S) => readonly A[]) | undefined;
  private readonly fp = new Uint32Array(2);
  /** With sleep sets: the model's independence relation. */
  private readonly independence: Independence<S, A> | undefined;
  /** Enabled actions not fired because asleep, over every state expanded. */
  slept = 0;

  /** An expander encoding and fingerprinting through `key` (symmetry on or off), with sleep sets when given the model's `independence`. */
  constructor(
    private readonly model: Model<S, A>,
    private readonly key: StateKey<S>,
    independence?: Independence<S, A>,
  ) {
    this.fired = new Float64Array(model.actionKinds.length);
    this.ownEncoding = model.ownEncoding?.bind(model);
    this.nextStateInto = model.nextStateInto?.bind(model);
    this.actionList = model.actionList?.bind(model);
    this.independence = independence;
  }

  /** The encoding of successor `b` of the state expanded last: valid until the next expansion. */
  encoding(b: number): Uint8Array {
    return this.ownEncoding !== undefined ? this.owned[b] : this.encoders[b].view();
  }

  /**
   * Fires every candidate action of `state` but those `asleep` (a mask of sleep bits), counting
   * the enabled ones per kind, asleep ones included (an action asleep is enabled); when `keep`,
   * encodes and fingerprints each successor into the buffers, with sleep sets the actions
   * asleep in it. Returns how many are enabled.
   */
  successors(state: S, keep: boolean, asleep = 0): number {
    if (this.independence !== undefined) return this.successorsAsleep(state, keep, asleep, this.independence);
    const { fired } = this;
    const n = this.listCandidates(state);
    const candidates = this.list;
    let enabled = 0;
    let count = 0;
    for (let a = 0; a < n; a++) {
      const action = candidates[a];
      const next = this.fire(state, action, count);
      if (next === undefined) continue;
      enabled++;
      const kind = this.kindOf(action);
      fired[kind]++;
      if (keep) this.keep(next, a, kind, count++);
    }
    this.count = count;
    return enabled;
  }

  /**
   * `successors` with sleep sets: an action asleep in `state` or fired before in it stays asleep
   * in a successor when the relation says it commutes there with that successor's action.
   */
  private successorsAsleep(state: S, keep: boolean, asleep: number, independence: Independence<S, A>): number {
    const { fired } = this;
    const n = this.listCandidates(state);
    const candidates = this.list;
    // Sleep bits of the actions asleep here, and of those fired so far.
    let done = asleep;
    let enabled = 0;
    let count = 0;
    for (let a = 0; a < n; a++) {
      const action = candidates[a];
      let bit = -2;
      if (asleep !== 0) {
        bit = independence.sleepBit(action);
        if (bit >= 0 && ((asleep >>> bit) & 1) !== 0) {
          enabled++;
          this.slept++;
          fired[this.kindOf(action)]++;
          continue;
        }
      }
      const next = this.fire(state, action, count);
      if (next === undefined) continue;
      enabled++;
      const kind = this.kindOf(action);
      fired[kind]++;
      if (keep) {
        this.keep(next, a, kind, count);
        this.succ.sleeps[count++] = done === 0 ? 0 : (independence.sleepsAfter(state, action, kind, done) & done) >>> 0;
      }
      if (bit === -2) bit = independence.sleepBit(action);
      if (bit >= 0) done |= 1 << bit;
    }
    this.count = count;
    return enabled;
  }

  /** The successor of `state` under `action`, written over the state held in successor slot `slot` where the model can. */
  private fire(state: S, action: A, slot: number): S | undefined {
    const into = this.nextStateInto;
    if (into === undefined) return this.model.nextState(state, action);
    const reuse = this.held[slot];
    if (reuse !== undefined) return into(state, action, reuse) ? reuse : undefined;
    const next = this.model.nextState(state, action);
    if (next !== undefined) this.held[slot] = next;
    return next;
  }

  /** Lists `state`'s candidate actions into `list`; how many (at most MAX_ACTION + 1). */
  private listCandidates(state: S): number {
    if (this.actionList !== undefined) this.list = this.actionList(state);
    else {
      const candidates = this.candidates;
      candidates.length = 0;
      this.model.actions(state, candidates);
      this.list = candidates;
    }
    const n = this.list.length;
    if (n > MAX_ACTION + 1) {
      throw new RangeError(`search: a state has ${n} candidate actions, at most ${MAX_ACTION + 1} are supported`);
    }
    return n;
  }

  /** Encodes and fingerprints successor `next`, of candidate `a` and kind `kind`, into slot `slot` (the next one). */
  private keep(next: S, a: number, kind: number, slot: number): void {
    const succ = slot === this.slots ? this.addSlot() : this.succ;
    const { fp, ownEncoding } = this;
    if (ownEncoding !== undefined) {
      const bytes = ownEncoding(next);
      this.owned[slot] = bytes;
      this.key.fingerprintOwn(next, bytes, fp, this.wordsOf(slot, bytes));
    } else this.key.encode(next, this.encoders[slot], fp);
    succ.his[slot] = fp[0];
    succ.los[slot] = fp[1];
    succ.actions[slot] = a;
    succ.kinds[slot] = kind;
  }

  /** With ownEncoding and nextStateInto: a view of the whole words of successor `b`'s encoding, when it has one (aligned); valid until the next expansion. */
  wordsAt(b: number): Uint32Array | undefined {
    return this.owned[b] === this.held[b] ? this.ownedWords[b] : undefined;
  }

  /**
   * The whole words of `bytes`, the encoding of the successor in slot `slot`, when it is the one
   * held there: with nextStateInto a slot holds one state for the whole search, so a view of its
   * words is made once (making it moves a short typed array's bytes off V8's heap, once).
   */
  private wordsOf(slot: number, bytes: Uint8Array): Uint32Array | undefined {
    if (bytes !== this.held[slot]) return undefined;
    const made = this.ownedWords[slot];
    if (made !== undefined || (bytes.byteOffset & 3) !== 0) return made;
    return (this.ownedWords[slot] = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2));
  }

  /** The action's kind, checked to be an index into the model's actionKinds. */
  private kindOf(action: A): number {
    const kind = this.model.actionKind(action);
    const kindCount = this.fired.length;
    if (!(kind >= 0 && kind < kindCount && (kind | 0) === kind)) {
      throw new RangeError(`search: actionKind ${kind} is not an index into actionKinds (${kindCount})`);
    }
    return kind;
  }

  /** One more slot: room for its fingerprint and, without ownEncoding, an encoder; returns the (maybe grown) successor columns. */
  private addSlot(): Successors {
    if (this.ownEncoding === undefined) this.encoders.push(new Encoder(64));
    this.slots++;
    if (this.slots > this.succ.his.length) this.succ = growSuccessors(this.succ);
    return this.succ;
  }
}

/** Room for twice as many successors (64 at first). */
function growSuccessors(old: Successors | undefined): Successors {
  const size = old === undefined ? 64 : old.his.length * 2;
  const grown = {
    his: new Uint32Array(size),
    los: new Uint32Array(size),
    actions: new Uint32Array(size),
    kinds: new Uint32Array(size),
    sleeps: new Uint32Array(size),
  };
  if (old !== undefined) {
    grown.his.set(old.his);
    grown.los.set(old.los);
    grown.actions.set(old.actions);
    grown.kinds.set(old.kinds);
    grown.sleeps.set(old.sleeps);
  }
  return grown;
}
