/** Building a trace from a model's replayed path, and checking a trace's states against a replay. */
import * as Either from "effect/Either";
import * as Schema from "effect/Schema";
import type { Model } from "../core/model.js";
import { type MbtStep, type Trace, type TraceMeta, INIT_ACTION } from "./itf.js";
import { type ItfValue, ItfValueSchema } from "./itf-schema.js";
import { deepEqual, flatten, formatLeaf } from "./flatten.js";

/** The model's view of a state (an empty record when the model has no view). */
export function viewOf<S, A>(model: Model<S, A>, state: S): Readonly<Record<string, unknown>> {
  return model.view?.(state) ?? {};
}

/** A trace of the replayed `states` (initial first) and `actions`, each state stored as the model's view. */
export function buildTrace<S, A>(model: Model<S, A>, states: readonly S[], actions: readonly A[], meta: TraceMeta): Trace {
  const validate = Schema.validateEither(ItfValueSchema);
  const views = states.map((s) => viewOf(model, s));
  const vars = Object.keys(views[0] ?? {});
  const labels = actions.map((a) => model.actionLabel(a));
  return {
    meta,
    actions: labels,
    vars,
    states: views.map((view, i) => {
      const values: Record<string, ItfValue> = {};
      for (const v of vars) {
        const checked = validate(view[v]);
        if (Either.isLeft(checked)) throw new TypeError(`trace: the model's view field "${v}" is not an ITF value (integers, strings, booleans, lists, records)`);
        values[v] = checked.right;
      }
      return { action: i === 0 ? INIT_ACTION : labels[i - 1], values, mbt: mbtStep(model, i === 0 ? undefined : actions[i - 1]) };
    }),
  };
}

/** The step into a state as Quint's MBT records it: the action's kind ("init" first) and its parameters. */
export function mbtStep<S, A>(model: Model<S, A>, action: A | undefined): MbtStep {
  if (action === undefined) return { actionTaken: INIT_ACTION, nondetPicks: {} };
  const kind = model.actionKinds[model.actionKind(action)] ?? model.actionLabel(action);
  return { actionTaken: kind, nondetPicks: { ...model.actionParams?.(action) } };
}

/** Where a stored state differs from the replayed one. */
export interface StateMismatch {
  /** 0 for the initial state, k after the k-th step. */
  readonly step: number;
  /** The dotted path of the first differing field. */
  readonly field: string;
  readonly stored: string;
  readonly replayed: string;
}

/** The first field where the trace's stored states differ from the model's views of the replayed states, if any. */
export function firstMismatch<S, A>(model: Model<S, A>, trace: Trace, states: readonly S[]): StateMismatch | undefined {
  for (let i = 0; i < states.length && i < trace.states.length; i++) {
    const stored = flatten(trace.states[i].values);
    const replayed = flatten(viewOf(model, states[i]));
    for (const [field, value] of replayed) {
      if (!deepEqual(stored.get(field), value)) {
        return { step: i, field, stored: formatLeaf(stored.get(field)), replayed: formatLeaf(value) };
      }
    }
    for (const [field, value] of stored) {
      if (!replayed.has(field)) return { step: i, field, stored: formatLeaf(value), replayed: "(none)" };
    }
    // Equal leaves but different shapes (an empty record present on one side only).
    const view = viewOf(model, states[i]);
    if (!deepEqual(trace.states[i].values, view)) {
      const field = Object.keys({ ...view, ...trace.states[i].values }).find((k) => !deepEqual(view[k], trace.states[i].values[k]));
      return { step: i, field: field ?? "(state)", stored: formatLeaf(trace.states[i].values[field ?? ""]), replayed: formatLeaf(view[field ?? ""]) };
    }
  }
  return undefined;
}
