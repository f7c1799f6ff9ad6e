/**
 * The parameters of each action, by name, for traces' `mbt::nondetPicks`. Values are the names
 * the labels and views use (X, A, A[0], p1), so every parameter has one type across all kinds,
 * as Quint's record of picks needs. Presentation only: outside the spec digest.
 */
import { match } from "ts-pattern";
import { type DaxAction, blockName, fileName, procName, slotName } from "../actions.js";
import type { Layout } from "../state.js";

/** What `a` picks: `fault(X,A[0])` is `{ proc: "X", slot: "A[0]" }`; `reflink_range(A[0]->A[1])` is `{ file: "A", src: "A[0]", dst: "A[1]" }`. */
export function actionParams(L: Layout, a: DaxAction): Record<string, string> {
  const proc = (p: number): string => procName(p);
  const slot = (s: number): string => slotName(L, s);
  return match(a)
    .with({ kind: "mmap" }, { kind: "munmap" }, (x) => ({ proc: proc(x.proc), file: fileName(x.file) }))
    .with({ kind: "fault" }, { kind: "alloc" }, { kind: "cow_fault" }, { kind: "pin" }, { kind: "consume" }, { kind: "madvise" }, (x) => ({ proc: proc(x.proc), slot: slot(x.slot) }))
    .with({ kind: "fault_map" }, { kind: "cow_end" }, (x) => ({ proc: proc(x.proc) }))
    .with({ kind: "alloc_map" }, { kind: "cow_alloc" }, (x) => ({ proc: proc(x.proc), block: blockName(x.block) }))
    .with({ kind: "unpin" }, { kind: "scrub" }, { kind: "inject" }, { kind: "ars" }, (x) => ({ block: blockName(x.block) }))
    .with({ kind: "reflink" }, (x) => ({ src: fileName(x.src), dst: fileName(x.dst) }))
    .with({ kind: "reflink_range" }, (x) => ({ file: fileName(x.file), src: slot(L.slot(x.file, x.src)), dst: slot(L.slot(x.file, x.dst)) }))
    .with({ kind: "truncate_begin" }, { kind: "evict" }, { kind: "inodegc" }, (x) => ({ file: fileName(x.file) }))
    .with(
      { kind: "truncate_delete" }, { kind: "truncate_free" },
      { kind: "mf_lock" }, { kind: "mf_kill" }, { kind: "mf_unlock" }, { kind: "mf_query_rmap" }, { kind: "mf_kill_owner" },
      () => ({}),
    )
    .exhaustive();
}
