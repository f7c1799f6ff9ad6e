/**
 * Symmetry reduction: the fingerprint of a state is that of the smallest encoding (shortest,
 * then bytewise) among the renamings the model declares, so states that differ only by such a
 * renaming share one fingerprint. The frontier still gets the state's own encoding, so every
 * path the search records replays to the states it expanded.
 */
import { Encoder } from "../core/encoder.js";
import type { Model, Symmetry } from "../core/model.js";
import { permutationsOf } from "../core/permutations.js";
import { fingerprint, fingerprintWords } from "./fingerprint.js";

/** Most renamings tried per state: a larger group is a bounds mistake, not a plan (8 blocks alone are 40,320). */
export const MAX_RENAMINGS = 5040;

/** Encodes a state and fingerprints it, through the canonical renaming when symmetry is on. */
export class StateKey<S> {
  /** Every renaming but the identity, as the model prepared them; none when the model has a canonical form. */
  private readonly renamings: readonly unknown[];
  /** The model's own canonical form, used instead of trying every renaming. */
  private readonly canonical: ((state: S, out: Encoder) => boolean) | undefined;
  /** How many renamings a state is compared under, the identity included (1: no reduction). */
  readonly groupSize: number;
  private readonly scratch = new Encoder(256);
  private readonly best = new Encoder(256);
  /** Where fingerprintOwn copies a state's bytes to try renamings against. */
  private readonly own = new Encoder(256);

  constructor(
    private readonly model: Model<S, unknown>,
    reduce: boolean,
  ) {
    const sym = reduce ? model.symmetry : undefined;
    // A canonical form tries no renaming, so only listing them is bounded by MAX_RENAMINGS.
    this.groupSize = sym === undefined ? 1 : sym.encodeCanonical === undefined ? checkedGroupSize(sym) : checkedDimensions(sym);
    this.canonical = this.groupSize === 1 ? undefined : sym?.encodeCanonical?.bind(sym);
    // The renamings are listed and prepared only when they will be tried.
    const tried = sym !== undefined && this.groupSize > 1 && this.canonical === undefined;
    this.renamings = tried ? renamingsOf(sym).slice(1).map((perms) => sym.prepare(perms)) : [];
  }

  /**
   * The (canonical) fingerprint of `state`, whose own encoding is `bytes` (the model's
   * ownEncoding), into `fp`, copying the bytes only when renamings are tried one by one.
   * `words`, when given, are the whole words of `bytes`, read instead of its bytes.
   */
  fingerprintOwn(state: S, bytes: Uint8Array, fp: Uint32Array, words?: Uint32Array): void {
    if (this.renamings.length === 0) this.fingerprintAsIs(state, bytes, bytes.length, fp, words);
    else this.encode(state, this.own, fp);
  }

  /** Writes `state`'s own encoding into `out` and its (canonical) fingerprint into `fp`. */
  encode(state: S, out: Encoder, fp: Uint32Array): void {
    out.reset();
    this.model.encode(state, out);
    if (this.renamings.length === 0) {
      this.fingerprintAsIs(state, out.buffer, out.length, fp, out.words);
      return;
    }
    const sym = this.model.symmetry as Symmetry<S>;
    const renamings = this.renamings;
    let best: Encoder = out;
    let spare = this.scratch;
    for (let r = 0; r < renamings.length; r++) {
      spare.reset();
      sym.encodePermuted(state, renamings[r], spare);
      if (compareBytes(spare, best) < 0) {
        const was = best;
        best = spare;
        spare = was === out ? this.best : was;
      }
    }
    fingerprintWords(best.buffer, best.words, fp, best.length);
  }

  /** With no renamings to try: the fingerprint of `bytes[0..length)` (whole words `words`, if given), `state`'s own encoding, or of the model's canonical form. */
  private fingerprintAsIs(state: S, bytes: Uint8Array, length: number, fp: Uint32Array, words: Uint32Array | undefined): void {
    if (this.canonical !== undefined) {
      const canon = this.scratch;
      canon.reset();
      if (this.canonical(state, canon)) {
        fingerprintWords(canon.buffer, canon.words, fp, canon.length);
        return;
      }
    }
    if (words === undefined) fingerprint(bytes, fp, length);
    else fingerprintWords(bytes, words, fp, length);
  }
}

/** Shorter first, then bytewise: a total order on encodings. */
function compareBytes(a: Encoder, b: Encoder): number {
  const n = a.length;
  if (n !== b.length) return n - b.length;
  const x = a.buffer;
  const y = b.buffer;
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** How many renamings the symmetry allows, without listing them: the product of the classes' factorials. */
export function groupSizeOf<S>(sym: Symmetry<S>): number {
  let n = 1;
  for (const dim of sym.dimensions) for (const members of dim.classes) for (let k = 2; k <= members.length; k++) n *= k;
  return n;
}

/** The group's size, after checking every dimension's classes. */
function checkedDimensions<S>(sym: Symmetry<S>): number {
  for (const dim of sym.dimensions) checkDimension(dim);
  return groupSizeOf(sym);
}

/** The group's size, after checking every dimension's classes and that it is at most MAX_RENAMINGS. */
function checkedGroupSize<S>(sym: Symmetry<S>): number {
  const n = checkedDimensions(sym);
  if (n > MAX_RENAMINGS) {
    throw new RangeError(`symmetry: more than ${MAX_RENAMINGS} renamings (${sym.dimensions.map((d) => d.name).join(", ")})`);
  }
  return n;
}

/** Every renaming the symmetry allows (the identity first): per dimension, any permutation within each class. */
export function renamingsOf<S>(sym: Symmetry<S>): Uint8Array[][] {
  checkedGroupSize(sym);
  let all: Uint8Array[][] = [[]];
  for (const dim of sym.dimensions) {
    const perms = permutationsOf(dim.size, dim.classes);
    const next: Uint8Array[][] = [];
    for (const prefix of all) for (const perm of perms) next.push([...prefix, perm]);
    all = next;
  }
  return all;
}

/** Throws unless the classes are disjoint indices below `size` (at most 256, a byte each). */
function checkDimension(dim: Symmetry<unknown>["dimensions"][number]): void {
  if (!(Number.isInteger(dim.size) && dim.size >= 0 && dim.size <= 256)) throw new RangeError(`symmetry: ${dim.name} size ${dim.size} must be 0..256`);
  const seen = new Set<number>();
  for (const members of dim.classes) {
    for (const m of members) {
      if (!(Number.isInteger(m) && m >= 0 && m < dim.size) || seen.has(m)) {
        throw new RangeError(`symmetry: ${dim.name} classes must be disjoint indices below ${dim.size}, got ${m}`);
      }
      seen.add(m);
    }
  }
}
