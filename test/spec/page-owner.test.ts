/** dax_associate_entry / dax_disassociate_entry, per ownership flavour, on hand-built pages. */
import { describe, expect, it } from "vitest";
import { PRESETS, findVariant } from "../../spec/index.js";
import { associate, disassociate } from "../../spec/page-owner.js";
import { Layout, MAPPING_NONE, MAPPING_SHARED, OUT } from "../../spec/state.js";

const L = new Layout(PRESETS.small);
const singular = findVariant("v4.18")!;
const share = findVariant("v6.12")!;
const page = (s: Uint8Array) => ({ mapping: s[L.pageMapping], index: s[L.pageIndex], out: s[L.outcome] });

describe("singular page->mapping (4.18)", () => {
  it("associates, then WARNs and overwrites when a second file faults the page", () => {
    const s = new Uint8Array(L.size);
    associate(singular, L, s, 0, 0, 0, false);
    expect(page(s)).toEqual({ mapping: 1, index: 0, out: 0 });
    associate(singular, L, s, 0, 1, 0, true);
    expect(page(s)).toEqual({ mapping: 2, index: 0, out: OUT.warnAssociate });
  });
  it("WARNs when another file disassociates, and clears the owner anyway", () => {
    const s = new Uint8Array(L.size);
    associate(singular, L, s, 0, 1, 0, false);
    disassociate(singular, L, s, 0, 0, false);
    expect(page(s)).toEqual({ mapping: MAPPING_NONE, index: 0, out: OUT.warnDisassociate });
  });
  it("WARNs when truncate disassociates a pinned page", () => {
    const s = new Uint8Array(L.size);
    associate(singular, L, s, 0, 0, 0, false);
    s[L.pagePins] = 1;
    disassociate(singular, L, s, 0, 0, true);
    expect(page(s).out).toBe(OUT.warnTruncateBusy);
  });
});

describe("page->share with the marker (6.12)", () => {
  it("a regular owner restarts at 1 then counts: two sharers give share 2", () => {
    const s = new Uint8Array(L.size);
    associate(share, L, s, 0, 0, 0, false);
    associate(share, L, s, 0, 1, 0, true);
    expect(page(s)).toEqual({ mapping: MAPPING_SHARED, index: 2, out: 0 });
  });
  it("keeps the marker while sharers remain (--share > 0) and clears it with the last", () => {
    const s = new Uint8Array(L.size);
    associate(share, L, s, 0, 0, 0, true);
    associate(share, L, s, 0, 1, 0, true);
    disassociate(share, L, s, 0, 0, false);
    expect(page(s)).toEqual({ mapping: MAPPING_SHARED, index: 1, out: 0 });
    disassociate(share, L, s, 0, 1, false);
    expect(page(s)).toEqual({ mapping: MAPPING_NONE, index: 0, out: 0 });
  });
});
