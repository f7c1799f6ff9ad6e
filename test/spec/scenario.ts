/** Runs a scenario (action labels) on a variant and returns the kernel-terms view after each step. */
import { replayLabels } from "../../src/engine/index.js";
import { type Bounds, PRESETS, buildModel, findVariant } from "../../spec/index.js";

/** Views of every state along `labels` (index 0 is the initial state); throws if a step is not enabled. */
export function runScenario(variant: string, labels: readonly string[], bounds: Bounds = PRESETS.tiny): Record<string, any>[] {
  const v = findVariant(variant);
  if (!v) throw new Error(`no variant ${variant}`);
  const m = buildModel(v, bounds);
  const r = replayLabels(m, 0, labels);
  if (!r.ok) throw new Error(`${r.error.code} at step ${r.error.step}: ${r.error.label}; enabled: ${r.error.enabled.join(" ")}`);
  return r.states.map((s) => m.view!(s) as Record<string, any>);
}

/** The last view of a scenario. */
export const finalView = (variant: string, labels: readonly string[], bounds?: Bounds): Record<string, any> =>
  runScenario(variant, labels, bounds).at(-1)!;
