/** The default matrix (what npm start prints): pinned state counts and verdicts at the small preset. */
import { describe, expect, it } from "vitest";
import { search } from "../../src/engine/index.js";
import { PRESETS, VARIANTS, buildModel } from "../../spec/index.js";

describe("the default matrix (small preset): pinned state counts, and every variant agrees with its expectations", () => {
  const pinned: Record<string, number> = { "v4.18": 457254, "reflink-singular": 6672194, "v6.12": 14709821, "v6.12-normap": 10596869 };
  for (const v of VARIANTS) {
    it(`${v.id}: ${pinned[v.id]} states; violated exactly ${v.expected.fails.length} invariants`, () => {
      const r = search(buildModel(v, PRESETS.small), { stopWhenDecided: false });
      expect(r.status).toBe("complete");
      expect(r.stats.distinct).toBe(pinned[v.id]);
      const violated = r.verdicts.filter((x) => x.kind === "violated").map((x) => x.name).sort();
      expect(violated).toEqual([...v.expected.fails].sort());
    }, 600_000);
  }
});
