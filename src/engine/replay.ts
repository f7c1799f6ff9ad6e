/**
 * Replay: rebuilding the states along a path, from action indices or from action labels.
 */
import { Encoder } from "../core/encoder.js";
import type { Model } from "../core/model.js";

/** Why a replay failed. */
export type ReplayErrorCode =
  /** The path names an initial state the model does not have. */
  | "no-such-init"
  /** A step's action index is not an index into the candidate actions there. */
  | "index-out-of-range"
  /** A step's action index names a candidate action that is not enabled there. */
  | "not-enabled"
  /** No enabled action there has the step's label. */
  | "label-not-enabled"
  /** Several enabled actions there share the step's label and lead to different states. */
  | "label-ambiguous";

/** A replay failure, as data. */
export interface ReplayError {
  readonly code: ReplayErrorCode;
  /** Where it failed: 0 for the initial state, k for the k-th step (1-based). */
  readonly step: number;
  /** The step's label, when replaying labels. */
  readonly label?: string;
  /** The step's action index (or the initial-state index, at step 0), when replaying indices. */
  readonly index?: number;
  /** Labels of the actions enabled where it failed (empty at step 0). */
  readonly enabled: readonly string[];
  /** What exactly did not match. */
  readonly detail: string;
  /** The probable reasons, in words. */
  readonly likelyCause: string;
}

/** The states along a replayed path (initial state first) and the actions taken, or why it failed. */
export type ReplayResult<S, A> =
  | { readonly ok: true; readonly states: S[]; readonly actions: A[] }
  | { readonly ok: false; readonly error: ReplayError };

const DIVERGED =
  "the trace was probably written by another version of the model or edited by hand, " +
  "or the model's action order is not deterministic (e.g. iterating an unsorted Map/Set, or using randomness)";
const AMBIGUOUS =
  "the model gives several enabled actions the same label, so a label does not name one step; " +
  "labels must be unique among the actions enabled in a state";

/** One replayed step: the action taken and its successor, or why the step could not be taken. */
type Step<S, A> = { readonly action: A; readonly next: S } | { readonly ok: false; readonly error: ReplayError };

/** Replays `count` steps from initial state `init`, asking `choose` for each step among the candidates. */
function replay<S, A>(
  model: Model<S, A>,
  init: number,
  count: number,
  choose: (state: S, candidates: readonly A[], k: number) => Step<S, A>,
): ReplayResult<S, A> {
  const inits = model.initStates();
  if (!isIndex(init, inits.length)) {
    return fail("no-such-init", 0, [], `initial state ${init} requested, the model has ${inits.length}`, { index: init });
  }
  let state = inits[init];
  const states: S[] = [state];
  const actions: A[] = [];
  const candidates: A[] = [];
  for (let k = 0; k < count; k++) {
    candidates.length = 0;
    model.actions(state, candidates);
    const step = choose(state, candidates, k);
    if ("error" in step) return step;
    state = step.next;
    states.push(state);
    actions.push(step.action);
  }
  return { ok: true, states, actions };
}

/** Replays a path given as an initial-state index and action indices in `Model.actions` order. */
export function replaySteps<S, A>(model: Model<S, A>, init: number, steps: readonly number[]): ReplayResult<S, A> {
  return replay(model, init, steps.length, (state, candidates, k) => {
    const index = steps[k];
    if (!isIndex(index, candidates.length)) {
      return fail(
        "index-out-of-range",
        k + 1,
        enabledLabels(model, state, candidates),
        `action index ${index}, but there are ${candidates.length} candidate actions`,
        { index },
      );
    }
    const action = candidates[index];
    const next = model.nextState(state, action);
    if (next === undefined) {
      return fail(
        "not-enabled",
        k + 1,
        enabledLabels(model, state, candidates),
        `action ${index} (${model.actionLabel(action)}) is not enabled`,
        { index, label: model.actionLabel(action) },
      );
    }
    return { action, next };
  });
}

/** Replays a path given as an initial-state index and the labels of its actions. */
export function replayLabels<S, A>(model: Model<S, A>, init: number, labels: readonly string[]): ReplayResult<S, A> {
  const labelled = withLabelCache(model);
  return replay(labelled, init, labels.length, (state, candidates, k) => chooseByLabel(labelled, state, candidates, k, labels[k]));
}

/** The model with `actionLabel` remembered per action value: a long trace asks for the same candidates' labels at every step. */
function withLabelCache<S, A>(model: Model<S, A>): Model<S, A> {
  const cache = new Map<A, string>();
  const actionLabel = (a: A): string => {
    let label = cache.get(a);
    if (label === undefined) cache.set(a, (label = model.actionLabel(a)));
    return label;
  };
  return Object.assign(Object.create(model) as Model<S, A>, { actionLabel });
}

/** The enabled candidate labelled `label`; several are allowed only when they lead to the same state. */
function chooseByLabel<S, A>(model: Model<S, A>, state: S, candidates: readonly A[], k: number, label: string): Step<S, A> {
  let chosen: A | undefined;
  let chosenNext: S | undefined;
  let chosenBytes: Uint8Array | undefined;
  for (const action of candidates) {
    if (model.actionLabel(action) !== label) continue;
    const next = model.nextState(state, action);
    if (next === undefined) continue;
    if (chosenNext === undefined) {
      chosen = action;
      chosenNext = next;
      continue;
    }
    chosenBytes ??= encodeCopy(model, chosenNext);
    if (!sameBytes(chosenBytes, encodeCopy(model, next))) {
      return fail(
        "label-ambiguous",
        k + 1,
        enabledLabels(model, state, candidates),
        `several enabled actions are labelled "${label}" and lead to different states`,
        { label },
        AMBIGUOUS,
      );
    }
  }
  if (chosenNext === undefined) {
    return fail("label-not-enabled", k + 1, enabledLabels(model, state, candidates), `no enabled action is labelled "${label}"`, { label });
  }
  return { action: chosen as A, next: chosenNext };
}

/** One line describing a replay failure. */
export function formatReplayError(error: ReplayError): string {
  const where = error.step === 0 ? "initial state" : `step ${error.step}`;
  const enabled = error.step === 0 ? "" : ` (enabled there: ${error.enabled.length === 0 ? "none" : error.enabled.join(", ")})`;
  return `replay failed at ${where}: ${error.detail}${enabled}; ${error.likelyCause}`;
}

function fail(
  code: ReplayErrorCode,
  step: number,
  enabled: readonly string[],
  detail: string,
  extra: { index?: number; label?: string },
  likelyCause: string = DIVERGED,
): { ok: false; error: ReplayError } {
  return { ok: false, error: { code, step, ...extra, enabled, detail, likelyCause } };
}

function isIndex(i: number, length: number): boolean {
  return Number.isInteger(i) && i >= 0 && i < length;
}

function enabledLabels<S, A>(model: Model<S, A>, state: S, candidates: readonly A[]): string[] {
  const labels: string[] = [];
  for (const action of candidates) {
    if (model.nextState(state, action) !== undefined) labels.push(model.actionLabel(action));
  }
  return labels;
}

function encodeCopy<S, A>(model: Model<S, A>, state: S): Uint8Array {
  const enc = new Encoder(64);
  model.encode(state, enc);
  return enc.view().slice();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
