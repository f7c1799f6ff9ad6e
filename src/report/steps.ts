/** A path printed step by step in the model's own terms: action, its description, and what changed. */
import type { Model } from "../core/model.js";
import { viewOf } from "../trace/build.js";
import { diffViews, flatten, formatLeaf } from "../trace/flatten.js";

/** The initial state's fields as `path = value` lines, then each step with its label, description and changes. */
export function formatSteps<S, A>(model: Model<S, A>, states: readonly S[], actions: readonly A[], indent = "  "): string[] {
  const lines: string[] = [];
  const first = viewOf(model, states[0]);
  lines.push(`${indent}initial state:`);
  for (const [path, value] of flatten(first)) lines.push(`${indent}    ${path} = ${formatLeaf(value)}`);
  let before = first;
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
