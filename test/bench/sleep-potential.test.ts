import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SleepSubject, sleepPotential } from "../../bench/sleep-potential.js";

/** An action of a counters model: when counter `read` is at most `guard`, counter `write` becomes (write + read + add) mod 3. */
interface CounterAction {
  readonly read: number;
  readonly write: number;
  readonly guard: number;
  readonly add: number;
}

/** Counters 0..2, all starting at 0, changed by `actions` (listed in order, told apart by identity). */
function counters(size: number, actions: readonly CounterAction[]): SleepSubject {
  return {
    initStates: () => [new Array<number>(size).fill(0)],
    actions: (_s, out) => out.push(...actions),
    nextState: (s, a) => {
      const v = s as readonly number[];
      const { read, write, guard, add } = a as CounterAction;
      if (v[read] > guard) return undefined;
      const next = [...v];
      next[write] = (v[write] + v[read] + add) % 3;
      return next;
    },
    actionKind: (a) => actions.indexOf(a as CounterAction),
    actionKinds: actions.map((_, i) => `a${i}`),
  };
}

const keyOf = (s: unknown): string => (s as number[]).join(",");

describe("sleepPotential", () => {
  it("skips the second order of two commuting steps, and nothing else", () => {
    // setX and setY each set their own counter once: (0,0) fires both; at (0,1) setX is asleep (it commuted with setY at (0,0)).
    const setX = { read: 0, write: 0, guard: 0, add: 1 };
    const setY = { read: 1, write: 1, guard: 0, add: 1 };
    expect(sleepPotential(counters(2, [setX, setY]), keyOf, 100)).toEqual({
      states: 4,
      statesWithSleep: 4,
      depthsDiffering: 0,
      enabled: 4,
      computed: 3,
      reexplored: 0,
      kinds: [
        { enabled: 2, computed: 1 },
        { enabled: 2, computed: 2 },
      ],
    });
  });

  it("fires both orders of two steps that do not commute", () => {
    // incX reads y, which setY writes: after setY, incX adds 1 more, so the two orders end apart.
    const incX = { read: 1, write: 0, guard: 2, add: 1 };
    const setY = { read: 1, write: 1, guard: 0, add: 1 };
    const f = sleepPotential(counters(2, [incX, setY]), keyOf, 100);
    expect([f.statesWithSleep, f.computed]).toEqual([f.states, f.enabled]);
  });

  it("fires again what a state slept on when a later path reaches it without that sleep", () => {
    // a0 (x <= 0: x stays) loops; a1 (z <= 1: x += z); a2 (x <= 0: z += 1). (0,0,1) is first reached by a2 with a0 asleep
    // (a0 and a2 commute at (0,0,0)), then again from (2,0,1) by a1 with nothing asleep: a0 is fired there after all.
    const a0 = { read: 0, write: 0, guard: 0, add: 0 };
    const a1 = { read: 2, write: 0, guard: 1, add: 0 };
    const a2 = { read: 0, write: 2, guard: 0, add: 1 };
    expect(sleepPotential(counters(3, [a0, a1, a2]), keyOf, 100)).toEqual({
      states: 5,
      statesWithSleep: 5,
      depthsDiffering: 0,
      enabled: 10,
      computed: 9,
      reexplored: 1,
      kinds: [
        { enabled: 3, computed: 2 },
        { enabled: 4, computed: 4 },
        { enabled: 3, computed: 3 },
      ],
    });
  });

  it("reaches every state at its breadth-first depth on random counter models, computing no more than the plain search", () => {
    const action = fc.record({ read: fc.nat(2), write: fc.nat(2), guard: fc.nat(2), add: fc.nat(2) });
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 5 }), (actions) => {
        const f = sleepPotential(counters(3, actions), keyOf, 1000);
        expect(f.statesWithSleep).toBe(f.states);
        expect(f.depthsDiffering).toBe(0);
        expect(f.computed).toBeLessThanOrEqual(f.enabled);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it("throws past the cap instead of measuring half a search", () => {
    // x counts 0, 1, 2 (y stays 0): three states, one over the cap.
    const tick = { read: 1, write: 0, guard: 2, add: 1 };
    expect(() => sleepPotential(counters(2, [tick]), keyOf, 2)).toThrow(/more than 2 states/);
  });
});
