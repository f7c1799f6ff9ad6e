/** The ownership graph of a state (placeholder until the report lands). */
import type { Graph } from "../../src/core/explain.js";
import type { Ctx } from "../context.js";
import type { DaxState } from "../state.js";

/** Files and offsets, DAX entries, pages and their owners, processes and PTEs, locks and signals. */
export function stateGraph(_c: Ctx, _s: DaxState, _property?: string): Graph {
  return { clusters: [], nodes: [], edges: [] };
}
