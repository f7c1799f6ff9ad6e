/** The documented exit codes of daxmc. */
export const EXIT = {
  /** Every checked invariant holds (check), the matrix completed (matrix), the replayed trace no longer violates (replay). */
  ok: 0,
  /** A violation was found (check) or the replayed trace still violates its invariant (replay). */
  violation: 1,
  /** Bad input: unknown command, variant, invariant or preset, malformed option, unusable trace file. */
  badInput: 2,
  /** Incomplete: a limit (states, depth, time) stopped a search before every invariant was decided. */
  incomplete: 3,
  /** An internal error in daxmc or the model (EX_SOFTWARE). */
  internal: 70,
} as const;
