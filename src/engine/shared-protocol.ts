/**
 * What crosses between a shared search's main thread (shared-search.ts) and its workers
 * (shared-worker.ts): the control words both read, the per-run statistics, and the phases of a
 * level as messages. The states themselves never cross: they are in shared memory.
 */
import type { ModelRecipe } from "../core/recipe.js";

/** Control word: the next parent to hand out, relative to the level's first. */
export const NEXT = 0;
/**
 * Control word that each side adds to before a message and reads after one, so that what one
 * side wrote before a phase ended happens before what the other reads after it by the
 * JavaScript memory model (which leaves postMessage's ordering to the host).
 */
export const FENCE = 1;
/** Control word: states stored so far (those numbered, in the stored table, and the level table's), added to run by run. */
export const STORED = 2;
/** Control word: non-zero when the workers should take no more runs (a time limit, an interrupt, memory). */
export const HALT = 3;
/** Control word: at the depth limit, the least parent (relative) with a successor not stored, which the limit cut off (-1: none yet). */
export const CUT = 4;
/** First of the control words holding, per selected property, the least parent of the level that decides it (-1: none yet). */
export const DECIDED = 8;

/** Bytes of the control words for `properties` selected properties. */
export function controlBytes(properties: number): number {
  return (DECIDED + properties) * 4;
}

/**
 * Int32 words per run of parents in a level's statistics: enabled actions, the run's own queue
 * peak term (counted after the level), the actions sleep sets left uncomputed, then per action kind the actions fired and the new states
 * they gave, then per selected property the parents deciding it. (A run's count of new states is
 * the count phase's `counts`.)
 */
export interface RunLayout {
  readonly kinds: number;
  readonly properties: number;
}
export const ENABLED = 0;
export const QUEUE = 1;
export const SLEPT = 2;
const HEAD = 3;
/** Words per run. */
export function runWords(l: RunLayout): number {
  return HEAD + 2 * l.kinds + l.properties;
}
/** Word of kind `k`'s fired count within a run. */
export function firedWord(k: number): number {
  return HEAD + k;
}
/** Word of kind `k`'s new-state count within a run. */
export function freshWord(l: RunLayout, k: number): number {
  return HEAD + l.kinds + k;
}
/** Word of property `p`'s deciding parents within a run. */
export function decidesWord(l: RunLayout, p: number): number {
  return HEAD + 2 * l.kinds + p;
}

/** What every worker gets once, as its workerData (under a name no other thread's data has). */
export interface SharedWorkerData {
  readonly sharedSearch?: {
    readonly recipe: ModelRecipe;
    /** Names of the selected properties, in model order. */
    readonly properties: readonly string[];
    readonly symmetry: boolean;
    /** Whether the search runs with sleep sets (`sleepSetsApply`): each level reference then carries its state's mask. */
    readonly por: boolean;
    /** Whether properties are skipped by footprint (`footprintsApply`): each level reference then carries which ones its state's first step may have changed. */
    readonly footprints: boolean;
    readonly control: SharedArrayBuffer;
    /** Parents a worker takes at a time. */
    readonly run: number;
    /** Bytes of one chunk of encodings. */
    readonly chunkBytes: number;
  };
}

/** One level to expand: its states as (chunk, offset, length, sleep mask, changed properties) references, and the chunks they are in. */
export interface Level {
  /** Which level of the search (its depth): a worker sent a level it has not begun begins it. */
  readonly depth: number;
  /** Which attempt at the level: it starts again, from a larger table, when one run filled the table. */
  readonly attempt: number;
  /** Id of its first state. */
  readonly start: number;
  readonly count: number;
  readonly refs: SharedArrayBuffer;
  readonly chunks: readonly SharedArrayBuffer[];
  /** At the depth limit: successors are only looked up, none stored. */
  readonly lookUpOnly: boolean;
  /** Properties to evaluate: all when counting, else those still undecided. */
  readonly asked: readonly number[];
  /** Whether every state's deciding properties are counted (else a property decided by an earlier parent is not evaluated again). */
  readonly counting: boolean;
  /** Whether to skip a run taken once every asked property is decided before it (the search will stop there). */
  readonly stopWhenDecided: boolean;
  /** Per-run statistics (runWords each). */
  readonly stats: SharedArrayBuffer;
}

/** The phases of a level, as the main thread starts them. */
export type Phase =
  /**
   * Expand runs of the level until none is left or a limit is reached: from the start, with
   * chunks of encodings to reuse, or resuming after a pause. `until` (a time on the thread's own
   * clock) pauses it too, for a worker run in the main thread. The two limits are this
   * expansion's, not the level's: they rise as the table grows.
   */
  | {
      readonly kind: "expand";
      readonly level: Level;
      /** The states of earlier levels (stored-table.ts), only read. */
      readonly stored: SharedArrayBuffer;
      /** The level's new states (shared-table.ts). */
      readonly table: SharedArrayBuffer;
      readonly spare: readonly SharedArrayBuffer[];
      readonly until?: number;
      /** Take no run once this many states are stored (past `maxStates` or the table's load). */
      readonly storedLimit: number;
      /** Stop, the table being too full to finish a run, once this many states are stored. */
      readonly fullAt: number;
    }
  /** Move part `part` of `parts` of the level table `from` into the larger level table `to`. */
  | { readonly kind: "rehash"; readonly from: SharedArrayBuffer; readonly to: SharedArrayBuffer; readonly part: number; readonly parts: number }
  /**
   * Add part `part` of `parts` of the table `from`, of `words` Int32 words a slot, to the stored
   * table `to`: a smaller stored table (2 words), or a numbered level's table (3 words), whose
   * part is then cleared when `clear`, to hold the next level.
   */
  | {
      readonly kind: "add";
      readonly from: SharedArrayBuffer;
      readonly words: number;
      readonly to: SharedArrayBuffer;
      readonly part: number;
      readonly parts: number;
      readonly clear: boolean;
    }
  /** The level table grew: find each record's slot in the new one. */
  | { readonly kind: "regrow"; readonly table: SharedArrayBuffer }
  /** Keep per run the records whose parent is the slot's least, and count them. */
  | { readonly kind: "count"; readonly counts: SharedArrayBuffer }
  /** Write the kept records of parents up to `last` (relative) into the trail and the next level at their ids. */
  | {
      readonly kind: "write";
      readonly last: number;
      readonly offsets: SharedArrayBuffer;
      readonly chunkBase: number;
      readonly refs: SharedArrayBuffer;
      readonly trail: SharedArrayBuffer;
    };

/**
 * What a state threw in a worker, or an allocation that failed there: the parent (relative to the
 * level) and what was thrown. Some count only if the one thread would get there the same way:
 * `property`, thrown evaluating that property, which it evaluates only while the property is
 * undecided; `encoding`, thrown encoding a successor at the depth limit, which it encodes only
 * until the limit first cuts a state off. `tableFull`: a run filled the table, and the level is
 * expanded again from a larger one.
 */
export interface Failure {
  readonly parent: number;
  readonly error: unknown;
  readonly property?: number;
  readonly encoding?: true;
  readonly tableFull?: true;
}

/** A worker's answer to "expand": its chunks of encodings so far, the failure that stopped it, and those it went on past. */
export interface Expanded {
  readonly kind: "expanded";
  readonly chunks: readonly SharedArrayBuffer[];
  readonly failure?: Failure;
  readonly conditional: readonly Failure[];
}

/** Words per trail record the write phase writes: parent, action, fingerprint high and low halves. */
export const TRAIL_WORDS = 4;
/** Words per level reference: chunk, offset, length, the state's sleep set (0 without sleep sets), and which properties its first step may have changed (every one without footprints). */
export const REF_WORDS = 5;

/** An error as data: its class name (RangeError is how an allocation failure shows) and message. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
}

/** The error `data` describes, of the same class when it is a RangeError (so an allocation failure stays one). */
export function errorFrom(data: ErrorData): Error {
  return data.name === "RangeError" ? new RangeError(data.message) : new Error(data.message);
}

/** What was thrown, as data. */
export function errorData(e: unknown): ErrorData {
  return e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
}
