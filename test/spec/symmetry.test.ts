/**
 * The symmetry the spec declares is one: on states reached by random runs of every variant and
 * seeded bug, renaming blocks (and processes of the same kill setting) maps the successors to
 * the renamed successors and leaves every property's truth as it was. A step that picked "the
 * lowest free block", or an invariant about process X alone, fails here.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Encoder } from "../../src/core/encoder.js";
import type { Model } from "../../src/core/model.js";
import { renamingsOf } from "../../src/engine/symmetry.js";
import { MUTANTS, VARIANTS, buildModel, findVariant, mutantVariant, parseBounds, type DaxAction, type DaxState, type Variant } from "../../spec/index.js";
import { daxSymmetry, permuteInto, renaming } from "../../spec/symmetry.js";
import type { Layout } from "../../spec/state.js";

/** A small deterministic generator (mulberry32), so a failure names a reproducible walk. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function successors(m: Model<DaxState, DaxAction>, s: DaxState): string[] {
  const out: DaxAction[] = [];
  m.actions(s, out);
  return out.flatMap((a) => {
    const t = m.nextState(s, a);
    return t === undefined ? [] : [Buffer.from(t).toString("hex")];
  }).sort();
}

/** States met on `walks` random runs of up to `steps` steps. */
function sampleStates(m: Model<DaxState, DaxAction>, walks: number, steps: number, seed: number): DaxState[] {
  const next = rng(seed);
  const seen: DaxState[] = [];
  for (let w = 0; w < walks; w++) {
    let s = m.initStates()[0];
    for (let k = 0; k < steps; k++) {
      seen.push(s);
      const out: DaxAction[] = [];
      m.actions(s, out);
      const enabled = out.map((a) => m.nextState(s, a)).filter((t): t is DaxState => t !== undefined);
      if (enabled.length === 0) break;
      s = enabled[Math.floor(next() * enabled.length)];
    }
  }
  return seen;
}

/** The model of a variant at some bounds, with its layout and the spec's symmetry there. */
function setup(v: Variant, boundsText: string) {
  const bounds = parseBounds(boundsText);
  if (bounds._tag === "Left") throw new Error(boundsText);
  const m = buildModel(v, bounds.right);
  return { m, L: m.layout as Layout, sym: daxSymmetry(m.layout, bounds.right) };
}

function checkVariant(v: Variant, boundsText: string): number {
  const { m, L, sym } = setup(v, boundsText);
  const renamings = renamingsOf(sym).slice(1);
  let checked = 0;
  for (const s of sampleStates(m, 4, 25, 7)) {
    const own = successors(m, s);
    for (const [blk, proc] of renamings) {
      const ren = renaming(blk, proc);
      const r = new Uint8Array(L.size);
      permuteInto(L, s, ren, r);
      const renamedSuccessors = own.map((hex) => {
        const t = new Uint8Array(L.size);
        permuteInto(L, Uint8Array.from(Buffer.from(hex, "hex")), ren, t);
        return Buffer.from(t).toString("hex");
      }).sort();
      expect(successors(m, r), `${v.id}: successors of a renamed state`).toEqual(renamedSuccessors);
      for (const p of m.properties) {
        const truth = (x: DaxState): boolean => (p.kind === "deadlockFree" ? p.inFlight(x) : p.holds(x));
        expect(truth(r), `${v.id}: ${p.name} under renaming`).toBe(truth(s));
      }
      checked++;
    }
  }
  return checked;
}

/** At `boundsText`: a check that a state's canonical form is one of its renamings and the same for all of them. */
function canonicalCheck(v: Variant, boundsText: string) {
  const { m, L, sym } = setup(v, boundsText);
  const canonical = sym.encodeCanonical;
  if (canonical === undefined) throw new Error(`${boundsText}: no canonical form`);
  const renamings = renamingsOf(sym).map(([blk, proc]) => renaming(blk, proc));
  const hex = (s: DaxState): string => Buffer.from(s).toString("hex");
  const canon = (s: DaxState): string => {
    const e = new Encoder(64);
    // false: the state's own encoding is the canonical one, and nothing was written.
    if (!canonical(s, e)) return e.length === 0 ? hex(s) : "wrote bytes yet returned false";
    return Buffer.from(e.view()).toString("hex");
  };
  const check = (s: DaxState): void => {
    const renamed = renamings.map((r) => {
      const t = new Uint8Array(L.size);
      permuteInto(L, s, r, t);
      return t;
    });
    const c = canon(s);
    expect(renamed.map(hex), `${v.id}: the canonical form is a renaming of the state`).toContain(c);
    for (const t of renamed) expect(canon(t), `${v.id}: the same canonical form for every renaming`).toBe(c);
  };
  return { m, L, check };
}

/** On sampled states at `boundsText`: the canonical form is one renaming of the state, the same for every renaming. */
function checkCanonical(v: Variant, boundsText: string): number {
  const { m, check } = canonicalCheck(v, boundsText);
  let checked = 0;
  for (const s of sampleStates(m, 4, 25, 11)) {
    check(s);
    checked++;
  }
  return checked;
}

/**
 * Any state the layout can hold, reached or not: block references up to `blocks`, signal masks
 * over the blocks, the failure's consumer and mappers over the processes, anything small
 * elsewhere. Small ranges, so that blocks and processes often tie.
 */
function arbitraryState(L: Layout): fc.Arbitrary<DaxState> {
  const ranges = new Array<number>(L.size).fill(3);
  const set = (at: number, n: number, max: number): void => {
    for (let i = 0; i < n; i++) ranges[at + i] = max;
  };
  set(L.bmap, L.slots, L.blocks);
  set(L.entry, L.slots, L.blocks);
  set(L.pte, L.procs * L.slots, L.blocks);
  set(L.faultBlock, L.procs, L.blocks);
  set(L.mfBlock, 1, L.blocks);
  for (const at of [L.sigAR, L.sigAO, L.sigKill]) set(at, L.procs, (1 << L.blocks) - 1);
  set(L.mfConsumer, 1, L.procs);
  set(L.mfMappers, 1, (1 << L.procs) - 1);
  // Half the bytes 0, or four in five, so that blocks often tie on their pages and slots and only
  // PTEs or signals tell them apart.
  const states = (zeros: number) => {
    const byte = (max: number) => fc.oneof({ arbitrary: fc.constant(0), weight: zeros }, { arbitrary: fc.integer({ min: 0, max }), weight: 1 });
    return fc.tuple(...ranges.map(byte)).map((bytes) => Uint8Array.from(bytes));
  };
  return fc.oneof(states(1), states(4));
}

/** On arbitrary states at `boundsText`: the canonical form is one renaming of the state, the same for every renaming. */
function checkCanonicalAnywhere(boundsText: string): void {
  const { L, check } = canonicalCheck(VARIANTS[0], boundsText);
  fc.assert(
    fc.property(arbitraryState(L), (s) => {
      check(s);
    }),
    { numRuns: 300, seed: 13 },
  );
}

describe("the spec's symmetry", () => {
  it("has a canonical form (no renamings tried one by one) at every bounds", () => {
    for (const text of ["tiny", "full", "small,procs=3", "full,procs=3", "tiny,procs=4,early=2", "full,blocks=8,procs=4,early=0"]) {
      const b = parseBounds(text);
      if (b._tag === "Left") throw new Error(text);
      expect(daxSymmetry(buildModel(VARIANTS[0], b.right).layout, b.right).encodeCanonical, text).toBeDefined();
    }
  });

  for (const v of VARIANTS) {
    it(`has a canonical form that is the same for every renaming of a state: ${v.id}`, () => {
      expect(checkCanonical(v, "full,blocks=4,via=15")).toBeGreaterThan(50);
      // Like processes: each order of them, then blocks sorted, the least.
      expect(checkCanonical(v, "full,procs=3,via=15")).toBeGreaterThan(50);
      expect(checkCanonical(v, "tiny,blocks=3,procs=4,early=2,pins=1")).toBeGreaterThan(50);
    });
  }

  it("has a canonical form that is the same for every renaming of any state the layout holds, with like processes", () => {
    checkCanonicalAnywhere("full,procs=3,via=15");
    checkCanonicalAnywhere("tiny,blocks=3,procs=4,early=2");
    checkCanonicalAnywhere("tiny,blocks=3,procs=4,early=0,offsets=2");
    checkCanonicalAnywhere("full,blocks=4");
  });

  it("tells blocks apart by which like process was signalled for them, renamed with the processes", () => {
    // Blocks 0 and 1 differ only in that process 1 got SIGBUS for one and process 2 for the other;
    // processes 1 and 2 (both late-kill) differ in their VMAs, so one order sorts them.
    const { L, check } = canonicalCheck(VARIANTS[0], "full,procs=3,via=15");
    const s = new Uint8Array(L.size);
    s[L.sigAR + 1] = 0b01;
    s[L.sigAR + 2] = 0b10;
    s[L.vmas + 1] = 1;
    check(s);
  });

  it("has 12 renamings with three blocks and two late-kill processes", () => {
    const b = parseBounds("full,procs=3");
    if (b._tag === "Left") throw new Error("bounds");
    const m = buildModel(VARIANTS[0], b.right);
    expect(renamingsOf(daxSymmetry(m.layout, b.right)).length).toBe(12);
  });

  for (const v of VARIANTS) {
    it(`maps runs to runs and keeps every property: ${v.id}`, () => {
      expect(checkVariant(v, "full,procs=3")).toBeGreaterThan(300);
    });
  }

  it("maps runs to runs in every seeded bug", () => {
    for (const mt of MUTANTS) {
      const base = findVariant(mt.variant);
      if (base === undefined) throw new Error(`mutant ${mt.id}: no variant ${mt.variant}`);
      expect(checkVariant(mutantVariant(base, mt), "full,procs=3,via=15"), mt.id).toBeGreaterThan(300);
    }
  });
});
