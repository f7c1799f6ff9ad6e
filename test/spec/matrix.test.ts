/**
 * Pinned state counts at the tiny preset (seconds); the default (small) matrix takes minutes, so
 * its verdicts are checked through docs/verdicts.md, which a test in test/cli/docs.test.ts proves
 * was written from today's spec.
 */
import { describe, expect, it } from "vitest";
import { search } from "../../src/engine/index.js";
import { compareExpected } from "../../src/report/agreement.js";
import { classify } from "../../src/report/verdicts.js";
import { PRESETS, VARIANTS, buildModel, expectedFor } from "../../spec/index.js";

describe("the tiny matrix: pinned state counts, and nothing that can arise at tiny disagrees with the expectations", () => {
  const pinned: Record<string, number> = { "v4.18": 34850, "reflink-singular": 516926, "v6.12": 299470, "v6.12-normap": 240442 };
  for (const v of VARIANTS) {
    it(`${v.id}: ${pinned[v.id]} states`, () => {
      const model = buildModel(v, PRESETS.tiny);
      const r = search(model, { stopWhenDecided: false });
      expect(r.status).toBe("complete");
      expect(r.stats.distinct).toBe(pinned[v.id]);
      const agreement = compareExpected(classify(model.properties, r.verdicts), (name) => expectedFor(v, name), false);
      expect(agreement.differences).toEqual([]);
    });
  }
});
