/**
 * Running a model to quiescence: from a state, every way the model's internal steps (the
 * kernel finishing what a user action started) can go, until nothing is in flight. What the
 * oracle's predictions need: a scenario's user actions happen one after another, each
 * completing before the next, and the set of quiet states is the set of outcomes the model allows.
 */
import type { Model } from "../core/model.js";
import { Encoder } from "../core/encoder.js";

/** The quiet states reachable through internal steps, and the stuck ones (in flight, nothing internal enabled). */
export interface Quiescence<S> {
  readonly quiet: readonly S[];
  readonly stuck: readonly S[];
}

/** Explores `internal` steps from `start` breadth-first until every branch is quiet or stuck; at most `limit` states. */
export function quiesce<S, A>(
  model: Model<S, A>,
  start: S,
  internal: (a: A) => boolean,
  busy: (s: S) => boolean,
  limit = 100_000,
): Quiescence<S> {
  const seen = new Set<string>();
  const quiet: S[] = [];
  const stuck: S[] = [];
  const queue: S[] = [start];
  const candidates: A[] = [];
  while (queue.length > 0) {
    const s = queue.shift() as S;
    const key = keyOf(model, s);
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > limit) throw new Error(`quiesce: more than ${limit} states in flight`);
    if (!busy(s)) {
      quiet.push(s);
      continue;
    }
    candidates.length = 0;
    model.actions(s, candidates);
    let moved = false;
    for (const a of candidates) {
      if (!internal(a)) continue;
      const next = model.nextState(s, a);
      if (next === undefined) continue;
      moved = true;
      queue.push(next);
    }
    if (!moved) stuck.push(s);
  }
  return { quiet, stuck };
}

function keyOf<S, A>(model: Model<S, A>, s: S): string {
  const e = new Encoder();
  model.encode(s, e);
  return Buffer.from(e.view()).toString("latin1");
}
