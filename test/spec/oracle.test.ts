/**
 * The model against what Linux 6.1.192 and 6.12.117 did under QEMU (shared/design/kernel-oracle.md):
 * each row replays the scenario's steps and checks the signals, PTEs and kernel log it predicts.
 */
import { describe, expect, it } from "vitest";
import { PRESETS } from "../../spec/index.js";
import { finalView } from "./scenario.js";

const bothEarly = { ...PRESETS.tiny, early: 2 };
const bothLate = { ...PRESETS.tiny, early: 0 };
/**
 * Read faults after a reflink. On 6.12 each is two steps (grab_mapping_entry, then the rest up to
 * dax_unlock_entry), because xfs_read_iomap_begin reads the AGF for a reflink-flagged inode in
 * between; in the 4.18-based variants (standing in for 6.1 here) nothing in between sleeps, so one.
 */
const readFaults612 = ["reflink(A->B)", "fault(X,A[0])", "fault_map(X)", "fault(Y,B[0])", "fault_map(Y)"];
const readFaults = ["reflink(A->B)", "fault(X,A[0])", "fault(Y,B[0])"];

describe("kernel oracle rows", () => {
  it("one file, two mappers, madvise: X gets AR, Y AO, both unmapped (6.1 and 6.12)", () => {
    const steps = ["mmap(Y,A)", "fault(X,A[0])", "fault(Y,A[0])", "consume(X,A[0])", "mf_query_rmap", "mf_kill_owner"];
    const v = finalView("v6.12", steps, bothEarly);
    expect(v.processes.X.sigbus_ar).toEqual(["p1"]);
    expect(v.processes.Y.sigbus_ao).toEqual(["p1"]);
    expect(v.processes.X.ptes).toEqual({});
    expect(v.processes.Y.ptes).toEqual({});
    expect(v.kernel_log).toEqual([]);
  });

  it("reflink, rmapbt=1, read faults (6.12): X and Y signalled, no WARN", () => {
    const v = finalView("v6.12", [...readFaults612, "consume(X,A[0])", "mf_query_rmap", "mf_kill_owner", "mf_kill_owner"], bothEarly);
    expect(v.processes.X.sigbus_ar).toEqual(["p1"]);
    expect(v.processes.Y.sigbus_ao).toEqual(["p1"]);
    expect(v.pages.p1).toMatchObject({ mapping: "SHARED(0x1)", share: 2, hwpoison: true });
    expect(v.kernel_log).toEqual([]);
  });

  it("reflink, rmapbt=1, late-kill mappers: only the injecting task is signalled; Y keeps its PTE", () => {
    const v = finalView("v6.12", [...readFaults612, "consume(X,A[0])", "mf_query_rmap", "mf_kill_owner", "mf_kill_owner"], bothLate);
    expect(v.processes.X.sigbus_ar).toEqual(["p1"]);
    expect(v.processes.Y.sigbus_ao).toEqual([]);
    expect(v.processes.Y.ptes).toEqual({ "B[0]": "p1" });
  });

  it("reflink, rmapbt=0, read faults (6.12): oops in dax_lock_folio on the 0x1 marker", () => {
    const v = finalView("v6.12-normap", [...readFaults612, "consume(X,A[0])", "mf_lock"], bothEarly);
    expect(v.kernel_log).toEqual([expect.stringContaining("OOPS: dax_mapping() dereferences the 0x1 shared marker")]);
  });

  it("reflink, rmapbt=0, read faults (6.1, modelled by reflink-singular's last-faulter-wins page->mapping): only Y signalled, X keeps a PTE, WARN at associate", () => {
    const v = finalView("reflink-singular", [...readFaults, "consume(X,A[0])", "mf_lock", "mf_kill", "mf_unlock"], bothEarly);
    expect(v.processes.Y.sigbus_ao).toEqual(["p1"]);
    expect(v.processes.X.sigbus_ar).toEqual([]);
    expect(v.processes.X.ptes).toEqual({ "A[0]": "p1" });
    expect(v.kernel_log).toContain("WARN dax_associate_entry: page->mapping already set");
    expect(v.kernel_log).toContain("memory_failure finished leaving an entitled mapper unsignalled");
  });

  it("reflink, rmapbt=0, write (CoW) fault (6.12): oops in dax_lock_folio", () => {
    const v = finalView("v6.12-normap", ["reflink(A->B)", "cow_fault(X,A[0])", "cow_alloc(X,p2)", "cow_end(X)", "consume(X,A[0])", "mf_lock"], { ...bothEarly, cow: 1, blocks: 2 });
    expect(v.kernel_log.some((l: string) => l.startsWith("OOPS"))).toBe(true);
  });

  it("reflink, truncate A, then poison, rmapbt=1 (6.12): Y signalled", () => {
    const steps = [...readFaults612, "truncate_begin(A)", "truncate_delete", "truncate_free", "scrub(p1)", "mf_query_rmap", "mf_kill_owner"];
    const v = finalView("v6.12", steps, bothEarly);
    expect(v.processes.Y.sigbus_ao).toEqual(["p1"]);
    expect(v.processes.Y.ptes).toEqual({});
  });

  it("reflink, truncate A, then poison, rmapbt=0 (6.12): oops", () => {
    const steps = [...readFaults612, "truncate_begin(A)", "truncate_delete", "truncate_free", "scrub(p1)", "mf_lock"];
    const v = finalView("v6.12-normap", steps, bothEarly);
    expect(v.kernel_log.some((l: string) => l.startsWith("OOPS"))).toBe(true);
  });
});
