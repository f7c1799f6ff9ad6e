/** Swim lanes: which thread of control runs each step, as a kernel stack would name it. */
import { match } from "ts-pattern";
import { type DaxAction, procName } from "../actions.js";

/** The lane of an action: the process for its syscalls and faults; the kernel operation otherwise. */
export function laneOf(a: DaxAction): string {
  return match(a)
    .with(
      { kind: "mmap" }, { kind: "munmap" }, { kind: "fault" }, { kind: "alloc" }, { kind: "cow_fault" }, { kind: "fault_map" },
      { kind: "alloc_map" }, { kind: "cow_alloc" }, { kind: "cow_end" }, { kind: "pin" }, { kind: "consume" }, { kind: "madvise" },
      (x) => `process ${procName(x.proc)}`,
    )
    .with({ kind: "unpin" }, () => "DMA")
    .with({ kind: "reflink" }, { kind: "reflink_range" }, () => "reflink")
    .with({ kind: "truncate_begin" }, { kind: "truncate_delete" }, { kind: "truncate_free" }, () => "truncate")
    .with({ kind: "evict" }, { kind: "inodegc" }, () => "evict/inodegc")
    .with({ kind: "scrub" }, { kind: "inject" }, { kind: "ars" }, () => "hardware")
    .with({ kind: "mf_lock" }, { kind: "mf_kill" }, { kind: "mf_unlock" }, { kind: "mf_query_rmap" }, { kind: "mf_kill_owner" }, () => "memory_failure")
    .exhaustive();
}
