/** What a search returns: data that every command (check, matrix, replay, reports) reads. */

/** A path from an initial state: which initial state, then the index of each action in `Model.actions` order. */
export interface Path {
  readonly init: number;
  readonly steps: readonly number[];
  /** `Model.actionLabel` of each step, for people and for trace files. */
  readonly labels: readonly string[];
}

/** The verdict on one property. */
export type PropertyVerdict =
  /** An `always` or `deadlockFree` property held in every state explored by a complete search. */
  | { readonly kind: "holds"; readonly name: string }
  /** An `always` or `deadlockFree` property failed: `path` is a shortest path to a violating state. */
  | { readonly kind: "violated"; readonly name: string; readonly path: Path }
  /** A `sometimes` property held somewhere: `path` is a shortest path to a witness. */
  | { readonly kind: "reached"; readonly name: string; readonly path: Path }
  /** A `sometimes` property held nowhere in a complete search. */
  | { readonly kind: "unreached"; readonly name: string }
  /** The search stopped at a limit before the property was decided. */
  | { readonly kind: "undecided"; readonly name: string };

/** How often one action kind fired and how many new states it gave. */
export interface ActionStats {
  readonly kind: string;
  readonly fired: number;
  readonly newStates: number;
}

/** Statistics of a search, also what a reporter is shown while it runs. */
export interface SearchStats {
  /** Enabled actions over the states expanded: successors, duplicates included, and those sleep sets did not compute (`slept`). */
  readonly generated: number;
  /** Enabled actions sleep sets skipped: their successors are reached by another order at the same depth (0 without `por`). */
  readonly slept: number;
  /** Distinct states stored. */
  readonly distinct: number;
  /** Greatest depth (number of steps from an initial state) reached. */
  readonly depth: number;
  /** States waiting in the frontier now. */
  readonly queue: number;
  /** Largest frontier seen. */
  readonly queuePeak: number;
  readonly perAction: readonly ActionStats[];
  readonly elapsedMs: number;
  /** Distinct states per second of elapsed time. */
  readonly statesPerSecond: number;
  /** Upper bound on the probability that two distinct states shared a 64-bit fingerprint: n(n-1)/2^65. */
  readonly collisionBound: number;
  /** How many renamings each state was compared under (Model.symmetry): 1 when symmetry is off, so `distinct` counts every state. */
  readonly renamings: number;
  /** Bytes held by the visited set (fingerprints, parent links, action indices, hash table). */
  readonly visitedBytes: number;
}

/**
 * Why a search stopped before exhausting the state space: a limit the caller set, an
 * interrupt (`signal` aborted), or memory (`maxMemoryBytes` reached, or an allocation failed).
 */
export type StopReason = "max-states" | "max-depth" | "timeout" | "interrupted" | "memory";

/** The outcome of one search. */
export interface SearchResult {
  /** "complete" when every reachable state within the model was explored, or every checked property was decided. */
  readonly status: "complete" | "incomplete";
  readonly stopReason?: StopReason;
  readonly verdicts: readonly PropertyVerdict[];
  readonly stats: SearchStats;
  /** With `countStates`: per selected property, how many explored states decide it. */
  readonly stateCounts?: Readonly<Record<string, number>>;
}

/** Receives progress while a search runs; the loop never prints. */
export interface Reporter {
  progress(stats: SearchStats): void;
  done?(stats: SearchStats): void;
}

/** Limits and selections for one search. */
export interface SearchOptions {
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutMs?: number;
  /** Names of the properties to check; all when absent. */
  readonly properties?: readonly string[];
  readonly reporter?: Reporter;
  /** Stop as soon as every checked property is decided (default true; false when `countStates`). */
  readonly stopWhenDecided?: boolean;
  /**
   * Count, for each selected property, the explored states that decide it (violate an
   * `always`/`deadlockFree`, witness a `sometimes`), into `SearchResult.stateCounts`: two models
   * with the same verdicts can still differ there, which is how a seeded bug shows.
   */
  readonly countStates?: boolean;
  /**
   * Skip a property on a state whose first step changed no byte it reads (`Property.reads`), as
   * its parent's answer stands (default true; breadth-first, one thread, not when counting).
   * False evaluates every undecided property on every state: results are the same.
   */
  readonly footprints?: boolean;
  /** Stops the search "interrupted" once aborted (looked at every 1024 states, and between slices of `searchAsync`). */
  readonly signal?: AbortSignal;
  /**
   * Asked every 1024 states whether memory is short, given how many more bytes the search may
   * soon allocate at once (the visited set's next growth); true stops the search "memory".
   */
  readonly memoryShort?: (reserveBytes: number) => boolean;
  /**
   * Fold states that differ only by renaming things the model declares alike (`Model.symmetry`):
   * `distinct` then counts those classes. Paths stay concrete. Default false, so a search
   * counts what it visits unless asked; the CLI asks unless given --no-symmetry.
   */
  readonly symmetry?: boolean;
  /**
   * Sleep sets (`Model.independence`) in a breadth-first search: successors reached by
   * commuting steps in another order are not computed. The same states get the same ids,
   * parents and actions, so counts, verdicts and paths are those of the plain search; only
   * `slept` and the time differ. Default false; the CLI asks unless given --no-por.
   */
  readonly por?: boolean;
}
