/** Turning a violated invariant into a replayed path and an ITF file under `<out>/<variant>/<invariant>.itf.json`. */
import { existsSync, rmSync } from "node:fs";
import { join, relative, isAbsolute } from "node:path";
import type { Model } from "../core/model.js";
import { replaySteps, formatReplayError } from "../engine/index.js";
import type { InvariantOutcome } from "../report/verdicts.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { buildTrace } from "../trace/build.js";
import { encodeTrace } from "../trace/itf.js";
import { CliFailure, cliError } from "./errors.js";
import { toolName } from "./version.js";

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

/** Deletes the counterexample an earlier run wrote for an invariant that now holds; returns its path if there was one. */
export function removeStale(outDir: string, variant: string, name: string): string | undefined {
  const file = traceFile(outDir, variant, name);
  if (!existsSync(file)) return undefined;
  rmSync(file, { force: true });
  return file;
}

/** `file` relative to `cwd` when it lies below it, else absolute: how paths are shown. */
export function shown(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
