import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SleepSubject, mmapOfAnyBlindStep, mmapOfOtherProcess, mmapWhileMappedElsewhere, sleepPotential } from "../../bench/sleep-potential.js";

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

/** a0 (x <= 0: x stays) loops; a1 (z <= 1: x += z); a2 (x <= 0: z += 1): a state first reached with a0 asleep is reached again without. */
function relooping(): SleepSubject {
  const a0 = { read: 0, write: 0, guard: 0, add: 0 };
  const a1 = { read: 2, write: 0, guard: 1, add: 0 };
  const a2 = { read: 0, write: 2, guard: 0, add: 1 };
  return counters(3, [a0, a1, a2]);
}

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
      declaredNotCommuting: 0,
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
    // (0,0,1) is first reached by a2 with a0 asleep (a0 and a2 commute at (0,0,0)), then again from (2,0,1) by a1
    // with nothing asleep: a0 is fired there after all.
    expect(sleepPotential(relooping(), keyOf, 100)).toEqual({
      states: 5,
      statesWithSleep: 5,
      depthsDiffering: 0,
      enabled: 10,
      computed: 9,
      reexplored: 1,
      declaredNotCommuting: 0,
      kinds: [
        { enabled: 3, computed: 2 },
        { enabled: 4, computed: 4 },
        { enabled: 3, computed: 3 },
      ],
    });
  });

  it("without re-exploration, skips the firing it would have made (here a loop, so every state is still reached)", () => {
    const f = sleepPotential(relooping(), keyOf, 100, { reexplore: false });
    expect([f.statesWithSleep, f.depthsDiffering, f.computed, f.reexplored]).toEqual([5, 0, 8, 1]);
  });

  it("uses a declared relation alone, and counts the declared pairs that do not commute and the states it then reaches late", () => {
    // Declaring incX and setY independent is wrong: (2,1) is reached at depth 2 by setY then incX, but incX is asleep
    // there, so the sleep search reaches it only at depth 3 (incX, incX, setY). Wrong at (0,0), (1,0) and (2,0).
    const incX = { read: 1, write: 0, guard: 2, add: 1 };
    const setY = { read: 1, write: 1, guard: 0, add: 1 };
    const f = sleepPotential(counters(2, [incX, setY]), keyOf, 100, { declared: () => true });
    expect([f.states, f.statesWithSleep, f.depthsDiffering, f.declaredNotCommuting]).toEqual([6, 6, 1, 3]);
  });

  it("declares an mmap or munmap independent of another process's steps, and (wider) of steps blind to VMAs", () => {
    const mmapX = { kind: "mmap", proc: 0, file: 0 };
    const faultY = { kind: "fault", proc: 1, slot: 0 };
    const faultX = { kind: "fault", proc: 0, slot: 1 };
    const truncate = { kind: "truncate_delete" };
    const truncateStart = { kind: "truncate_begin", file: 0 };
    const evict = { kind: "evict", file: 0 };
    const mfKill = { kind: "mf_kill_owner" };
    expect([mmapOfOtherProcess(mmapX, faultY), mmapOfOtherProcess(faultY, mmapX), mmapOfOtherProcess(mmapX, faultX), mmapOfOtherProcess(mmapX, truncate)]).toEqual([true, true, false, false]);
    expect([mmapOfOtherProcess(faultY, faultX), mmapOfAnyBlindStep(faultY, faultX)]).toEqual([false, false]);
    expect([mmapOfAnyBlindStep(mmapX, truncate), mmapOfAnyBlindStep(truncate, mmapX), mmapOfAnyBlindStep(mmapX, faultX)]).toEqual([true, true, false]);
    expect([mmapOfAnyBlindStep(mmapX, evict), mmapOfAnyBlindStep(mmapX, mfKill), mmapOfAnyBlindStep(mmapX, truncateStart)]).toEqual([false, false, false]);
    expect([mmapOfAnyBlindStep(mmapX, { kind: "reflink", src: 0, dst: 1 }), mmapOfAnyBlindStep(mmapX, { kind: "munmap", proc: 0, file: 1 })]).toEqual([false, true]);
  });

  it("declares an mmap independent of a step breaking its file's layouts only while another process maps the file", () => {
    // Two processes, VMAs at bytes 0 and 1: X maps nothing, Y maps A (bit 0) in the first state, nothing in the second.
    const declared = mmapWhileMappedElsewhere({ vmas: 0, procs: 2 });
    const yMapsA = Uint8Array.of(0, 1);
    const noneMaps = Uint8Array.of(0, 0);
    const mmapXA = { kind: "mmap", proc: 0, file: 0 };
    const truncateA = { kind: "truncate_begin", file: 0 };
    const truncateB = { kind: "truncate_begin", file: 1 };
    const reflinkBA = { kind: "reflink", src: 1, dst: 0 };
    expect([declared(mmapXA, truncateA, yMapsA), declared(truncateA, mmapXA, yMapsA), declared(mmapXA, truncateA, noneMaps)]).toEqual([true, true, false]);
    expect([declared(mmapXA, truncateB, noneMaps), declared(mmapXA, reflinkBA, yMapsA), declared(mmapXA, reflinkBA, noneMaps)]).toEqual([true, true, false]);
    // Y's own mapping does not count for Y's munmap; what the wide declaration allows stays allowed; memory_failure() never.
    expect([declared({ kind: "munmap", proc: 1, file: 0 }, truncateA, yMapsA), declared(mmapXA, { kind: "fault", proc: 1, slot: 0 }, noneMaps), declared(mmapXA, { kind: "mf_kill_owner" }, yMapsA)]).toEqual([false, true, false]);
  });

  it("reaches every state at its breadth-first depth on random counter models, computing no more than the plain search", () => {
    const action = fc.record({ read: fc.nat(2), write: fc.nat(2), guard: fc.nat(2), add: fc.nat(2) });
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 5 }), (actions) => {
        const f = sleepPotential(counters(3, actions), keyOf, 1000);
        expect(f.statesWithSleep).toBe(f.states);
        expect(f.depthsDiffering).toBe(0);
        expect(f.computed).toBeLessThanOrEqual(f.enabled);
        const skipping = sleepPotential(counters(3, actions), keyOf, 1000, { reexplore: false });
        expect([skipping.statesWithSleep, skipping.depthsDiffering]).toEqual([f.states, 0]);
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
