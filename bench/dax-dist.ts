/**
 * The DAX model and the engine pieces a bench section measures, imported from a build in dist/
 * (this build's, or a baseline's), typed only as far as the bench calls them.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The parts of the engine's Model contract the bench calls. */
export interface BenchModel {
  initStates(): readonly unknown[];
  actions(state: unknown, out: unknown[]): void;
  nextState(state: unknown, action: unknown): unknown;
  encode(state: unknown, out: unknown): void;
  decode(bytes: Uint8Array): unknown;
  actionKind(action: unknown): number;
  readonly actionKinds: readonly string[];
  readonly properties: readonly ({ kind: "always" | "sometimes"; holds(s: unknown): boolean } | { kind: "deadlockFree"; inFlight(s: unknown): boolean })[];
}

/** An encoder as the engine's core exports it. */
export interface BenchEncoder {
  reset(): void;
  view(): Uint8Array;
}

/** What the bench imports from dist/. */
export interface DaxDist {
  /** The model of `variant` at `bounds` (a preset or key=value edits); throws on bad bounds. */
  modelOf(variant: string, bounds: string): BenchModel;
  Encoder: new (capacity: number) => BenchEncoder;
  Expander: new (model: BenchModel, key: unknown) => { successors(state: unknown, keep: boolean): number };
  StateKey: new (model: BenchModel, symmetry: boolean) => unknown;
}

/** Imports the model and engine pieces from the build in `distRoot`. */
export async function loadDax(distRoot: string): Promise<DaxDist> {
  const from = async (file: string): Promise<Record<string, unknown>> => (await import(pathToFileURL(join(distRoot, file)).href)) as Record<string, unknown>;
  const [recipe, spec, expander, symmetry, encoder] = await Promise.all([
    from("src/cli/dax-recipe.js"),
    from("spec/index.js"),
    from("src/engine/expander.js"),
    from("src/engine/symmetry.js"),
    from("src/core/encoder.js"),
  ]);
  const daxModel = recipe.daxModel as (args: { variant: string; bounds: unknown }) => BenchModel;
  const parseBounds = spec.parseBounds as (text: string) => { _tag: string; right?: unknown };
  return {
    modelOf: (variant, bounds) => {
      const parsed = parseBounds(bounds);
      if (parsed._tag === "Left") throw new Error(`bad bounds: ${bounds}`);
      return daxModel({ variant, bounds: { ...(parsed.right as object) } });
    },
    Encoder: encoder.Encoder as DaxDist["Encoder"],
    Expander: expander.Expander as DaxDist["Expander"],
    StateKey: symmetry.StateKey as DaxDist["StateKey"],
  };
}

/** The key of a state for a Set: its encoding as a string. */
export function keyer(model: BenchModel, enc: BenchEncoder): (s: unknown) => string {
  return (s) => {
    enc.reset();
    model.encode(s, enc);
    return Buffer.from(enc.view()).toString("latin1");
  };
}

/** An enabled action of a state, its successor and the successor's key. */
export interface Step {
  readonly a: unknown;
  readonly next: unknown;
  readonly key: string;
}

/**
 * Walks the first `count` distinct states of `model` breadth-first (told apart by `keyOf`, not
 * folded by symmetry), calling `visit` with each state and its enabled actions in action order.
 */
export function walkFirst(
  model: Pick<BenchModel, "initStates" | "actions" | "nextState">,
  keyOf: (s: unknown) => string,
  count: number,
  visit: (state: unknown, enabled: readonly Step[]) => void,
): void {
  const seen = new Set<string>();
  const queue = [...model.initStates()];
  for (const s of queue) seen.add(keyOf(s));
  for (let i = 0; i < queue.length && i < count; i++) {
    const s = queue[i];
    const enabled = enabledSteps(model, keyOf, s);
    for (const e of enabled) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      if (queue.length < count) queue.push(e.next);
    }
    visit(s, enabled);
  }
}

/** The enabled actions of `s` with their successors and the successors' keys, in action order. */
export function enabledSteps(model: Pick<BenchModel, "actions" | "nextState">, keyOf: (s: unknown) => string, s: unknown): Step[] {
  const candidates: unknown[] = [];
  model.actions(s, candidates);
  return candidates.flatMap((a) => {
    const next = model.nextState(s, a);
    return next === undefined ? [] : [{ a, next, key: keyOf(next) }];
  });
}

/** Whether `e` and `f`, both enabled in one state, stay enabled after each other and reach the same state in both orders. */
export function commute(model: Pick<BenchModel, "nextState">, keyOf: (s: unknown) => string, e: Step, f: Step): boolean {
  const ef = model.nextState(e.next, f.a);
  if (ef === undefined) return false;
  const fe = model.nextState(f.next, e.a);
  if (fe === undefined) return false;
  return keyOf(ef) === keyOf(fe);
}

/** Bad input to the bench (a section that does not parse, a check that refuses its arguments): `bench` prints its message alone and exits 2. */
export class BenchInputError extends Error {
  override readonly name = "BenchInputError";
}

/**
 * Splits a bench section's "V,B,N..." into the variant, the bounds (which may hold commas
 * themselves: "small,procs=3") and the `counts` whole numbers at the end, of which the last
 * `optional` may be left out. Throws a one-line error naming the form when it does not fit.
 */
export function splitSection(flag: string, spec: string, counts: number, optional = 0): { variant: string; bounds: string; numbers: number[] } {
  const parts = spec.split(",");
  let tail = 0;
  while (tail < counts && parts.length - tail > 2 && /^\d+$/.test(parts[parts.length - 1 - tail])) tail++;
  if (tail < counts - optional) {
    const how = optional === 0 ? `${counts}` : `${counts - optional} to ${counts}`;
    throw new BenchInputError(`bench ${flag} '${spec}': give VARIANT,BOUNDS then ${how} whole number${counts === 1 ? "" : "s"}, e.g. v6.12,small,procs=3,5000`);
  }
  return { variant: parts[0], bounds: parts.slice(1, parts.length - tail).join(","), numbers: parts.slice(parts.length - tail).map(Number) };
}

/** The item whose `key` is the median of `items`' (the lower middle one of an even number): a whole run, not a mean of two. */
export function middleOf<T>(items: readonly T[], key: (item: T) => number): T {
  if (items.length === 0) throw new RangeError("middle of no items");
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[(sorted.length - 1) >> 1];
}

/** The middle value of `values` (the mean of the middle two when their number is even). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
