import { describe, expect, it } from "vitest";
import { type PorSubject, porPotential } from "../../bench/por-potential.js";

/** A state of the toy models: two small counters. */
type XY = readonly [number, number];

/**
 * Two counters, each set once: `setX` (x 0 -> 1) and `setY` (y 0 -> 1) commute; with `spoilX`
 * (x 0 -> 2) too, `setX` and `spoilX` disable each other. The properties read x <= 1 and y = 1.
 */
function toy(withSpoil: boolean): PorSubject {
  const kinds = withSpoil ? ["setX", "setY", "spoilX"] : ["setX", "setY"];
  return {
    initStates: () => [[0, 0] as XY],
    actions: (_s, out) => out.push(...kinds),
    nextState: (s, a) => {
      const [x, y] = s as XY;
      if (a === "setX") return x === 0 ? [1, y] : undefined;
      if (a === "setY") return y === 0 ? [x, 1] : undefined;
      return x === 0 ? [2, y] : undefined;
    },
    actionKind: (a) => kinds.indexOf(a as string),
    actionKinds: kinds,
    properties: [
      { kind: "always", holds: (s) => (s as XY)[0] <= 1 },
      { kind: "sometimes", holds: (s) => (s as XY)[1] === 1 },
    ],
  };
}

const keyOf = (s: unknown): string => (s as XY).join(",");

describe("porPotential", () => {
  it("counts a state whose invisible action commutes with every other enabled one, and only such states", () => {
    // (0,0): setX invisible and commuting with setY, so one successor instead of two; (1,0), (0,1): one action each; (1,1): none.
    expect(porPotential(toy(false), keyOf, 100)).toEqual({
      states: 4,
      branching: 4,
      reducible: 1,
      keptIfReduced: 3,
      kinds: [
        { fired: 2, visible: 0, commutesWithAll: 2, passedLookahead: 2 },
        { fired: 2, visible: 2, commutesWithAll: 2, passedLookahead: 0 },
      ],
      lookahead: [{ reducible: 1, keptIfReduced: 3 }],
      blockers: new Map(),
    });
  });

  it("does not count a state where the invisible action disables another, or stops at the count", () => {
    // (0,0): setX and spoilX disable each other, setY is visible: nothing reduces there.
    const figures = porPotential(toy(true), keyOf, 100);
    expect([figures.states, figures.branching, figures.reducible, figures.keptIfReduced]).toEqual([6, 7, 0, 7]);
    // setX never commutes with spoilX (each disables the other); setY commutes with both, alone at (1,0) and (2,0).
    expect(figures.kinds.map((k) => [k.fired, k.visible, k.commutesWithAll])).toEqual([
      [2, 0, 0],
      [3, 3, 3],
      [2, 2, 0],
    ]);
    expect(porPotential(toy(true), keyOf, 2).states).toBe(2);
  });

  it("drops a state from the bound once a lookahead meets an action the chosen one does not commute with", () => {
    // At (0,0) setX commutes with stepY, but after stepY spoilX is enabled, and it disables setX: fine at lookahead 0, not at 1.
    const later: PorSubject = {
      initStates: () => [[0, 0] as XY],
      actions: (_s, out) => out.push("setX", "stepY", "spoilX"),
      nextState: (s, a) => {
        const [x, y] = s as XY;
        if (a === "setX") return x === 0 ? [1, y] : undefined;
        if (a === "stepY") return y === 0 ? [x, 1] : undefined;
        return x === 0 && y === 1 ? [2, y] : undefined;
      },
      actionKind: (a) => ["setX", "stepY", "spoilX"].indexOf(a as string),
      actionKinds: ["setX", "stepY", "spoilX"],
      properties: [{ kind: "sometimes", holds: (s) => (s as XY)[1] === 1 }],
    };
    // States (0,0), (1,0), (0,1), (1,1), (2,1); only (0,0) and (0,1) have two actions, and at (0,1) setX and spoilX disable each other.
    const figures = porPotential(later, keyOf, 100, 2);
    // Enabled: two at (0,0), one at (1,0), two at (0,1); spoilX at (0,1) is invisible but disables setX.
    expect([figures.states, figures.branching]).toEqual([5, 5]);
    expect(figures.lookahead).toEqual([
      { reducible: 1, keptIfReduced: 4 },
      { reducible: 0, keptIfReduced: 5 },
      { reducible: 0, keptIfReduced: 5 },
    ]);
    expect([figures.reducible, figures.keptIfReduced]).toEqual([1, 4]);
    expect(figures.kinds.map((k) => [k.commutesWithAll, k.passedLookahead])).toEqual([
      [1, 0],
      [2, 0],
      [0, 0],
    ]);
    // What broke setX's lookahead: spoilX, enabled after stepY, which it does not commute with.
    expect(figures.blockers).toEqual(new Map([["setX", new Map([["spoilX", 1]])]]));
  });
});
