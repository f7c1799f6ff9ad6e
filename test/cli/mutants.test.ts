import { describe, expect, it } from "vitest";
import { search } from "../../src/engine/index.js";
import { catches } from "../../src/cli/mutants.js";
import { MUTANTS, PRESETS, buildModel, findVariant } from "../../spec/index.js";
import { daxmc } from "./run.js";

describe("daxmc mutants", () => {
  it("at tiny bounds catches every seeded bug, each by the invariant its kernel bug breaks", async () => {
    const r = await daxmc(["mutants", "--bounds", "tiny", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const byVerdict = Object.fromEntries(
      doc.mutants.map((m: { id: string; caughtBy: { invariant: string; how: string; steps?: number }[] }) => [
        m.id,
        m.caughtBy.filter((c) => c.how === "verdict").map((c) => `${c.invariant} ${c.steps}`),
      ]),
    );
    expect(byVerdict).toEqual({
      "lock-without-null-check": ["no_oops 2"],
      "share-put-post-decrement": ["no_warn_associate 8", "clean_when_unowned 4"],
      "signal-only-current": ["poison_reaches_every_mapping 4"],
      "free-before-delete": [
        "no_warn_associate 5", "no_warn_disassociate 6", "owner_lookup_complete 3", "share_count_exact 9", "entry_matches_extent 3", "sole_owner_exact 5",
      ],
      "drop-rmap-walk": ["no_oops 5", "owner_lookup_complete 3", "no_deadlock undefined", "no_stuck_state undefined"],
      "no-recheck-after-sleep": [],
      "busy-scan-skips-unmapped": [],
      "busy-scan-skips-locked": [],
    });
    const byCount = Object.fromEntries(
      doc.mutants.map((m: { id: string; caughtBy: { invariant: string; how: string }[] }) => [
        m.id,
        m.caughtBy.filter((c) => c.how === "count").map((c) => c.invariant),
      ]),
    );
    // At tiny (no pins, no CoW) these three show only as more or fewer states violating an invariant.
    expect(byCount["no-recheck-after-sleep"]).toEqual(["no_oops", "owner_lookup_complete"]);
    expect(byCount["busy-scan-skips-unmapped"]).toEqual(["no_deadlock", "no_stuck_state"]);
    expect(byCount["busy-scan-skips-locked"]).toEqual(["owner_lookup_complete"]);
    expect(doc.mutants).toHaveLength(MUTANTS.length);
  });

  it("a mutant that changes nothing is not caught, and one that only changes how many states violate is", () => {
    // Symmetry and sleep sets only make the two searches quicker: both sides are counted alike.
    const options = { countStates: true, symmetry: true, por: true };
    const base = search(buildModel(findVariant("v6.12")!, PRESETS.tiny), options);
    expect(catches(base, search(buildModel(findVariant("v6.12")!, PRESETS.tiny), options))).toEqual([]);
    const path = { init: 0, steps: [0, 1, 2, 3], labels: ["a", "b", "c", "d"] };
    const withViolation = (states: number) => ({
      ...base,
      verdicts: base.verdicts.map((v) => (v.name === "no_oops" ? { kind: "violated" as const, name: v.name, path } : v)),
      stateCounts: { ...base.stateCounts, no_oops: states },
    });
    expect(catches(withViolation(10), withViolation(12))).toEqual([
      { invariant: "no_oops", how: "count", before: "VIOLATED 4 (10 states)", after: "VIOLATED 4 (12 states)", steps: 4 },
    ]);
    expect(catches(base, withViolation(3))).toEqual([{ invariant: "no_oops", how: "verdict", before: "holds", after: "VIOLATED 4 (3 states)", steps: 4 }]);
  });
});
