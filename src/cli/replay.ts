/** `daxmc replay FILE [--path-only]`: rebuild a trace's states in today's model and say whether it still violates. */
import { resolve } from "node:path";
import * as Either from "effect/Either";
import { formatReplayError, replayLabels } from "../engine/index.js";
import { plural } from "../report/format.js";
import { explainTrace } from "../report/explain.js";
import { violatedBy } from "../report/verdicts.js";
import { firstMismatch } from "../trace/build.js";
import { type TraceError, decodeTrace } from "../trace/itf.js";
import { readTraceText } from "../trace/read.js";
import { parseCommand } from "./args.js";
import { TRACE_SOURCE } from "./counterexamples.js";
import { shown } from "./out-dir.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, printAll, println } from "./io.js";
import { safeText } from "./safe-text.js";
import { type Bounds, boundsFromTrace, buildExplainer, buildModel, describeBounds, formatBounds, lookupInvariant, lookupVariant } from "./wiring.js";

const FRESH = "give a .itf.json file written by daxmc check, or re-run daxmc check to write a fresh one";

/** Replays the file: exit 1 if its last state still violates the invariant, 0 if not, 2 if the file is unusable. */
export function replay(argv: readonly string[], io: Io): Either.Either<number, CliError> {
  return Either.gen(function* () {
    const parsed = yield* parseCommand("replay", argv, { "path-only": { type: "boolean" } }, 1);
    const given = parsed.positionals[0];
    if (given === undefined) return yield* Either.left(cliError("missing-option", "missing trace file", "daxmc replay FILE [--path-only]"));
    if (given === "") return yield* Either.left(cliError("missing-option", "the trace file name is empty", "daxmc replay FILE [--path-only]"));
    const name = safeText(given);
    const file = resolve(io.cwd, given);
    const text = yield* readText(file, name);
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
    if (parsed.values["path-only"] !== true) {
      const m = firstMismatch(model, trace, replayed.states);
      if (m !== undefined) {
        const where = m.step === 0 ? "the initial state" : `step ${m.step}`;
        return yield* Either.left(cliError(
          "trace-mismatch",
          `${name}: at ${where}, field ${m.field} is '${m.stored}' in the file but '${m.replayed}' in the model, so the file was edited or written by another model version`,
          `${rerun}, or replay with --path-only to follow the actions alone`,
        ));
      }
    }
    const n = replayed.actions.length;
    const last = replayed.states[replayed.states.length - 1];
    const still = violatedBy(model, invariant.id, last) === true;
    println(io.stdout, `replay ${shown(io.cwd, file)}: ${variant.id} at bounds ${describeBounds(bounds)}, ${invariant.id}, ${plural(n, "step")}`);
    const story = explainTrace(model, buildExplainer(variant, bounds), replayed.states, replayed.actions, invariant.id, {
      format: "text", glossary: false, cite: true, title: "", meaning: invariant.meaning, violated: still,
    });
    printAll(io.stdout, story.slice(2).map((l) => (l === "" ? l : `  ${l}`)));
    if (still) {
      println(io.stdout, `after step ${n}, ${invariant.id} is still violated: ${invariant.meaning}`);
      return EXIT.violation;
    }
    println(io.stdout, `after step ${n}, the trace no longer violates ${invariant.id}: this model does not fail this way (any more)`);
    return EXIT.ok;
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

function readText(file: string, name: string): Either.Either<string, CliError> {
  return Either.mapLeft(readTraceText(file), (e) => cliError("unreadable-file", `cannot read trace file ${name} (${e.reason})`, FRESH));
}
