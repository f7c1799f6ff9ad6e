/** Swim lanes: which thread of control runs each step, as a kernel stack would name it. */
import { type DaxAction, procName } from "../actions.js";

/** The lane of an action: the process for its syscalls and faults; the kernel operation otherwise. A switch, not a match: stories ask for it at every step. */
export function laneOf(a: DaxAction): string {
  switch (a.kind) {
    case "mmap": case "munmap": case "fault": case "alloc": case "cow_fault": case "fault_map":
    case "alloc_map": case "cow_alloc": case "cow_end": case "pin": case "consume": case "madvise":
      return `process ${procName(a.proc)}`;
    case "unpin":
      return "DMA";
    case "reflink": case "reflink_range":
      return "reflink";
    case "truncate_begin": case "truncate_delete": case "truncate_free":
      return "truncate";
    case "evict": case "inodegc":
      return "evict/inodegc";
    case "scrub": case "inject": case "ars":
      return "hardware";
    case "mf_lock": case "mf_kill": case "mf_unlock": case "mf_query_rmap": case "mf_kill_owner":
      return "memory_failure";
    default:
      return unreachable(a);
  }
}

function unreachable(a: never): never {
  throw new Error(`unknown action ${JSON.stringify(a)}`);
}
