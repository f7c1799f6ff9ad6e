/** Pinned state counts and the shortest counterexample of each expected violation, per variant. */
import { describe, expect, it } from "vitest";
import type { SearchResult } from "../../src/core/result.js";
import { replayLabels, search } from "../../src/engine/index.js";
import { compareExpected } from "../../src/report/agreement.js";
import { classify, violatedBy } from "../../src/report/verdicts.js";
import { PRESETS, VARIANTS, buildModel, expectedFails, expectedFor, findVariant } from "../../spec/index.js";
import type { Bounds } from "../../spec/index.js";

function check(variant: string, bounds: Bounds, invariant?: string) {
  const m = buildModel(findVariant(variant)!, bounds);
  return search(m, invariant ? { properties: [invariant] } : { stopWhenDecided: false });
}

/** A result without what differs from run to run (times, bytes) or with sleep sets (`slept`). */
function withoutTimes(r: SearchResult): unknown {
  const { elapsedMs: _e, statesPerSecond: _s, visitedBytes: _v, slept: _z, ...stats } = r.stats;
  return { ...r, stats };
}

/** Distinct states at tiny up to renaming blocks and like processes (symmetry on): about half, the two blocks being alike. */
const FOLDED: Record<string, number> = {
  "v4.18": 25229,
  "v4.19.0": 51877,
  "whole-mapping": 14331,
  "whole-mapping-reflink": 208331,
  "reflink-singular": 345319,
  "v6.1": 277565,
  "v6.1-normap": 345319,
  "v6.12": 151195,
  "v6.12-normap": 149197,
  "v6.15": 127391,
  "v6.15-normap": 131661,
  "upstream": 127391,
  "upstream-normap": 110989,
};

describe("pinned distinct-state counts at the tiny preset", () => {
  const pinned: Record<string, number> = {
    "v4.18": 47018,
    "v4.19.0": 97210,
    "whole-mapping": 26606,
    "whole-mapping-reflink": 414494,
    "reflink-singular": 687086,
    "v6.1": 552098,
    "v6.1-normap": 687086,
    "v6.12": 299470,
    "v6.12-normap": 294954,
    "v6.15": 252870,
    "v6.15-normap": 261022,
    "upstream": 252870,
    "upstream-normap": 220142,
  };
  it("covers every variant", () => {
    expect(Object.keys(pinned).sort()).toEqual(VARIANTS.map((v) => v.id).sort());
  });
  // One search per variant gives both the count and the tiny matrix against the expectations
  // (the default matrix takes minutes: its verdicts are checked through docs/verdicts.md, which
  // test/cli/docs.test.ts proves was written from today's spec).
  for (const [id, count] of Object.entries(pinned)) {
    it(`${id}: ${count} states, and nothing that can arise at tiny disagrees with the expectations`, () => {
      const v = findVariant(id)!;
      const model = buildModel(v, PRESETS.tiny);
      const r = search(model, { stopWhenDecided: false });
      expect(r.status).toBe("complete");
      expect(r.stats.distinct).toBe(count);
      const agreement = compareExpected(classify(model.properties, r.verdicts), (name) => expectedFor(v, name), false);
      expect(agreement.differences).toEqual([]);
      // Symmetry reduction (spec/symmetry.ts) and sleep sets (spec/independence.ts), as `check`
      // searches by default, must not change a verdict or a shortest length; nor the count of
      // states up to renaming, as sleep sets skip successors, not states. (That they keep every
      // path too is checked at small, below.)
      const reduced = search(model, { stopWhenDecided: false, symmetry: true, por: true });
      const outcome = (x: typeof r): string[] => x.verdicts.map((d) => `${d.name} ${d.kind} ${"path" in d ? d.path.steps.length : ""}`);
      expect(outcome(reduced)).toEqual(outcome(r));
      expect(reduced.stats.distinct).toBe(FOLDED[id]);
      expect(reduced.stats.generated).toBeLessThan(r.stats.generated);
      expect(reduced.stats.slept).toBeGreaterThan(reduced.stats.generated / 10);
    });
  }
});

/** The shortest counterexample, at the small preset, of every failure a variant's expectations name. */
const SHORTEST: Record<string, Record<string, string[]>> = {
  "v4.18": {
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
  },
  "v4.19.0": {
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_oops: ["scrub(p1)", "mf_lock"],
    no_spurious_signal: ["mmap(Y,A)", "fault(X,A[0])", "scrub(p1)", "mf_lock", "mf_kill"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
  },
  "whole-mapping": {
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
  },
  "whole-mapping-reflink": {
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_warn_associate: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
    no_warn_disassociate: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])", "reflink(B->A)"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
    owner_lookup_complete: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
    poison_reaches_every_mapping: ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])", "scrub(p1)", "mf_lock"],
    signalled_pte_gone: ["mmap(X,B)", "reflink(A->B)", "fault(X,A[0])", "fault(X,B[0])", "scrub(p1)", "mf_lock"],
    sole_owner_exact: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
  },
  "reflink-singular": {
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_oops: ["fault(X,A[0])", "munmap(X,A)", "reflink(A->B)", "fault(Y,B[0])", "scrub(p1)", "mf_lock", "evict(A)", "mf_kill", "mf_unlock"],
    no_warn_associate: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
    no_warn_disassociate: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])", "reflink(B->A)"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
    owner_lookup_complete: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
    poison_reaches_every_mapping: ["fault(X,A[0])", "munmap(X,A)", "reflink(A->B)", "fault(Y,B[0])", "evict(A)", "consume(Y,B[0])", "mf_lock"],
    signalled_pte_gone: ["mmap(X,B)", "reflink(A->B)", "fault(X,A[0])", "fault(X,B[0])", "scrub(p1)", "mf_lock", "mf_kill", "mf_unlock"],
    sole_owner_exact: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
  },
  "v6.1": {
    clean_when_unowned: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "cow_end(X)", "reflink(B->A)"],
    entry_matches_extent: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)"],
    no_deadlock: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "mf_query_rmap"],
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_stuck_state: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_fault(Y,B[0])", "scrub(p1)", "mf_query_rmap"],
    no_warn_associate: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
    no_warn_disassociate: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])", "reflink(B->A)"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
    owner_lookup_complete: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)"],
    poison_reaches_every_mapping: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "scrub(p2)", "mf_query_rmap"],
    share_count_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)", "reflink(A->B)", "cow_fault(Y,B[0])", "cow_alloc(Y,p2)"],
    sole_owner_exact: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
  },
  "v6.1-normap": {
    clean_when_unowned: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "cow_end(X)", "reflink(B->A)"],
    entry_matches_extent: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)"],
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_oops: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "scrub(p2)", "mf_lock"],
    no_warn_associate: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
    no_warn_disassociate: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])", "reflink(B->A)"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
    owner_lookup_complete: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
    poison_reaches_every_mapping: ["fault(X,A[0])", "munmap(X,A)", "reflink(A->B)", "fault(Y,B[0])", "evict(A)", "consume(Y,B[0])", "mf_lock"],
    share_count_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)", "reflink(A->B)", "cow_fault(Y,B[0])", "cow_alloc(Y,p2)"],
    signalled_pte_gone: ["mmap(X,B)", "reflink(A->B)", "fault(X,A[0])", "fault(X,B[0])", "scrub(p1)", "mf_lock", "mf_kill", "mf_unlock"],
    sole_owner_exact: ["fault(X,A[0])", "reflink(A->B)", "fault(Y,B[0])"],
  },
  "v6.12": {
    entry_matches_extent: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)"],
    no_deadlock: ["reflink(A->B)", "fault(X,A[0])", "scrub(p1)", "mf_query_rmap"],
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_stuck_state: ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])", "scrub(p1)", "mf_query_rmap"],
    no_warn_associate: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
    no_warn_disassociate: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)", "reflink(B->A)"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
    owner_lookup_complete: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)"],
    poison_reaches_every_mapping: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "scrub(p2)", "mf_query_rmap"],
    share_count_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)", "reflink(A->B)", "cow_fault(Y,B[0])", "cow_alloc(Y,p2)"],
    sole_owner_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
  },
  "v6.12-normap": {
    entry_matches_extent: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)"],
    no_free_while_pinned: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)", "inodegc(A)"],
    no_oops: ["reflink(A->B)", "fault(X,A[0])", "fault_map(X)", "scrub(p1)", "mf_lock"],
    no_warn_associate: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
    no_warn_disassociate: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)", "reflink(B->A)"],
    no_warn_truncate_busy: ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "evict(A)"],
    owner_lookup_complete: ["reflink(A->B)", "fault(X,A[0])", "fault_map(X)"],
    share_count_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)", "reflink(A->B)", "cow_fault(Y,B[0])", "cow_alloc(Y,p2)"],
    sole_owner_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
  },
  "v6.15": {
    entry_matches_extent: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)"],
    no_deadlock: ["reflink(A->B)", "fault(X,A[0])", "scrub(p1)", "mf_query_rmap"],
    no_free_while_pinned: ["reflink(A->B)", "fault(X,A[0])", "fault_map(X)", "cow_fault(X,A[0])", "pin(X,A[0])", "cow_alloc(X,p2)", "cow_end(X)", "reflink(A->B)"],
    no_stuck_state: ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])", "scrub(p1)", "mf_query_rmap"],
    no_warn_associate: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
    owner_lookup_complete: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)"],
    poison_reaches_every_mapping: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "scrub(p2)", "mf_query_rmap"],
    sole_owner_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
  },
  "v6.15-normap": {
    entry_matches_extent: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)"],
    no_free_while_pinned: ["reflink(A->B)", "fault(X,A[0])", "fault_map(X)", "cow_fault(X,A[0])", "pin(X,A[0])", "cow_alloc(X,p2)", "cow_end(X)", "reflink(A->B)"],
    no_warn_associate: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
    owner_lookup_complete: ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])", "fault_map(X)", "fault_map(Y)"],
    poison_reaches_every_mapping: ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])", "fault_map(X)", "fault_map(Y)", "scrub(p1)", "mf_lock"],
    sole_owner_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
  },
  "upstream": {
    entry_matches_extent: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)"],
    no_deadlock: ["reflink(A->B)", "fault(X,A[0])", "scrub(p1)", "mf_query_rmap"],
    no_free_while_pinned: ["reflink(A->B)", "fault(X,A[0])", "fault_map(X)", "cow_fault(X,A[0])", "pin(X,A[0])", "cow_alloc(X,p2)", "cow_end(X)", "reflink(A->B)"],
    no_stuck_state: ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])", "scrub(p1)", "mf_query_rmap"],
    no_warn_associate: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
    owner_lookup_complete: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)"],
    poison_reaches_every_mapping: ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "scrub(p2)", "mf_query_rmap"],
    sole_owner_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
  },
  "upstream-normap": {
    entry_matches_extent: ["reflink(A->B)", "cow_fault(X,A[0])", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)"],
    no_free_while_pinned: ["reflink(A->B)", "fault(X,A[0])", "fault_map(X)", "cow_fault(X,A[0])", "pin(X,A[0])", "cow_alloc(X,p2)", "cow_end(X)", "reflink(A->B)"],
    no_warn_associate: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
    owner_lookup_complete: ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])", "fault_map(X)", "fault_map(Y)"],
    poison_reaches_every_mapping: ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])", "fault_map(X)", "fault_map(Y)", "scrub(p1)", "mf_lock"],
    sole_owner_exact: ["reflink(A->B)", "cow_fault(X,A[0])", "truncate_begin(B)", "truncate_delete", "scrub(p1)", "cow_alloc(X,p2)", "cow_end(X)", "truncate_free", "alloc(Y,B[0])", "alloc_map(Y,p2)"],
  },
};

/** Paths up to this many steps are also checked to be the shortest by a search; longer ones by the saved counterexamples (npm start). */
const SEARCHED_UP_TO = 6;

describe("a counterexample of every expected failure (small preset)", () => {
  for (const v of VARIANTS) {
    it(`${v.id}: the table covers exactly the expected failures`, () => {
      expect(Object.keys(SHORTEST[v.id]).sort()).toEqual([...expectedFails(v)].sort());
    });
    for (const [invariant, path] of Object.entries(SHORTEST[v.id])) {
      it(`${v.id} violates ${invariant} along its ${path.length}-step path${path.length <= SEARCHED_UP_TO ? ", the shortest" : ""}`, () => {
        const model = buildModel(findVariant(v.id)!, PRESETS.small);
        const replayed = replayLabels(model, 0, path);
        expect(replayed.ok).toBe(true);
        if (replayed.ok) expect(violatedBy(model, invariant, replayed.states[replayed.states.length - 1])).toBe(true);
        if (path.length > SEARCHED_UP_TO) return;
        const verdict = check(v.id, PRESETS.small, invariant).verdicts.find((x) => x.name === invariant);
        expect(verdict?.kind).toBe("violated");
        if (verdict?.kind === "violated") expect(verdict.path.labels).toEqual(path);
      });
    }
  }
  it("reflink-singular also fails the seed's invariants at tiny, where there are no pins", () => {
    const r = check("reflink-singular", PRESETS.tiny, "no_warn_associate");
    expect(r.verdicts[0]).toMatchObject({ kind: "violated", path: { labels: SHORTEST["reflink-singular"].no_warn_associate } });
  });
});

describe("sleep sets at the small preset", () => {
  // The whole small matrix takes minutes (npm start, whose docs/verdicts.md test/cli/docs.test.ts
  // checks); here every variant's first 20,000 states, whose verdicts and paths are decided alike.
  for (const v of VARIANTS) {
    it(`${v.id}: the same verdicts, paths and counts with and without them, over the first 20,000 states`, () => {
      const model = buildModel(v, PRESETS.small);
      const options = { stopWhenDecided: false, symmetry: true, maxStates: 20_000 };
      const plain = search(model, options);
      const reduced = search(model, { ...options, por: true });
      expect(withoutTimes(reduced)).toEqual(withoutTimes(plain));
      expect(reduced.stats.slept).toBeGreaterThan(0);
    });
  }
});

describe("invariants that hold", () => {
  it("v4.18 at tiny: every invariant holds, and the seed's situations never arise (reflink refused)", () => {
    const r = check("v4.18", PRESETS.tiny);
    const byName = new Map(r.verdicts.map((x) => [x.name, x.kind]));
    for (const inv of ["no_oops", "no_warn_associate", "owner_lookup_complete", "poison_reaches_every_mapping", "no_deadlock", "no_stuck_state"]) {
      expect(byName.get(inv)).toBe("holds");
    }
    expect(byName.get("owned_page_reachable_twice")).toBe("unreached");
    expect(byName.get("failure_looks_up_mapped_page")).toBe("reached");
  });
  it("v6.12 at tiny (no CoW): only the read-fault deadlock fails; the pin situation (no pins at tiny), a stale PTE and a re-read unlock never arise", () => {
    const r = check("v6.12", PRESETS.tiny);
    const notOk = r.verdicts.filter((x) => x.kind === "violated" || x.kind === "unreached").map((x) => x.name);
    // mapping_moved_under_failure: the rmap walk unlocks with the mapping and index it was given (mf_dax_kill_procs), nothing re-read
    expect(notOk).toEqual(["no_deadlock", "no_stuck_state", "pinned_page_of_releasable_file", "pte_disagrees_with_entry", "mapping_moved_under_failure"]);
    const deadlock = r.verdicts.find((x) => x.name === "no_deadlock");
    expect(deadlock).toMatchObject({ kind: "violated", path: { labels: ["reflink(A->B)", "fault(X,A[0])", "scrub(p1)", "mf_query_rmap"] } });
  });
  it("v6.12-normap at tiny: the same read faults are split, but nothing holds the AGF across steps, so no deadlock", () => {
    const r = check("v6.12-normap", PRESETS.tiny);
    const byName = new Map(r.verdicts.map((x) => [x.name, x.kind]));
    expect(byName.get("no_deadlock")).toBe("holds");
    expect(byName.get("no_stuck_state")).toBe("holds");
  });
});
