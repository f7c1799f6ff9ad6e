/** Equal DAX states reached by different paths encode to the same bytes and so the same fingerprint. */
import { describe, expect, it } from "vitest";
import { Encoder } from "../../src/core/encoder.js";
import { fingerprint, replayLabels } from "../../src/engine/index.js";
import { PRESETS, buildModel, findVariant } from "../../spec/index.js";

function fp(labels: string[]): { bytes: number[]; fp: number[] } {
  const m = buildModel(findVariant("v6.12")!, PRESETS.small);
  const r = replayLabels(m, 0, labels);
  if (!r.ok) throw new Error(r.error.code);
  const enc = new Encoder();
  const last = r.states.at(-1)!;
  m.encode(last, enc);
  // The search fingerprints the state itself (ownEncoding), so it must be the bytes encode writes.
  expect([...m.ownEncoding!(last)]).toEqual([...enc.view()]);
  const out = new Uint32Array(2);
  fingerprint(enc.view(), out);
  return { bytes: [...enc.view()], fp: [...out] };
}

describe("canonical encoding", () => {
  it("is independent of the order independent steps happened in", () => {
    const a = fp(["fault(X,A[0])", "mmap(Y,A)", "fault(Y,A[0])", "mmap(X,B)"]);
    const b = fp(["mmap(X,B)", "mmap(Y,A)", "fault(Y,A[0])", "fault(X,A[0])"]);
    expect(b).toEqual(a);
  });
  it("forgets finished operations: a completed truncate leaves no trace but its effect", () => {
    const a = fp(["truncate_begin(A)", "truncate_delete", "truncate_free"]);
    const b = fp(["fault(X,A[0])", "munmap(X,A)", "truncate_begin(A)", "truncate_delete", "truncate_free", "mmap(X,A)"]);
    expect(b).toEqual(a);
  });
  it("forgets finished faults: a split fault's locals are cleared when it unlocks its entry", () => {
    const a = fp(["reflink(A->B)", "fault(X,A[0])", "fault_map(X)"]);
    const b = fp(["reflink(A->B)", "fault(X,A[0])", "fault_map(X)", "munmap(X,A)", "mmap(X,A)", "fault(X,A[0])", "fault_map(X)"]);
    expect(b).toEqual(a);
    expect(fp(["reflink(A->B)", "fault(X,A[0])"]).fp).not.toEqual(a.fp);
  });
  it("tells different states apart", () => {
    expect(fp(["fault(X,A[0])"]).fp).not.toEqual(fp(["mmap(X,B)"]).fp);
  });
});
