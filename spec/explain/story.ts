/** One step told in kernel terms: who did what, the kernel function, the lock, what changed. */
import { match } from "ts-pattern";
import type { StepStory } from "../../src/core/explain.js";
import { type DaxAction, blockName, fileName, procName, slotName } from "../actions.js";
import type { Layout } from "../state.js";
import { changePhrases, isOwnership } from "./changes.js";
import { KERNEL_REFS } from "./cites.js";
import { laneOf } from "./lanes.js";

const subjects = new WeakMap<DaxAction, string>();

/** Who does what, in a few words (remembered per action: candidates are shared values, and long traces repeat them). */
export function subjectOf(L: Layout, a: DaxAction): string {
  let s = subjects.get(a);
  if (s === undefined) subjects.set(a, (s = subjectText(L, a)));
  return s;
}

function subjectText(L: Layout, a: DaxAction): string {
  const P = (p: number): string => procName(p);
  const S = (s: number): string => slotName(L, s);
  return match(a)
    .with({ kind: "mmap" }, (x) => `${P(x.proc)} mmaps ${fileName(x.file)} MAP_SHARED`)
    .with({ kind: "munmap" }, (x) => `${P(x.proc)} munmaps ${fileName(x.file)}`)
    .with({ kind: "fault" }, (x) => `${P(x.proc)} faults ${S(x.slot)} and locks its entry`)
    .with({ kind: "alloc" }, (x) => `${P(x.proc)} write-faults the hole ${S(x.slot)} and locks its entry`)
    .with({ kind: "cow_fault" }, (x) => `${P(x.proc)} write-faults the shared ${S(x.slot)} (CoW) and locks its entry`)
    .with({ kind: "fault_map" }, (x) => `${P(x.proc)}'s fault maps its block and unlocks`)
    .with({ kind: "alloc_map" }, (x) => `${P(x.proc)}'s write fault allocates ${blockName(x.block)} and unlocks`)
    .with({ kind: "cow_alloc" }, (x) => `${P(x.proc)}'s CoW fault stages ${blockName(x.block)} and copies into it`)
    .with({ kind: "cow_end" }, (x) => `${P(x.proc)}'s CoW fault ends (iomap_end) and unlocks`)
    .with({ kind: "pin" }, (x) => `${P(x.proc)} pins the page at ${S(x.slot)} for DMA`)
    .with({ kind: "unpin" }, (x) => `a DMA pin on ${blockName(x.block)} is released`)
    .with({ kind: "reflink" }, (x) => `FICLONE ${fileName(x.src)} -> ${fileName(x.dst)}`)
    .with({ kind: "reflink_range" }, (x) => `FICLONERANGE ${fileName(x.file)}[${x.src}] -> ${fileName(x.file)}[${x.dst}]`)
    .with({ kind: "truncate_begin" }, (x) => `truncate(${fileName(x.file)}, 0) breaks layouts`)
    .with({ kind: "truncate_delete" }, () => "truncate deletes the file's DAX entries")
    .with({ kind: "truncate_free" }, () => "truncate frees the file's blocks")
    .with({ kind: "evict" }, (x) => `the last close of unlinked ${fileName(x.file)} evicts it`)
    .with({ kind: "inodegc" }, (x) => `inodegc inactivates ${fileName(x.file)}`)
    .with({ kind: "scrub" }, (x) => `a patrol scrub finds ${blockName(x.block)} bad`)
    .with({ kind: "consume" }, (x) => `${P(x.proc)} reads poison through ${S(x.slot)} (machine check)`)
    .with({ kind: "madvise" }, (x) => `${P(x.proc)} calls madvise(MADV_HWPOISON) on ${S(x.slot)}`)
    .with({ kind: "inject" }, (x) => `corrupt-pfn poisons ${blockName(x.block)}`)
    .with({ kind: "ars" }, (x) => `an ARS scrub finds ${blockName(x.block)} bad`)
    .with({ kind: "mf_lock" }, () => "memory_failure locks the entry page->mapping/->index name")
    .with({ kind: "mf_kill" }, () => "memory_failure collects and signals the mappers")
    .with({ kind: "mf_unlock" }, () => "memory_failure unlocks the entry page->mapping/->index name now")
    .with({ kind: "mf_query_rmap" }, () => "memory_failure asks XFS for the block's owners")
    .with({ kind: "mf_kill_owner" }, () => "memory_failure signals the next rmap owner's mappers")
    .exhaustive();
}

/** The story of one step, from the views before and after it. */
export function stepStory(L: Layout, a: DaxAction, before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): StepStory {
  const ref = KERNEL_REFS[a.kind];
  const changes = changePhrases(before, after);
  const lead = changes.filter(isOwnership).slice(0, 3);
  const text = `${wholeFault(L, a, after) ?? subjectOf(L, a)}${lead.length > 0 ? `: ${lead.join("; ")}` : ""}`;
  return { text, cite: `${ref.fn}: ${ref.cite}`, lane: laneOf(a), ...(ref.lock !== undefined ? { lock: ref.lock } : {}), changes };
}

/** A fault that ran from grab_mapping_entry to dax_unlock_entry in this one step (nothing in it sleeps on a lock). */
function wholeFault(L: Layout, a: DaxAction, after: Readonly<Record<string, unknown>>): string | undefined {
  if (a.kind !== "fault" && a.kind !== "alloc" && a.kind !== "cow_fault") return undefined;
  const procs = after.processes as Record<string, { fault: string }> | undefined;
  if (procs?.[procName(a.proc)]?.fault !== "idle") return undefined;
  return `${procName(a.proc)} ${a.kind === "fault" ? "faults" : "write-faults"} ${slotName(L, a.slot)} (the whole fault, entry locked and unlocked)`;
}
