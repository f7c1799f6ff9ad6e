/** A path printed step by step in the model's own terms: action, its description, and what changed. */
import { type Model, viewOf } from "../core/model.js";
import { diffViews, flatten, formatLeaf } from "../trace/flatten.js";

/** The initial state's fields as `path = value` lines under a heading. */
export function formatInitial<S, A>(model: Model<S, A>, state: S, indent = "  ", heading = "initial state:"): string[] {
  const lines = [`${indent}${heading}`];
  for (const [path, value] of flatten(viewOf(model, state))) lines.push(`${indent}    ${path} = ${formatLeaf(value)}`);
  return lines;
}

/**
 * The initial state (unless `withInitial` is false, when the caller printed it once for
 * several paths), then each step with its label, description and the fields it changed.
 */
export function formatSteps<S, A>(
  model: Model<S, A>,
  states: readonly S[],
  actions: readonly A[],
  indent = "  ",
  withInitial = true,
): string[] {
  const lines = withInitial ? formatInitial(model, states[0], indent) : [];
  let before = viewOf(model, states[0]);
  for (let k = 0; k < actions.length; k++) {
    const after = viewOf(model, states[k + 1]);
    lines.push(`${indent}${k + 1}. ${model.actionLabel(actions[k])}`);
    const text = model.describeAction?.(actions[k]);
    if (text !== undefined) lines.push(`${indent}   ${text}`);
    const changes = diffViews(before, after);
    if (changes.length === 0) lines.push(`${indent}      (no visible change)`);
    for (const c of changes) lines.push(`${indent}      ${c.path}: ${formatLeaf(c.before)} -> ${formatLeaf(c.after)}`);
    before = after;
  }
  return lines;
}
