/**
 * The tiny matrix against the expectations (state counts are pinned in model.test.ts); the
 * default (small) matrix takes minutes, so its verdicts are checked through docs/verdicts.md,
 * which a test in test/cli/docs.test.ts proves was written from today's spec.
 */
import { describe, expect, it } from "vitest";
import { search } from "../../src/engine/index.js";
import { compareExpected } from "../../src/report/agreement.js";
import { classify } from "../../src/report/verdicts.js";
import { PRESETS, VARIANTS, buildModel, expectedFor } from "../../spec/index.js";

describe("the tiny matrix: nothing that can arise at tiny disagrees with the expectations", () => {
  for (const v of VARIANTS) {
    it(v.id, () => {
      const model = buildModel(v, PRESETS.tiny);
      const r = search(model, { stopWhenDecided: false });
      expect(r.status).toBe("complete");
      const agreement = compareExpected(classify(model.properties, r.verdicts), (name) => expectedFor(v, name), false);
      expect(agreement.differences).toEqual([]);
    });
  }
});
