/** Turning a violated invariant into a replayed path and an ITF file under `<out>/<variant>/<invariant>.itf.json`. */
import { readFileSync, rmSync } from "node:fs";
import { join, relative, isAbsolute } from "node:path";
import { Either } from "effect";
import type { Model } from "../core/model.js";
import { replaySteps, formatReplayError } from "../engine/index.js";
import type { InvariantOutcome } from "../report/verdicts.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { buildTrace } from "../trace/build.js";
import { decodeTrace, encodeTrace } from "../trace/itf.js";
import { CliFailure, cliError } from "./errors.js";
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

/** Replays the violation's path and writes it as ITF to `<outDir>/<variant>/<name>.itf.json`. */
export function writeCounterexample<S, A>(
  model: Model<S, A>,
  outcome: Extract<InvariantOutcome, { kind: "violated" }>,
  context: { readonly variant: string; readonly bounds: object; readonly outDir: string },
): WrittenCounterexample<S, A> {
  const { path, name } = outcome;
  if (path.init !== 0) throw new Error(`a counterexample starts in initial state ${path.init}; traces assume initial state 0`);
  const replay = replaySteps(model, path.init, path.steps);
  if (!replay.ok) throw new Error(`the model did not replay a path the search found: ${formatReplayError(replay.error)}`);
  const trace = buildTrace(model, replay.states, replay.actions, {
    source: TRACE_SOURCE,
    tool: toolName(),
    variant: context.variant,
    bounds: { ...context.bounds } as Record<string, number>,
    invariant: name,
    kind: "violation",
    description: `${name} is violated after ${path.steps.length} steps: ${outcome.description}`,
  });
  const file = traceFile(context.outDir, context.variant, name);
  try {
    writeFileAtomic(file, encodeTrace(trace));
  } catch (e) {
    const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new CliFailure(cliError("unwritable-output", `cannot write ${file} (${reason})`, "choose a writable directory with --out DIR"));
  }
  return { name, file, states: replay.states, actions: replay.actions };
}

/** Where the counterexample of `name` in `variant` is written. */
export function traceFile(outDir: string, variant: string, name: string): string {
  return join(outDir, variant, `${name}.itf.json`);
}

/**
 * Deletes the counterexample an earlier run wrote for an invariant that this run found to hold
 * (call it only for "holds", never for vacuous or undecided verdicts); returns its path if it
 * was deleted. The file is kept unless it is a valid daxmc trace of this variant and invariant
 * written at exactly these bounds: a trace from other bounds is not refuted by this run, and a
 * file that does not decode is not daxmc's to delete.
 */
export function removeStale(outDir: string, variant: string, name: string, bounds: Bounds): string | undefined {
  const file = traceFile(outDir, variant, name);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const trace = decodeTrace(text, TRACE_SOURCE);
  if (Either.isLeft(trace)) return undefined;
  const { meta } = trace.right;
  if (meta.variant !== variant || meta.invariant !== name) return undefined;
  const written = boundsFromTrace(meta.bounds);
  if (Either.isLeft(written) || formatBounds(written.right) !== formatBounds(bounds)) return undefined;
  rmSync(file, { force: true });
  return file;
}

/** `file` relative to `cwd` when it lies below it, else absolute: how paths are shown. */
export function shown(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
