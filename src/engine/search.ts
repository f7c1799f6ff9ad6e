/**
 * The exploration loop: one loop for every search, parameterised by a frontier.
 *
 * With the default breadth-first frontier, states are popped in id order, so depths never
 * decrease and the first state found violating (or witnessing) a property is a nearest one:
 * every recorded path is a shortest path.
 */
import { Encoder } from "../core/encoder.js";
import type { Model, Property } from "../core/model.js";
import type { Path, PropertyVerdict, SearchOptions, SearchResult, SearchStats, StopReason } from "../core/result.js";
import { fingerprint } from "./fingerprint.js";
import { BfsFrontier, type Frontier, type FrontierEntry } from "./frontier.js";
import { formatReplayError, replaySteps } from "./replay.js";
import { MAX_ACTION, NO_PARENT, VisitedSet } from "./visited.js";

/** Pops between two looks at the clock (a power of two). */
const CLOCK_EVERY = 1024;
/** Milliseconds between two progress reports. */
const REPORT_EVERY_MS = 250;

/**
 * Explores `model` from its initial states, checking the selected properties, within the
 * limits of `options`. `frontier` (an empty one) fixes the exploration order; the default
 * breadth-first one makes every recorded path a shortest one. `visited` (an empty one, holding
 * at least 65536 states) is where states are stored; tests pass a small one.
 *
 * Limits: `maxStates` is checked before each pop, so `distinct` can pass it by less than one
 * state's successors; it is capped at the visited set's capacity less 65535, so that one
 * expansion never overfills the set: a full visited set stops the search "max-states"
 * incomplete, like any limit. States at `maxDepth` are checked but not expanded (their
 * successors are only looked up, and the search is "max-depth" incomplete if one was new);
 * `timeoutMs` is checked every 1024 pops. With no property selected, `stopWhenDecided` never
 * stops early. Throws on misuse (unknown property names, negative limits, a frontier or
 * visited set not empty) and when the model breaks its contract (more than 65536 initial
 * states or candidate actions, an `actionKind` outside `actionKinds`, or a recorded path that
 * does not replay to the same states).
 */
export function search<S, A>(
  model: Model<S, A>,
  options: SearchOptions = {},
  frontier: Frontier = new BfsFrontier(),
  visited: VisitedSet = new VisitedSet(),
): SearchResult {
  const selected = selectProperties(model.properties, options.properties);
  const maxStates = Math.min(limit(options.maxStates, "maxStates"), visited.capacity - MAX_ACTION);
  const maxDepth = limit(options.maxDepth, "maxDepth");
  const timeoutMs = limit(options.timeoutMs, "timeoutMs");
  const reporter = options.reporter;
  const earlyStop = (options.stopWhenDecided ?? true) && selected.length > 0;
  checkEmpty(frontier, visited);

  const start = performance.now();
  const enc = new Encoder(256);
  const fp = new Uint32Array(2);
  const kindCount = model.actionKinds.length;
  const fired = new Float64Array(kindCount);
  const fresh = new Float64Array(kindCount);
  let generated = 0;
  let deepest = 0;
  let queuePeak = 0;

  const inits = model.initStates();
  if (inits.length > MAX_ACTION + 1) {
    throw new RangeError(`search: ${inits.length} initial states, at most ${MAX_ACTION + 1} are supported`);
  }
  for (let i = 0; i < inits.length; i++) {
    enc.reset();
    model.encode(inits[i], enc);
    const bytes = enc.view();
    fingerprint(bytes, fp);
    const id = visited.insert(fp[0], fp[1], NO_PARENT, i);
    if (id >= 0) frontier.push(bytes, id, 0);
  }
  queuePeak = frontier.size;

  const propCount = selected.length;
  /** Id of the state that decided each selected property, or -1. */
  const decidedAt = new Int32Array(propCount).fill(-1);
  let undecided = propCount;
  let allDecided = false;
  let stopReason: StopReason | undefined;
  let cutByDepth = false;
  let lastReport = start;
  let pops = 0;
  const entry: FrontierEntry = { id: 0, depth: 0, bytes: new Uint8Array(0) };
  const candidates: A[] = [];
  /** One encoder per successor of the state being expanded, and what each holds. */
  const encoders: Encoder[] = [];
  let succ = growSuccessors(undefined);

  while (frontier.size > 0) {
    if (visited.size >= maxStates) {
      stopReason = "max-states";
      break;
    }
    if ((pops & (CLOCK_EVERY - 1)) === 0) {
      const now = performance.now();
      if (now - start >= timeoutMs) {
        stopReason = "timeout";
        break;
      }
      if (reporter !== undefined && now - lastReport >= REPORT_EVERY_MS) {
        lastReport = now;
        reporter.progress(snapshot(model, visited, frontier, now - start, generated, deepest, queuePeak, fired, fresh));
      }
    }
    frontier.pop(entry);
    pops++;
    const id = entry.id;
    const depth = entry.depth;
    if (depth > deepest) deepest = depth;
    const state = model.decode(entry.bytes);

    // Expand. At the depth limit, successors are still computed (deadlock needs to know
    // whether any is enabled), but only looked up, to tell whether the limit cut anything off.
    const expand = depth < maxDepth;
    candidates.length = 0;
    model.actions(state, candidates);
    const n = candidates.length;
    if (n > MAX_ACTION + 1) {
      throw new RangeError(`search: a state has ${n} candidate actions, at most ${MAX_ACTION + 1} are supported`);
    }
    // First compute, encode and fingerprint every successor, then look them all up: the
    // lookups' cache misses overlap (see VisitedSet.warm).
    let enabled = 0;
    let batch = 0;
    for (let a = 0; a < n; a++) {
      const action = candidates[a];
      const next = model.nextState(state, action);
      if (next === undefined) continue;
      enabled++;
      const kind = model.actionKind(action);
      if (!(kind >= 0 && kind < kindCount && (kind | 0) === kind)) {
        throw new RangeError(`search: actionKind ${kind} is not an index into actionKinds (${kindCount})`);
      }
      fired[kind]++;
      if (!expand && cutByDepth) continue;
      if (batch === encoders.length) {
        encoders.push(new Encoder(64));
        if (batch === succ.his.length) succ = growSuccessors(succ);
      }
      const out = encoders[batch];
      out.reset();
      model.encode(next, out);
      fingerprint(out.buffer, fp, out.length);
      succ.his[batch] = fp[0];
      succ.los[batch] = fp[1];
      succ.actions[batch] = a;
      succ.kinds[batch] = kind;
      batch++;
    }
    if (batch > 1) visited.warm(succ.los, batch);
    for (let b = 0; b < batch; b++) {
      if (expand) {
        const nid = visited.insert(succ.his[b], succ.los[b], id, succ.actions[b]);
        if (nid >= 0) {
          fresh[succ.kinds[b]]++;
          frontier.push(encoders[b].view(), nid, depth + 1);
        }
      } else if (!visited.has(succ.his[b], succ.los[b])) {
        cutByDepth = true;
      }
    }
    generated += enabled;
    if (frontier.size > queuePeak) queuePeak = frontier.size;

    // Check the properties not yet decided.
    if (undecided > 0) {
      for (let p = 0; p < propCount; p++) {
        if (decidedAt[p] >= 0) continue;
        const prop = selected[p];
        let decides: boolean;
        switch (prop.kind) {
          case "always":
            decides = !prop.holds(state);
            break;
          case "sometimes":
            decides = prop.holds(state);
            break;
          case "deadlockFree":
            decides = enabled === 0 && prop.inFlight(state);
            break;
          default:
            return unreachable(prop);
        }
        if (decides) {
          decidedAt[p] = id;
          undecided--;
        }
      }
      if (undecided === 0 && earlyStop) {
        allDecided = true;
        break;
      }
    }
  }

  if (!allDecided && stopReason === undefined && cutByDepth) stopReason = "max-depth";
  const complete = allDecided || stopReason === undefined;

  const verdicts: PropertyVerdict[] = [];
  for (let p = 0; p < propCount; p++) {
    const prop = selected[p];
    const name = prop.name;
    const at = decidedAt[p];
    if (at >= 0) {
      const path = pathTo(model, visited, at);
      verdicts.push(prop.kind === "sometimes" ? { kind: "reached", name, path } : { kind: "violated", name, path });
    } else if (!complete) {
      verdicts.push({ kind: "undecided", name });
    } else {
      verdicts.push(prop.kind === "sometimes" ? { kind: "unreached", name } : { kind: "holds", name });
    }
  }

  const elapsed = performance.now() - start;
  const final = snapshot(model, visited, frontier, elapsed, generated, deepest, queuePeak, fired, fresh);
  reporter?.done?.(final);
  return complete
    ? { status: "complete", verdicts, stats: final }
    : { status: "incomplete", stopReason, verdicts, stats: final };
}

/** Throws unless the search starts from an empty frontier and an empty visited set that can take one expansion. */
function checkEmpty(frontier: Frontier, visited: VisitedSet): void {
  if (frontier.size !== 0) throw new Error("search: the frontier must start empty");
  if (visited.size !== 0) throw new Error("search: the visited set must start empty");
  if (visited.capacity < MAX_ACTION + 1) {
    throw new RangeError(`search: the visited set must hold at least ${MAX_ACTION + 1} states, not ${visited.capacity}`);
  }
}

/** The statistics of a search `elapsedMs` into it. */
function snapshot<S, A>(
  model: Model<S, A>,
  visited: VisitedSet,
  frontier: Frontier,
  elapsedMs: number,
  generated: number,
  depth: number,
  queuePeak: number,
  fired: Float64Array,
  fresh: Float64Array,
): SearchStats {
  const n = visited.size;
  return {
    generated,
    distinct: n,
    depth,
    queue: frontier.size,
    queuePeak,
    perAction: model.actionKinds.map((kind, i) => ({ kind, fired: fired[i], newStates: fresh[i] })),
    elapsedMs,
    statesPerSecond: elapsedMs > 0 ? (n * 1000) / elapsedMs : 0,
    collisionBound: (n * (n - 1)) / 2 ** 65,
    visitedBytes: visited.bytes(),
  };
}

/** Fingerprints, action indices and kinds of the successors of one state. */
interface Successors {
  readonly his: Uint32Array;
  readonly los: Uint32Array;
  readonly actions: Uint32Array;
  readonly kinds: Uint32Array;
}

/** Room for twice as many successors (64 at first). */
function growSuccessors(old: Successors | undefined): Successors {
  const size = old === undefined ? 64 : old.his.length * 2;
  const grown = {
    his: new Uint32Array(size),
    los: new Uint32Array(size),
    actions: new Uint32Array(size),
    kinds: new Uint32Array(size),
  };
  if (old !== undefined) {
    grown.his.set(old.his);
    grown.los.set(old.los);
    grown.actions.set(old.actions);
    grown.kinds.set(old.kinds);
  }
  return grown;
}

/** The path to state `id`, from the parent links, checked by replaying it. */
function pathTo<S, A>(model: Model<S, A>, visited: VisitedSet, id: number): Path {
  const ids: number[] = [];
  const steps: number[] = [];
  let cur = id;
  for (;;) {
    ids.push(cur);
    const parent = visited.parentOf(cur);
    if (parent === NO_PARENT) break;
    steps.push(visited.actionOf(cur));
    cur = parent;
  }
  const init = visited.actionOf(cur);
  ids.reverse();
  steps.reverse();
  const replay = replaySteps(model, init, steps);
  if (!replay.ok) {
    throw new Error(`search: the model did not replay its own path: ${formatReplayError(replay.error)}`);
  }
  // Replaying must give back exactly the states the search stored.
  const enc = new Encoder(256);
  const fp = new Uint32Array(2);
  for (let k = 0; k < ids.length; k++) {
    enc.reset();
    model.encode(replay.states[k], enc);
    fingerprint(enc.view(), fp);
    if (fp[0] !== visited.hiOf(ids[k]) || fp[1] !== visited.loOf(ids[k])) {
      throw new Error(
        `search: replaying step ${k} of a recorded path gave a different state than the search saw; ` +
          "the model is not deterministic (e.g. unsorted Map/Set iteration, randomness, or state mutated in place)",
      );
    }
  }
  return { init, steps, labels: replay.actions.map((a) => model.actionLabel(a)) };
}

/** The model's properties named in `names` (all when absent), in the model's order. */
function selectProperties<S>(properties: readonly Property<S>[], names: readonly string[] | undefined): Property<S>[] {
  if (names === undefined) return properties.slice();
  const known = new Set(properties.map((p) => p.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new RangeError(`search: no property named ${unknown.join(", ")} (known: ${[...known].join(", ")})`);
  }
  const wanted = new Set(names);
  return properties.filter((p) => wanted.has(p.name));
}

/** A limit from the options: Infinity when absent, else a non-negative number. */
function limit(value: number | undefined, name: string): number {
  if (value === undefined) return Infinity;
  if (!(value >= 0)) throw new RangeError(`search: ${name} must be a non-negative number, got ${value}`);
  return value;
}

function unreachable(value: never): never {
  throw new Error(`search: unknown property kind ${String((value as { kind?: unknown }).kind)}`);
}
