/**
 * The model's fast paths in the expander. Firing into reused states (nextStateInto): the expander
 * keeps one state per successor slot and has the model overwrite it, so the search must give
 * exactly what it gives when every successor is a fresh state, and must never hand the model a
 * state still in use. Shared candidate lists (actionList): used instead of `actions`.
 */
import { describe, expect, it } from "vitest";
import type { Model } from "../../src/core/model.js";
import { search } from "../../src/engine/index.js";
import { Expander } from "../../src/engine/expander.js";
import { StateKey } from "../../src/engine/symmetry.js";

/** k byte counters counting to `top`, every state its own encoding; with `into`, its nextStateInto (or a broken one). */
function byteCounters(k: number, top: number, into: "none" | "right" | "stale"): Model<Uint8Array, number> & { intoCalls: number } {
  const fire = (s: Uint8Array, i: number, t: Uint8Array): void => {
    t.set(s);
    t[i]++;
  };
  const model = {
    intoCalls: 0,
    initStates: () => [new Uint8Array(k)],
    actions: (_s: Uint8Array, out: number[]) => {
      for (let i = 0; i < k; i++) out.push(i);
    },
    nextState: (s: Uint8Array, i: number) => {
      if (s[i] >= top) return undefined;
      const t = new Uint8Array(k);
      fire(s, i, t);
      return t;
    },
    encode: (s: Uint8Array, out: { bytes(b: Uint8Array): void }) => out.bytes(s),
    decode: (bytes: Uint8Array) => bytes.slice(),
    ownEncoding: (s: Uint8Array) => s,
    properties: [
      { kind: "always" as const, name: "not-all-top", description: "", partner: "some-top", holds: (s: Uint8Array) => !s.every((v) => v === top) },
      { kind: "sometimes" as const, name: "some-top", description: "", holds: (s: Uint8Array) => s.includes(top) },
    ],
    actionLabel: (i: number) => `inc ${i}`,
    actionKind: () => 0,
    actionKinds: ["inc"],
  };
  if (into === "none") return model;
  return Object.assign(model, {
    nextStateInto(s: Uint8Array, i: number, reuse: Uint8Array): boolean {
      model.intoCalls++;
      if (s[i] >= top) return false;
      // The broken one forgets to copy the state first, so the slot keeps its last successor's bytes.
      if (into === "stale") reuse[i]++;
      else fire(s, i, reuse);
      return true;
    },
  });
}

describe("actionList", () => {
  it("lists each state's candidates for the search, with the result of actions", () => {
    const plain = search(byteCounters(3, 3, "none"), { stopWhenDecided: false });
    const shared = [0, 1, 2];
    let listed = 0;
    const model = {
      ...byteCounters(3, 3, "right"),
      actionList: () => {
        listed++;
        return shared;
      },
    };
    const result = search(model, { stopWhenDecided: false });
    expect(result.stats.distinct).toBe(plain.stats.distinct);
    expect(result.stats.generated).toBe(plain.stats.generated);
    expect(result.verdicts).toEqual(plain.verdicts);
    expect(listed).toBe(64);
    expect(shared).toEqual([0, 1, 2]);
  });
});

describe("nextStateInto", () => {
  it("gives the counts, verdicts and paths of fresh successors, and is used", () => {
    const plain = search(byteCounters(3, 3, "none"), { stopWhenDecided: false });
    const model = byteCounters(3, 3, "right");
    const reused = search(model, { stopWhenDecided: false });
    expect(plain.stats.distinct).toBe(64);
    const { elapsedMs: _a, statesPerSecond: _b, ...counts } = plain.stats;
    expect(reused.stats).toMatchObject(counts);
    expect(reused.verdicts).toEqual(plain.verdicts);
    expect(model.intoCalls).toBeGreaterThan(100);
  });

  it("fails when the model's nextStateInto is wrong, so the search depends on it", () => {
    // Replaying a counterexample's path with nextState meets states the search never saw.
    expect(() => search(byteCounters(3, 3, "stale"), { stopWhenDecided: false })).toThrow(/not deterministic/);
  });

  it("keeps the successors of one expansion apart, and writes each expansion's over the last one's", () => {
    const model = byteCounters(4, 2, "right");
    const expander = new Expander(model, new StateKey(model, false));
    const rounds = [[1, 0, 2, 1], [0, 1, 1, 0], [2, 2, 2, 1], [0, 0, 0, 0]];
    for (const round of rounds) {
      // A fresh copy, as the frontier's decode gives: never one of the held slots.
      const state = Uint8Array.from(round);
      const expected = round.flatMap((v, i) => (v < 2 ? [round.map((w, j) => (j === i ? w + 1 : w))] : []));
      expect(expander.successors(state, true)).toBe(expected.length);
      expect(Array.from({ length: expander.count }, (_, b) => [...expander.encoding(b)])).toEqual(expected);
      expect([...state]).toEqual(round);
    }
    expect(model.intoCalls).toBeGreaterThan(0);
  });
});
