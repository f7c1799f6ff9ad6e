/**
 * What crosses between a parallel search's main thread and its worker threads. A batch of
 * states goes out, and their successors come back, each as one transferred ArrayBuffer:
 *
 * - states: `count`, `W`, then W words of the properties still undecided (bit p of word p/32:
 *   selected property p), then per state `length`, `expand` (1 below the depth limit: send the
 *   successors' encodings) and the encoding padded to whole words.
 * - successors, per state in batch order: the number of enabled actions `enabled`, W words of
 *   the asked properties the state decides, then per enabled action in `Model.actions` order
 *   either one word, KNOWN | kind, for a successor the worker knows is stored by then
 *   (sent-cache.ts), or its kind, index, fingerprint high and low halves, `length` (0 unless
 *   `expand`) and the encoding padded to whole words.
 */
import type { ModelRecipe } from "../core/recipe.js";

/** Words per successor sent in full, before its encoding: kind, action, high half, low half, length. */
export const SUCCESSOR_WORDS = 5;

/** The flag of a successor sent as known: the rest of its one word is its kind. */
export const KNOWN = 0x80000000;

/** The workerData of a parallel search's worker, under a name no other thread's data has. */
export interface ParallelWorkerData {
  readonly parallelSearch?: {
    readonly recipe: ModelRecipe;
    /** Names of the selected properties, in model order: bit p of a mask is the p-th. */
    readonly properties: readonly string[];
    readonly symmetry: boolean;
  };
}

/** Words of a property mask for `properties` selected properties. */
export function maskWords(properties: number): number {
  return (properties + 31) >>> 5;
}

/** A batch to expand, with an emptied successors buffer to write into (when the main thread has one spare). */
export interface BatchMessage {
  readonly seq: number;
  readonly states: ArrayBuffer;
  readonly spare?: ArrayBuffer;
}

/** An error as data: its class name (RangeError is how an allocation failure shows) and message. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
}

/**
 * A worker's answer to batch `seq`: the successors of its first `done` states, the states buffer
 * back for reuse, and when `done` falls short of the batch, the error its next state threw, which
 * the main thread throws only if it gets that far, as the sequential search would.
 */
export interface BatchAnswer {
  readonly seq: number;
  readonly states: ArrayBuffer;
  readonly successors: ArrayBuffer;
  readonly done: number;
  readonly error?: ErrorData;
}

/** The error `data` describes, of the same class when it is a RangeError (so an allocation failure stays one). */
export function errorFrom(data: ErrorData): Error {
  return data.name === "RangeError" ? new RangeError(data.message) : new Error(data.message);
}

/** What was thrown, as data. */
export function errorData(e: unknown): ErrorData {
  return e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
}
