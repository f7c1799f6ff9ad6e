/**
 * What a model may offer for explaining its traces to people. Optional and separate from the
 * `Model` contract: the search never needs it; `explain`, `report`, `shrink` and `simulate` do.
 * All of it is plain data, so text, HTML and tests read the same values.
 */

/** A node of an ownership picture; `kind` names its shape and colour (file, entry, page, process, lock, ...). */
export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  /** The cluster (box) it is drawn in, if any. */
  readonly cluster?: string;
  /** Part of what breaks the invariant: drawn in red. */
  readonly highlight?: boolean;
}

/** A directed edge of an ownership picture. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly kind: string;
  readonly highlight?: boolean;
  /** A wait (a lock slept on, a signal owed): drawn dashed. */
  readonly dashed?: boolean;
}

/** A picture of one state: nodes in clusters and the edges between them. */
export interface Graph {
  readonly clusters: readonly { readonly id: string; readonly label: string }[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** One step of a trace told in kernel terms. */
export interface StepStory {
  /** One line: who did what, naming the kernel function ("X read-faults A[0]: dax_associate_entry sets p1->mapping = A, index 0"). */
  readonly text: string;
  /** The kernel source lines the step models, as the spec cites them. */
  readonly cite: string;
  /** The swim lane the step runs in: a process, or a kernel operation (truncate A, memory_failure, inodegc). */
  readonly lane: string;
  /** The lock the step takes, drops or sleeps on, if any ("takes entry lock A[0]"). */
  readonly lock?: string;
  /** What changed, in kernel terms, one line each: a diff, never the whole state. */
  readonly changes: readonly string[];
}

/** The explanation facet of a model over states S and actions A. */
export interface Explainer<S, A> {
  /** The swim lane of an action: steps of one lane are one thread of control. */
  lane(action: A): string;
  /** Ids an action names (`proc:0`, `file:1`, `block:2`), for the shrinker's "fewer, lower ids". */
  ids(action: A): readonly string[];
  /** The path with ids substituted (`proc:1` -> `proc:0`; a swap maps both ways), or undefined where the substitution mixes kinds. */
  rename(path: readonly A[], mapping: ReadonlyMap<string, string>): readonly A[] | undefined;
  /** The initial state in three or four lines. */
  initial(state: S): readonly string[];
  /** One step in kernel terms. */
  step(before: S, action: A, after: S): StepStory;
  /** The violated property stated for this trace's last state (one to three lines). */
  verdict(states: readonly S[], actions: readonly A[], property: string): readonly string[];
  /** A two- or three-line summary of the whole trace. */
  summary(states: readonly S[], actions: readonly A[], property: string): readonly string[];
  /** A small text picture of a state: offsets -> entries -> pages and owners -> PTEs. */
  picture(state: S): readonly string[];
  /** The ownership graph of a state, with what breaks `property` highlighted. */
  graph(state: S, property?: string): Graph;
  /** Which kernel version brought the behaviour behind a violation of `property`, and which fixed it, where the variants say. */
  history(property: string): readonly string[];
  /** The notation used in stories and pictures. */
  readonly glossary: readonly string[];
}
