/** The one place that knows the DAX spec: looking up variants, invariants and bounds for the commands. */
import * as Either from "effect/Either";
import {
  type Bounds, type InvariantDoc, type PresetName, type Variant,
  DEFAULT_PRESET, INVARIANTS, PRESETS, VARIANTS, buildModel as buildSpecModel, decodeBounds, findVariant, formatBounds, parseBounds,
} from "../../spec/index.js";
import { actionParams } from "../../spec/explain/params.js";
import { safeText } from "./safe-text.js";
import { type CliError, cliError } from "./errors.js";

export {
  type Bounds, type InvariantDoc, type Mutant, type PresetName, type Variant, MUTANTS, findVariant, mutantVariant,
  DEFAULT_PRESET, INVARIANTS, INVARIANT_STATEMENTS, PRESETS, PRESET_NOTES, VARIANTS, expectedFails, expectedFor,
  formatBounds,
} from "../../spec/index.js";
export { buildExplainer } from "../../spec/explain/index.js";

/** The DAX model of a variant at some bounds, with its actions' parameters for traces (spec/explain/, outside the spec digest). */
export function buildModel(v: Variant, b: Bounds): ReturnType<typeof buildSpecModel> {
  const model = buildSpecModel(v, b);
  return { ...model, actionParams: (a) => actionParams(model.layout, a) };
}

const variantIds = (): string => VARIANTS.map((v) => v.id).join(", ");

/** The variant named `id`; `where` says where the name came from ("--variant", "the trace"). */
export function lookupVariant(id: string, where = "--variant"): Either.Either<Variant, CliError> {
  const v = findVariant(id);
  return v !== undefined
    ? Either.right(v)
    : Either.left(cliError("unknown-variant", `unknown variant '${safeText(id, 80)}' (from ${where})`, `use one of ${variantIds()} (daxmc list)`));
}

/** The invariant named `id`. */
export function lookupInvariant(id: string, where = "--invariant"): Either.Either<InvariantDoc, CliError> {
  const inv = INVARIANTS.find((i) => i.id === id);
  return inv !== undefined
    ? Either.right(inv)
    : Either.left(cliError("unknown-invariant", `unknown invariant '${safeText(id, 80)}' (from ${where})`, `use one of ${INVARIANTS.map((i) => i.id).join(", ")} (daxmc list)`));
}

/** Bounds from --bounds text (a preset, key=value edits, or both; the default preset when absent). */
export function boundsFromText(text: string | undefined): Either.Either<Bounds, CliError> {
  return Either.mapLeft(parseBounds(text), (reason) =>
    cliError("bad-bounds", `bad --bounds '${safeText(text ?? "", 80)}'`, `${reason} (daxmc list shows the presets)`),
  );
}

/** Bounds from a trace file's `#meta.bounds`. */
export function boundsFromTrace(value: unknown): Either.Either<Bounds, CliError> {
  return Either.mapLeft(decodeBounds(value), (reason) =>
    cliError("bad-bounds", `the trace's bounds are invalid (${reason})`, "re-run daxmc check to write a fresh trace"),
  );
}

/** Bounds as `name (key=value, ...)` or `key=value, ...`. */
export function describeBounds(b: Bounds): string {
  const values = Object.entries(b).map(([k, v]) => `${k}=${v}`).join(" ");
  const name = formatBounds(b);
  return name.includes("=") ? values : `${name} (${values})`;
}

/** Whether `bounds` are the default preset: the bounds docs/verdicts.md and the top of counterexamples/ document. */
export function isDefaultBounds(bounds: Bounds): boolean {
  return formatBounds(bounds) === DEFAULT_PRESET;
}

/**
 * A short name for `bounds` that `--bounds` parses back: a preset's name, or the preset they
 * differ least from followed by the differing keys (`tiny,early=2`). Names folders and reruns.
 */
export function boundsLabel(bounds: Bounds): string {
  const keys = Object.keys(bounds) as (keyof Bounds)[];
  let best = "";
  let fewest = Infinity;
  for (const name of Object.keys(PRESETS) as PresetName[]) {
    const edits = keys.filter((k) => PRESETS[name][k] !== bounds[k]).map((k) => `${k}=${bounds[k]}`);
    if (edits.length < fewest) {
      fewest = edits.length;
      best = [name, ...edits].join(",");
    }
  }
  return best;
}

