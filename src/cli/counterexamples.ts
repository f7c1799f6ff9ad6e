/** Turning a violated invariant into a replayed path and an ITF file where `traceFile` says (loaded only when there is one to write or check). */
import { rmSync } from "node:fs";
import * as Either from "effect/Either";
import type { Model } from "../core/model.js";
import { replaySteps, formatReplayError } from "../engine/index.js";
import type { InvariantOutcome } from "../report/verdicts.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { readTraceText } from "../trace/read.js";
import { buildTrace } from "../trace/build.js";
import { decodeTrace, encodeTrace } from "../trace/itf.js";
import { CliFailure, cliError } from "./errors.js";
import { reasonOf, traceFile } from "./out-dir.js";
import { safeText } from "./safe-text.js";
import { toolName } from "./version.js";
import { type Bounds, boundsFromTrace, formatBounds } from "./wiring.js";

/** The source name daxmc writes into traces and requires when reading them. */
export const TRACE_SOURCE = "daxmc";

/** A violation, replayed and written to disk. */
export interface WrittenCounterexample<S, A> {
  readonly name: string;
  readonly file: string;
  readonly states: readonly S[];
  readonly actions: readonly A[];
}

/** Replays the violation's path and writes it as ITF to `traceFile(outDir, variant, name, bounds)`. */
export function writeCounterexample<S, A>(
  model: Model<S, A>,
  outcome: Extract<InvariantOutcome, { kind: "violated" }>,
  context: { readonly variant: string; readonly bounds: Bounds; readonly outDir: string },
): WrittenCounterexample<S, A> {
  const { path, name } = outcome;
  if (path.init !== 0) throw new Error(`a counterexample starts in initial state ${path.init}; traces assume initial state 0`);
  const replay = replaySteps(model, path.init, path.steps);
  if (!replay.ok) throw new Error(`the model did not replay a path the search found: ${formatReplayError(replay.error)}`);
  const file = traceFile(context.outDir, context.variant, name, context.bounds);
  writeTraceFile(model, replay.states, replay.actions, {
    variant: context.variant,
    bounds: context.bounds,
    invariant: name,
    description: `${name} is violated after ${path.steps.length} steps: ${outcome.description}`,
  }, file, "choose a writable directory with --out DIR");
  return { name, file, states: replay.states, actions: replay.actions };
}

/**
 * Writes the counterexample of each violated invariant, and removes the file of each that now
 * holds (see removeStale): what `check` and `merge` save; returns what was written and removed.
 */
export function saveOutcomes<S, A>(
  model: Model<S, A>,
  outcomes: readonly InvariantOutcome[],
  context: { readonly variant: string; readonly bounds: Bounds; readonly outDir: string },
): { readonly written: WrittenCounterexample<S, A>[]; readonly stale: string[] } {
  const written = outcomes.flatMap((o) => (o.kind === "violated" ? [writeCounterexample(model, o, context)] : []));
  const stale = outcomes.flatMap((o) => {
    const removed = o.kind === "holds" ? removeStale(context.outDir, context.variant, o.name, context.bounds) : undefined;
    return removed === undefined ? [] : [removed];
  });
  return { written, stale };
}

/** What a written trace says about itself. */
export interface TraceAbout {
  readonly variant: string;
  readonly bounds: Bounds;
  readonly invariant: string;
  readonly description: string;
}

/** Writes a replayed path as an ITF trace to `file`, atomically; an unwritable file is a CliFailure whose fix is `fix`. */
export function writeTraceFile<S, A>(model: Model<S, A>, states: readonly S[], actions: readonly A[], about: TraceAbout, file: string, fix: string): void {
  const trace = buildTrace(model, states, actions, {
    source: TRACE_SOURCE,
    tool: toolName(),
    variant: about.variant,
    bounds: { ...about.bounds } as Record<string, number>,
    invariant: about.invariant,
    kind: "violation",
    description: about.description,
  });
  try {
    writeFileAtomic(file, encodeTrace(trace));
  } catch (e) {
    throw new CliFailure(cliError("unwritable-output", `cannot write ${safeText(file)} (${reasonOf(e)})`, fix));
  }
}

/**
 * Deletes the counterexample an earlier run wrote for an invariant that this run found to hold
 * (call it only for "holds", never for vacuous or undecided verdicts); returns its path if it
 * was deleted. The file is kept unless it is a valid daxmc trace of this variant and invariant
 * written at exactly these bounds: a trace from other bounds is not refuted by this run, and a
 * file that is not a regular file or does not decode is not daxmc's to delete, and never stops a run.
 */
export function removeStale(outDir: string, variant: string, name: string, bounds: Bounds): string | undefined {
  const file = traceFile(outDir, variant, name, bounds);
  const text = readTraceText(file);
  if (Either.isLeft(text)) return undefined;
  const trace = decodeTrace(text.right, TRACE_SOURCE);
  if (Either.isLeft(trace)) return undefined;
  const { meta } = trace.right;
  if (meta.variant !== variant || meta.invariant !== name) return undefined;
  const written = boundsFromTrace(meta.bounds);
  if (Either.isLeft(written) || formatBounds(written.right) !== formatBounds(bounds)) return undefined;
  rmSync(file, { force: true });
  return file;
}

