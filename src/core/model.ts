/**
 * The model contract: everything the engine needs from a model, and nothing about its domain.
 *
 * A model is a deterministic transition system over plain readonly states. The engine
 * explores it, fingerprints each state through its canonical binary encoding, checks its
 * named properties and rebuilds counterexamples by replaying action indices, so `actions`
 * must list actions in the same order every time it is called on an equal state.
 */
import type { Encoder } from "./encoder.js";

/** A named property of states: `always` must hold in every reachable state, `sometimes` in at least one. */
export type Property<S> =
  | {
      readonly kind: "always";
      readonly name: string;
      readonly description: string;
      /** Name of the `sometimes` property that proves the situation this one guards is reachable. */
      readonly partner: string;
      readonly holds: (state: S) => boolean;
      /**
       * Optional, the byte offsets of the state's own encoding (`Model.ownEncoding`) that `holds`
       * reads, and no others: then a state that differs from another only outside them gets the same
       * answer, and the search skips the property on a state whose first step changed none of them.
       */
      readonly reads?: readonly number[];
    }
  | {
      readonly kind: "sometimes";
      readonly name: string;
      readonly description: string;
      readonly holds: (state: S) => boolean;
      /**
       * Optional, the byte offsets of the state's own encoding (`Model.ownEncoding`) that `holds`
       * reads, and no others: then a state that differs from another only outside them gets the same
       * answer, and the search skips the property on a state whose first step changed none of them.
       */
      readonly reads?: readonly number[];
    }
  | {
      /** Violated by a state where `inFlight` is true and no action is enabled. */
      readonly kind: "deadlockFree";
      readonly name: string;
      readonly description: string;
      readonly partner: string;
      readonly inFlight: (state: S) => boolean;
    };

export type PropertyKind = Property<unknown>["kind"];

/**
 * Things a model treats alike: renaming them (a permutation within a class) maps every
 * transition to a transition and leaves every property's truth unchanged. The engine then
 * stores one fingerprint per set of states that differ only by such a renaming.
 */
export interface Symmetry<S> {
  /** Per dimension (blocks, processes, ...): how many things it has, and which of them may be permuted among themselves. */
  readonly dimensions: readonly {
    readonly name: string;
    readonly size: number;
    /** Disjoint classes of indices in 0..size-1; an index in no class stays where it is. */
    readonly classes: readonly (readonly number[])[];
  }[];
  /** Prepares, once per renaming, what `encodePermuted` needs (lookup tables): thing i of dimension d becomes `perms[d][i]`. */
  prepare(perms: readonly Uint8Array[]): unknown;
  /** Writes what `encode` would write for `state` renamed by a prepared renaming, without building that state: the hot loop calls it once per renaming. */
  encodePermuted(state: S, renaming: unknown, out: Encoder): void;
  /**
   * Optional, a faster way to the same reduction: writes the encoding of one renaming of
   * `state` that is the same for every renaming of it (for example, things sorted by what
   * refers to them). When present the engine calls it once instead of trying every renaming.
   * Returns false, writing nothing, when that renaming is the identity (the state's own
   * encoding is the canonical one), which spares a copy.
   */
  encodeCanonical?(state: S, out: Encoder): boolean;
}

/**
 * Which steps commute, for sleep sets (Godefroid's partial-order reduction that prunes
 * transitions, not states): once a state has fired `a` and then `b`, and the two commute there,
 * the successor reached by `b` need not fire `a`. Only actions with a sleep bit ever fall asleep.
 */
export interface Independence<S, A> {
  /** A bit (0 to 31) naming an action that may fall asleep, the same bit for the same action in every state; -1 when it never does. */
  sleepBit(action: A): number;
  /**
   * Of the actions `done` names (sleep bits of actions enabled in `state`: asleep there, or fired
   * before `fired`), those that commute with `fired` there: each stays enabled after the other,
   * and both orders reach the same state. `kind` is `actionKind(fired)`.
   */
  sleepsAfter(state: S, fired: A, kind: number, done: number): number;
  /** Symmetry dimensions whose renaming changes what a sleep bit names: sleep sets are off when symmetry permutes any of them. */
  readonly renamedBy: readonly string[];
}

/** A deterministic, finite-branching transition system with a canonical binary encoding. */
export interface Model<S, A> {
  /** The initial states, in a fixed order. */
  initStates(): readonly S[];
  /** Appends every candidate action of `state` to `out`, in a deterministic order. */
  actions(state: S, out: A[]): void;
  /**
   * Optional, `actions` without copying: the same candidates in the same order, as a list the
   * model may share between states (the caller neither changes it nor keeps it past its next
   * call). The search lists a state's candidates through it when present.
   */
  actionList?(state: S): readonly A[];
  /** The successor of `state` under `action`, or undefined when the action is not enabled. */
  nextState(state: S, action: A): S | undefined;
  /**
   * Optional, `nextState` without allocating: writes the successor into `reuse`, a state that an
   * earlier `nextState` returned and that nothing reads any more, and returns whether the action
   * is enabled (`reuse` is then the successor). The search keeps one such state per successor slot.
   */
  nextStateInto?(state: S, action: A, reuse: S): boolean;
  /** Writes the canonical encoding of `state`: equal states must write equal bytes. */
  encode(state: S, out: Encoder): void;
  /** Rebuilds a state from the bytes `encode` wrote (the frontier stores states encoded). */
  decode(bytes: Uint8Array): S;
  /**
   * Optional, `decode` without copying: a state that may share `bytes`' memory. The search reads
   * the state of a popped entry only until its next pop, while the frontier keeps those bytes as
   * they are, so it spares the copy when the model has this.
   */
  decodeShared?(bytes: Uint8Array): S;
  /**
   * Optional, for a state that is a byte string and its own encoding: the bytes `encode` would
   * write, not copied. The search then fingerprints and queues a successor without encoding it.
   */
  ownEncoding?(state: S): Uint8Array;
  /** The properties to check, each with a unique name. */
  readonly properties: readonly Property<S>[];
  /** Stable, human-readable text of an action: what traces store and replay matches. */
  actionLabel(action: A): string;
  /** Index into `actionKinds` of an action, for per-kind statistics. */
  actionKind(action: A): number;
  /** Names of the action kinds, for per-kind statistics. */
  readonly actionKinds: readonly string[];
  /** What the model treats alike (absent: nothing), for symmetry reduction. */
  readonly symmetry?: Symmetry<S>;
  /** Which steps commute (absent: none declared), for sleep sets. */
  readonly independence?: Independence<S, A>;
  /** A plain JSON view of a state (records, lists, strings, numbers, booleans): what traces store and diffs show. */
  view?(state: S): Readonly<Record<string, unknown>>;
  /** A longer explanation of an action, in the model's own terms, for trace printouts. */
  describeAction?(action: A): string;
  /** The action's parameters by name (a process, a slot, a block): traces record them as Quint's `mbt::nondetPicks`. */
  actionParams?(action: A): Readonly<Record<string, string | number>>;
}

/** The model's view of a state (an empty record when the model has no view): what traces store and diffs compare. */
export function viewOf<S, A>(model: Model<S, A>, state: S): Readonly<Record<string, unknown>> {
  return model.view?.(state) ?? {};
}
