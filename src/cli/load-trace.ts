/**
 * Loading a counterexample for the commands that read one (`replay`, `shrink`, `explain`,
 * `report`): an ITF trace written by daxmc, or a hand-written path file, decoded, looked up and
 * replayed in today's model, with the stored states compared unless `pathOnly`. Every failure is
 * a one-line CliError.
 */
import { resolve } from "node:path";
import * as Either from "effect/Either";
import type { Model } from "../core/model.js";
import { formatReplayError, replayLabels } from "../engine/index.js";
import { firstMismatch } from "../trace/build.js";
import { type Trace, type TraceError, decodeTrace } from "../trace/itf.js";
import { parsePathFile } from "../trace/path-file.js";
import { readTraceText } from "../trace/read.js";
import { TRACE_SOURCE } from "./counterexamples.js";
import { type CliError, cliError } from "./errors.js";
import { safeText } from "./safe-text.js";
import {
  type Bounds, type InvariantDoc, type Variant,
  boundsFromText, boundsFromTrace, buildModel, formatBounds, lookupInvariant, lookupVariant,
} from "./wiring.js";
import type { DaxAction, DaxState } from "../../spec/index.js";

const FRESH = "give a .itf.json file written by daxmc (check, matrix, simulate, shrink), or a path file with 'variant:', 'bounds:' and 'invariant:' lines and one action label per line";

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
  /** Whether the file was a hand-written path file rather than ITF. */
  readonly handWritten: boolean;
}

/** Reads, decodes and replays `given` (relative to `cwd`); unless `pathOnly`, an ITF file's stored states must match the replayed ones. */
export function loadTrace(given: string, cwd: string, command: string, pathOnly = false): Either.Either<LoadedTrace, CliError> {
  return Either.gen(function* () {
    if (given === "") return yield* Either.left(cliError("missing-option", "the trace file name is empty", `daxmc ${command} FILE`));
    const name = safeText(given);
    const file = resolve(cwd, given);
    const text = yield* Either.mapLeft(readTraceText(file), (e) => cliError("unreadable-file", `cannot read trace file ${name} (${e.reason})`, FRESH));
    const parsed = yield* parseEither(text, name, /\.json$/i.test(given));
    const variant = yield* lookupVariant(parsed.variant, `the trace ${name}`);
    const bounds = yield* parsed.bounds;
    const invariant = yield* lookupInvariant(parsed.invariant, `the trace ${name}`);
    const rerun = rerunCommand(variant.id, invariant.id, bounds);
    const model = buildModel(variant, bounds);
    const replayed = replayLabels(model, 0, parsed.actions);
    if (!replayed.ok) {
      return yield* Either.left(cliError("trace-diverged", `${name}: ${formatReplayError(replayed.error)}`, `${rerun} to write a fresh trace`));
    }
    const m = pathOnly || parsed.trace === undefined ? undefined : firstMismatch(model, parsed.trace, replayed.states);
    if (m !== undefined) {
      const where = m.step === 0 ? "the initial state" : `step ${m.step}`;
      return yield* Either.left(cliError(
        "trace-mismatch",
        `${name}: at ${where}, field ${m.field} is '${m.stored}' in the file but '${m.replayed}' in the model, so the file was edited or written by another model version`,
        `${rerun}, or replay with --path-only to follow the actions alone`,
      ));
    }
    return { name, file, variant, bounds, invariant, model, states: replayed.states, actions: replayed.actions, handWritten: parsed.trace === undefined };
  });
}

interface Parsed {
  readonly variant: string;
  readonly invariant: string;
  readonly bounds: Either.Either<Bounds, CliError>;
  readonly actions: readonly string[];
  /** The decoded ITF trace; undefined for a path file. */
  readonly trace?: Trace;
}

/** ITF when the name ends in .json or the text is a JSON object, else a path file. */
function parseEither(text: string, name: string, jsonName: boolean): Either.Either<Parsed, CliError> {
  if (jsonName || text.replace(/^\uFEFF/, "").trimStart().startsWith("{")) {
    return Either.map(
      Either.mapLeft(decodeTrace(text, TRACE_SOURCE), (e) => cliError("bad-trace", `${name} is not a usable daxmc trace (${e.code}: ${e.reason})`, fixFor(e))),
      (t): Parsed => ({ variant: t.meta.variant, invariant: t.meta.invariant, bounds: boundsFromTrace(t.meta.bounds), actions: t.actions, trace: t }),
    );
  }
  return Either.map(
    Either.mapLeft(parsePathFile(text), (reason) => cliError("bad-trace", `${name} is neither a daxmc ITF trace nor a usable path file (${reason})`, FRESH)),
    (p): Parsed => ({ variant: p.variant, invariant: p.invariant, bounds: boundsFromText(p.bounds), actions: p.actions }),
  );
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
