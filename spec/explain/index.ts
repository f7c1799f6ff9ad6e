/**
 * The DAX model's explanation facet: stories, pictures, lanes and id renaming for traces.
 * Presentation only: nothing here changes what the model explores, so the spec digest that
 * dates docs/verdicts.md covers spec/*.ts and not this folder.
 */
import type { Explainer } from "../../src/core/explain.js";
import { type DaxAction, describeAction } from "../actions.js";
import type { Bounds } from "../bounds.js";
import type { Ctx } from "../context.js";
import { type DaxState, Layout } from "../state.js";
import type { Variant } from "../variants.js";
import { stateGraph } from "./graph.js";
import { actionIds, renameIds } from "./ids.js";
import { laneOf } from "./lanes.js";

/** The explainer of one variant at one set of bounds. */
export function buildExplainer(v: Variant, b: Bounds): Explainer<DaxState, DaxAction> {
  const L = new Layout(b);
  const c: Ctx = { v, b, L };
  return {
    lane: laneOf,
    ids: (a) => actionIds(L, a),
    rename: (path, mapping) => renameIds(L, path, mapping),
    initial: () => [],
    step: (_before, a) => ({ text: describeAction(L, a), cite: "", lane: laneOf(a), changes: [] }),
    verdict: () => [],
    summary: () => [],
    picture: () => [],
    graph: (s, property) => stateGraph(c, s, property),
    history: () => [],
    glossary: [],
  };
}
