/** The DAX spec's public surface: variants, invariants, bounds and the model builder. */
export { VARIANTS, expectedFails, expectedFor, findVariant, type EvidenceKind, type Expected, type Variant } from "./variants.js";
export { INVARIANTS, type InvariantDoc } from "./invariants.js";
export { INVARIANT_STATEMENTS, type InvariantStatement } from "./invariant-docs.js";
export {
  type Bounds, PRESETS, PRESET_NOTES, DEFAULT_PRESET, type PresetName, parseBounds, decodeBounds, formatBounds, presetOf,
} from "./bounds.js";
export { buildModel } from "./model.js";
export type { DaxAction } from "./actions.js";
export type { DaxState } from "./state.js";
export { MUTANTS, mutantVariant, type Mutant } from "./mutants.js";
