/** The behaviours the 2018-to-today designs added, each on the shortest scenario that shows it. */
import { describe, expect, it } from "vitest";
import { search } from "../../src/engine/index.js";
import { PRESETS, buildModel, findVariant, parseBounds } from "../../spec/index.js";
import * as Either from "effect/Either";
import { finalView, runScenario } from "./scenario.js";

const bounds = (text: string) => Either.getOrThrow(parseBounds(text));
const verdict = (variant: string, text: string, invariant: string) =>
  search(buildModel(findVariant(variant)!, bounds(text)), { properties: [invariant] }).verdicts.find((v) => v.name === invariant)!.kind;

describe("poison kinds (the via bound)", () => {
  it("a media error puts the block in badblocks, so a later fault of it fails", () => {
    const v = finalView("v6.12", ["fault(X,A[0])", "consume(X,A[0])", "mf_query_rmap", "mf_kill_owner"]);
    expect(v.pages.p1).toMatchObject({ hwpoison: true, badblock: true });
    expect(() => runScenario("v6.12", ["fault(X,A[0])", "consume(X,A[0])", "mf_query_rmap", "mf_kill_owner", "fault(X,A[0])"])).not.toThrow();
    const after = finalView("v6.12", ["fault(X,A[0])", "consume(X,A[0])", "mf_query_rmap", "mf_kill_owner", "fault(X,A[0])"]);
    expect(after.processes.X.ptes).toEqual({});
  });
  it("MADV_HWPOISON and corrupt-pfn poison the page but leave badblocks alone: the page faults back in", () => {
    const all = bounds("tiny,via=media+madvise+corrupt-pfn+ars");
    const mad = finalView("v6.12", ["fault(X,A[0])", "madvise(X,A[0])", "mf_query_rmap", "mf_kill_owner", "fault(X,A[0])"], all);
    expect(mad.pages.p1).toMatchObject({ hwpoison: true, badblock: false });
    expect(mad.processes.X).toMatchObject({ sigbus_ar: ["p1"], ptes: { "A[0]": "p1" } });
    const inj = finalView("v6.12", ["fault(X,A[0])", "inject(p1)", "mf_query_rmap", "mf_kill_owner"], all);
    expect(inj.processes.X).toMatchObject({ sigbus_ao: ["p1"], sigbus_ar: [] });
    expect(inj.pages.p1.badblock).toBe(false);
  });
  it("an ARS scrub only adds badblocks: no memory_failure, nobody signalled", () => {
    const v = finalView("v6.12", ["fault(X,A[0])", "ars(p1)"], bounds("tiny,via=ars"));
    expect(v.pages.p1).toMatchObject({ hwpoison: false, badblock: true });
    expect(v.memory_failure.phase).toBe("idle");
    expect(v.processes.X.sigbus_ao).toEqual([]);
  });
  it("kinds outside the bound are not enabled", () => {
    expect(() => runScenario("v6.12", ["fault(X,A[0])", "madvise(X,A[0])"])).toThrow(/not-enabled|no-such|enabled/);
  });
});

describe("the inodegc window (source review 2.4)", () => {
  it("poison in a block of an evicted inode awaiting inodegc shuts XFS down; after inodegc the block is free", () => {
    const gc = ["munmap(X,A)", "evict(A)"];
    const v = finalView("v6.12", [...gc, "scrub(p1)", "mf_query_rmap"], PRESETS.small);
    expect(v.files.A).toMatchObject({ alive: false, awaiting_inodegc: true, extents: ["p1"] });
    expect(v.kernel_log.join("\n")).toMatch(/shutdown.*awaiting inodegc/);
    const freed = finalView("v6.12", [...gc, "inodegc(A)"], PRESETS.small);
    expect(freed.files.A.extents).toEqual(["-"]);
    expect(freed.pages.p1.refcount).toBe(0);
  });
});

describe("cow_end after a shutdown (source review 2.1)", () => {
  it("the remap fails: the PTE and entry stay on the new block, the data fork on the old", () => {
    const v = finalView("v6.12", ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "scrub(p2)", "mf_query_rmap", "cow_end(X)"], PRESETS.small);
    expect(v.kernel_log.join("\n")).toMatch(/CoW staging extent/);
    expect(v.files.A).toMatchObject({ extents: ["p1"], entries: ["p2"] });
    expect(v.processes.X.ptes).toEqual({ "A[0]": "p2" });
  });
});

describe("v4.19.0 as released", () => {
  it("dax_lock_mapping_entry(page) dereferences a NULL ->mapping: a scrub of a never-faulted page oopses", () => {
    expect(finalView("v4.19.0", ["scrub(p1)", "mf_lock"]).kernel_log.join("\n")).toMatch(/NULL page->mapping \(no NULL check\)/);
    expect(finalView("v4.18", ["scrub(p1)", "mf_lock"]).kernel_log).toEqual([]);
  });
  it("collects a late-kill task and SIGKILLs one whose VMA has no PTE at the address", () => {
    const v = finalView("v4.19.0", ["fault(X,A[0])", "mmap(Y,A)", "scrub(p1)", "mf_lock", "mf_kill", "mf_unlock"]);
    expect(v.processes.X.sigbus_ao).toEqual(["p1"]);
    expect(v.processes.Y.sigkill).toEqual(["p1"]);
    expect(v.kernel_log.join("\n")).toMatch(/SIGKILL/);
  });
});

describe("whole-mapping search (the seed thread's alternative)", () => {
  it("tells a block shared within one file apart from reflink-singular's ->index, at the one-file bounds", () => {
    expect(verdict("reflink-singular", "one-file", "poison_reaches_every_mapping")).toBe("violated");
    expect(verdict("whole-mapping-reflink", "one-file", "poison_reaches_every_mapping")).toBe("holds");
    expect(verdict("whole-mapping-reflink", "one-file", "owner_lookup_complete")).toBe("holds");
  });
  it("FICLONERANGE within one file shares a block between two offsets", () => {
    const v = finalView("whole-mapping-reflink", ["reflink_range(A[0]->A[1])", "fault(X,A[0])", "fault(Y,A[1])"], bounds("one-file"));
    expect(v.files.A.extents).toEqual(["p1", "p1"]);
    expect(v.pages.p1).toMatchObject({ mapping: "A", index: 0 });
  });
});

describe("6.15 folio->share", () => {
  const shared = ["reflink(A->B)", "fault(X,A[0])", "fault_map(X)", "fault(Y,B[0])", "fault_map(Y)"];
  it("the first shared association is a regular owner, the second makes the folio shared with ->mapping NULL", () => {
    const views = runScenario("v6.15", shared);
    expect(views[3].pages.p1).toMatchObject({ mapping: "A", index: 0 });
    expect(views[5].pages.p1).toMatchObject({ mapping: "NULL (shared folio)", share: 2 });
  });
  it("rmapbt=0: dax_lock_folio gives up on the shared folio instead of oopsing, and the mappers go unsignalled", () => {
    const v = finalView("v6.15-normap", [...shared, "scrub(p1)", "mf_lock"]);
    expect(v.kernel_log.join("\n")).toMatch(/memory_failure finished leaving an entitled mapper unsignalled/);
    expect(v.kernel_log.join("\n")).not.toMatch(/OOPS/);
    expect(finalView("v6.12-normap", [...shared, "scrub(p1)", "mf_lock"]).kernel_log.join("\n")).toMatch(/OOPS/);
  });
  it("reflink deletes both files' entries (breaking both layouts), so nothing faulted before it stays mapped", () => {
    const v = finalView("v6.15", ["fault(X,A[0])", "reflink(A->B)"]);
    expect(v.files.A.entries).toEqual(["-"]);
    expect(v.pages.p1.mapping).toBe("NULL");
    expect(finalView("v6.12", ["fault(X,A[0])", "reflink(A->B)"]).files.A.entries).toEqual(["p1"]);
  });
  it("6.15 leaves ->share at the old index after the last owner's put (a stale share), which upstream clears: only with two offsets", () => {
    const stale = finalView("v6.15", ["fault(X,A[1])", "truncate_begin(A)"], bounds("one-file"));
    expect(stale.pages.p2).toMatchObject({ mapping: "NULL", share: 1 }); // ->index and ->share are one field: dax_folio_is_shared() reads the old index as a count
    expect(verdict("v6.15", "one-file", "clean_when_unowned")).toBe("violated");
    expect(verdict("v6.15", "one-file", "share_count_exact")).toBe("violated");
    expect(verdict("upstream", "one-file", "clean_when_unowned")).toBe("holds");
    expect(verdict("upstream", "one-file", "share_count_exact")).toBe("holds");
  });
  it("truncate of an unmapped file waits for a pin in 6.15, and did not before", () => {
    const pinned = ["fault(X,A[0])", "pin(X,A[0])", "munmap(X,A)", "truncate_begin(A)"];
    expect(() => runScenario("v6.12", pinned, PRESETS.small)).not.toThrow();
    expect(() => runScenario("v6.15", pinned, PRESETS.small)).toThrow();
    expect(() => runScenario("v6.15", [...pinned.slice(0, 3), "unpin(p1)", "truncate_begin(A)"], PRESETS.small)).not.toThrow();
  });
});
