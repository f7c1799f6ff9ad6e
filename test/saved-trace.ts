/** A saved counterexample loaded as the commands load it (any ITF layout daxmc wrote), for tests that need its states, lanes or explainer. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as Either from "effect/Either";
import { type LoadedTrace, loadTrace } from "../src/cli/load-trace.js";
import { buildExplainer } from "../src/cli/wiring.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The trace at `file` (absolute, or relative to the repository), replayed; throws on a bad file. */
export function savedTrace(file: string): LoadedTrace {
  const loaded = loadTrace(file, ROOT, "test");
  if (Either.isLeft(loaded)) throw new Error(`${file}: ${loaded.left.what}`);
  return loaded.right;
}

/** counterexamples/<variant>/<invariant>.itf.json, loaded. */
export function savedCounterexample(variant: string, invariant: string): LoadedTrace {
  return savedTrace(join("counterexamples", variant, `${invariant}.itf.json`));
}

/** Each step's swim lane. */
export function lanesOf(file: string): string[] {
  const t = savedTrace(file);
  const explainer = buildExplainer(t.variant, t.bounds);
  return t.actions.map((a) => explainer.lane(a));
}
