/** Reading a saved trace and rebuilding its states in today's model: what `replay` and `report` share, with the same one-line errors. */
import { resolve } from "node:path";
import * as Either from "effect/Either";
import type { Model } from "../core/model.js";
import { formatReplayError, replayLabels } from "../engine/index.js";
import { firstMismatch } from "../trace/build.js";
import { type TraceError, decodeTrace } from "../trace/itf.js";
import { readTraceText } from "../trace/read.js";
import { TRACE_SOURCE } from "./counterexamples.js";
import { type CliError, cliError } from "./errors.js";
import { safeText } from "./safe-text.js";
import { type Bounds, type InvariantDoc, type Variant, boundsFromTrace, buildModel, formatBounds, lookupInvariant, lookupVariant } from "./wiring.js";
import type { DaxAction, DaxState } from "../../spec/index.js";

const FRESH = "give a .itf.json file written by daxmc check, or re-run daxmc check to write a fresh one";

/** A trace file replayed: where it came from, what it claims, and the states rebuilt from its actions. */
export interface LoadedTrace {
  /** The name as given, made safe to print. */
  readonly name: string;
  /** The absolute path. */
  readonly file: string;
  readonly variant: Variant;
  readonly bounds: Bounds;
  readonly invariant: InvariantDoc;
  readonly model: Model<DaxState, DaxAction>;
  /** The initial state, then the state after each action. */
  readonly states: readonly DaxState[];
  readonly actions: readonly DaxAction[];
}

/** Reads, decodes and replays `given` (relative to `cwd`); unless `pathOnly`, also requires the stored states to match the replayed ones. */
export function loadTrace(given: string, cwd: string, command: string, pathOnly = false): Either.Either<LoadedTrace, CliError> {
  return Either.gen(function* () {
    if (given === "") return yield* Either.left(cliError("missing-option", "the trace file name is empty", `daxmc ${command} FILE`));
    const name = safeText(given);
    const file = resolve(cwd, given);
    const text = yield* Either.mapLeft(readTraceText(file), (e) => cliError("unreadable-file", `cannot read trace file ${name} (${e.reason})`, FRESH));
    const trace = yield* Either.mapLeft(decodeTrace(text, TRACE_SOURCE), (e) =>
      cliError("bad-trace", `${name} is not a usable daxmc trace (${e.code}: ${e.reason})`, fixFor(e)),
    );
    const variant = yield* lookupVariant(trace.meta.variant, `the trace ${name}`);
    const bounds = yield* boundsFromTrace(trace.meta.bounds);
    const invariant = yield* lookupInvariant(trace.meta.invariant, `the trace ${name}`);
    const rerun = rerunCommand(variant.id, invariant.id, bounds);
    const model = buildModel(variant, bounds);
    const replayed = replayLabels(model, 0, trace.actions);
    if (!replayed.ok) {
      return yield* Either.left(cliError("trace-diverged", `${name}: ${formatReplayError(replayed.error)}`, `${rerun} to write a fresh trace`));
    }
    const m = pathOnly ? undefined : firstMismatch(model, trace, replayed.states);
    if (m !== undefined) {
      const where = m.step === 0 ? "the initial state" : `step ${m.step}`;
      return yield* Either.left(cliError(
        "trace-mismatch",
        `${name}: at ${where}, field ${m.field} is '${m.stored}' in the file but '${m.replayed}' in the model, so the file was edited or written by another model version`,
        `${rerun}, or replay with --path-only to follow the actions alone`,
      ));
    }
    return { name, file, variant, bounds, invariant, model, states: replayed.states, actions: replayed.actions };
  });
}

function rerunCommand(variant: string, invariant: string, bounds: Bounds): string {
  return `re-run daxmc check --variant ${variant} --invariant ${invariant} --bounds ${formatBounds(bounds)}`;
}

/** How to get a usable trace: for an edited file, the exact check that writes a fresh one when the file names a valid one. */
function fixFor(e: TraceError): string {
  if (e.code !== "edited" || e.meta === undefined) return FRESH;
  const { variant, invariant, bounds } = e.meta;
  const v = lookupVariant(variant);
  const i = lookupInvariant(invariant);
  const b = boundsFromTrace(bounds);
  if (Either.isLeft(v) || Either.isLeft(i) || Either.isLeft(b)) return "re-run daxmc check to write a fresh trace";
  return `${rerunCommand(v.right.id, i.right.id, b.right)} to write a fresh trace`;
}
