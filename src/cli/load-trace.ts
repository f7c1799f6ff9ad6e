/**
 * Loading a counterexample for the commands that read one (`shrink`, `explain`, `report`): an
 * ITF trace written by daxmc, or a hand-written path file, decoded, looked up and replayed in
 * today's model. Every failure is a one-line CliError.
 */
import { resolve } from "node:path";
import * as Either from "effect/Either";
import type { Model } from "../core/model.js";
import { formatReplayError, replayLabels } from "../engine/index.js";
import { parsePathFile } from "../trace/path-file.js";
import { decodeTrace } from "../trace/itf.js";
import { readTraceText } from "../trace/read.js";
import { TRACE_SOURCE } from "./counterexamples.js";
import { type CliError, cliError } from "./errors.js";
import { safeText } from "./safe-text.js";
import {
  type Bounds, type InvariantDoc, type Variant,
  boundsFromText, boundsFromTrace, buildModel, formatBounds, lookupInvariant, lookupVariant,
} from "./wiring.js";
import type { DaxAction, DaxState } from "../../spec/index.js";

/** A trace read from disk and replayed. */
export interface LoadedTrace {
  /** The file name as given, escaped for printing. */
  readonly name: string;
  /** The absolute path. */
  readonly file: string;
  readonly variant: Variant;
  readonly bounds: Bounds;
  readonly invariant: InvariantDoc;
  readonly model: Model<DaxState, DaxAction>;
  readonly states: readonly DaxState[];
  readonly actions: readonly DaxAction[];
  /** Whether the file was a hand-written path file rather than ITF. */
  readonly handWritten: boolean;
}

const FIX = "give a .itf.json trace written by daxmc, or a path file with 'variant:', 'bounds:' and 'invariant:' lines and one action label per line";

/** Reads, decodes and replays `given` (relative to `cwd`). */
export function loadTrace(given: string, cwd: string): Either.Either<LoadedTrace, CliError> {
  return Either.gen(function* () {
    const name = safeText(given);
    const file = resolve(cwd, given);
    const text = yield* Either.mapLeft(readTraceText(file), (e) => cliError("unreadable-file", `cannot read trace file ${name} (${e.reason})`, FIX));
    const parsed = yield* parseEither(text, name);
    const variant = yield* lookupVariant(parsed.variant, `the trace ${name}`);
    const bounds = yield* parsed.bounds;
    const invariant = yield* lookupInvariant(parsed.invariant, `the trace ${name}`);
    const model = buildModel(variant, bounds);
    const replayed = replayLabels(model, 0, parsed.actions);
    if (!replayed.ok) {
      return yield* Either.left(cliError(
        "trace-diverged",
        `${name}: ${formatReplayError(replayed.error)}`,
        `re-run daxmc check --variant ${variant.id} --invariant ${invariant.id} --bounds ${formatBounds(bounds)} to write a fresh trace`,
      ));
    }
    return { name, file, variant, bounds, invariant, model, states: replayed.states, actions: replayed.actions, handWritten: parsed.handWritten };
  });
}

interface Parsed {
  readonly variant: string;
  readonly invariant: string;
  readonly bounds: Either.Either<Bounds, CliError>;
  readonly actions: readonly string[];
  readonly handWritten: boolean;
}

/** ITF when the text is a JSON object, else a path file. */
function parseEither(text: string, name: string): Either.Either<Parsed, CliError> {
  if (text.trimStart().startsWith("{")) {
    return Either.map(
      Either.mapLeft(decodeTrace(text, TRACE_SOURCE), (e) => cliError("bad-trace", `${name} is not a usable daxmc trace (${e.code}: ${e.reason})`, FIX)),
      (t): Parsed => ({ variant: t.meta.variant, invariant: t.meta.invariant, bounds: boundsFromTrace(t.meta.bounds), actions: t.actions, handWritten: false }),
    );
  }
  return Either.map(
    Either.mapLeft(parsePathFile(text), (reason) => cliError("bad-trace", `${name} is not a usable path file (${reason})`, FIX)),
    (p): Parsed => ({ variant: p.variant, invariant: p.invariant, bounds: boundsFromText(p.bounds), actions: p.actions, handWritten: true }),
  );
}
