/** Shrinking a loaded trace with the spec's ids and lanes, shared by `shrink` and `simulate`. */
import type { Model } from "../core/model.js";
import { type ShrinkResult, shrink } from "../engine/shrink.js";
import { plural } from "../report/format.js";
import { violatedBy } from "../report/verdicts.js";
import type { DaxAction, DaxState } from "../../spec/index.js";
import { type Bounds, type Variant, buildExplainer } from "./wiring.js";

/** Shrinks `path` so it keeps violating `invariant`; undefined when it does not violate it to begin with. */
export function shrinkPath(
  model: Model<DaxState, DaxAction>,
  variant: Variant,
  bounds: Bounds,
  invariant: string,
  path: readonly DaxAction[],
): ShrinkResult<DaxState, DaxAction> | undefined {
  const explainer = buildExplainer(variant, bounds);
  return shrink({
    model,
    init: 0,
    violates: (s) => violatedBy(model, invariant, s) === true,
    ids: explainer.ids,
    rename: explainer.rename,
    lane: explainer.lane,
  }, path);
}

/** What a shrink did, a line per accepted change, then the measure before and after. */
export function formatShrink(r: ShrinkResult<DaxState, DaxAction>, indent = "  "): string[] {
  const m = (x: typeof r.before): string =>
    `${plural(x.steps, "step")}, ${plural(x.distinctIds, "distinct id")} (processes, files, blocks), ${x.switches} context switch${x.switches === 1 ? "" : "es"} between lanes`;
  const lines = [`${indent}before: ${m(r.before)}`];
  r.changes.forEach((c, i) => lines.push(`${indent}${i + 1}. ${c.what}; kept: still violates after ${plural(c.length, "step")}`));
  if (r.changes.length === 0) lines.push(`${indent}nothing could be removed, merged or regrouped: the trace is already minimal for this shrinker`);
  lines.push(`${indent}after: ${m(r.measure)}`);
  return lines;
}
