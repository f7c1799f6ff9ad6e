/** A tiny counter model for report and trace tests: no domain nouns, just numbers. */
import type { Encoder } from "../../src/core/encoder.js";
import type { Model } from "../../src/core/model.js";

/** Actions: 0 increments (while below `top`), 1 resets to 0 (from 1 only). */
export type ToyAction = 0 | 1;

/** Property names of the toy model. */
export const TOY = {
  below: "below-top",
  reachTop: "reach-top",
  nonNegative: "non-negative",
  reachNever: "reach-never",
  noStuck: "no-stuck",
} as const;

/** Counts 0..top; at `top` nothing is enabled and the state is "in flight", so no-stuck fails there. */
export function toyModel(top = 3): Model<number, ToyAction> {
  return {
    initStates: () => [0],
    actions(_n, out) {
      out.push(0, 1);
    },
    nextState(n, a) {
      if (a === 0) return n < top ? n + 1 : undefined;
      return n === 1 ? 0 : undefined;
    },
    encode(n, enc: Encoder) {
      enc.u32(n);
    },
    decode(bytes) {
      return (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
    },
    properties: [
      { kind: "always", name: TOY.below, description: "the counter stays below the top", partner: TOY.reachTop, holds: (n) => n < top },
      { kind: "always", name: TOY.nonNegative, description: "the counter is never negative", partner: TOY.reachNever, holds: (n) => n >= 0 },
      { kind: "deadlockFree", name: TOY.noStuck, description: "something can always happen", partner: TOY.reachTop, inFlight: () => true },
      { kind: "sometimes", name: TOY.reachTop, description: "the counter reaches the top", holds: (n) => n === top },
      { kind: "sometimes", name: TOY.reachNever, description: "the counter goes negative", holds: (n) => n < 0 },
    ],
    actionLabel: (a) => (a === 0 ? "inc" : "reset"),
    actionKind: (a) => a,
    actionKinds: ["inc", "reset"],
    view: (n) => ({ counter: { value: n, even: n % 2 === 0 }, seen: Array.from({ length: n }, (_, i) => `v${i}`) }),
    describeAction: (a) => (a === 0 ? "add one" : "back to zero"),
  };
}
