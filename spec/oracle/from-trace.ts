/**
 * A counterexample of a kernel-version variant as a conformance scenario: its user actions, in
 * order, as the events a test on a real kernel performs. The kernel's own steps (the rest of a
 * fault, truncate's phases, memory_failure's steps, inodegc) are dropped: the kernel does them.
 * A scenario runs each event to completion before the next, so a counterexample that needs two
 * operations interleaved becomes a sequential run, which `predict` then says whether it still
 * shows the violation.
 */
import type { DaxAction } from "../actions.js";
import { blockName, fileName, procName } from "../actions.js";
import type { Bounds } from "../bounds.js";
import type { DaxState, Layout } from "../state.js";
import type { Kernel } from "./predict.js";
import type { Scenario, ScenarioEvent } from "./scenario.js";

/** The kernel and mkfs options of the variants a scenario can run on. */
const KERNEL_VARIANTS: Readonly<Record<string, { kernel: Kernel; rmapbt: boolean }>> = {
  "v6.1": { kernel: "6.1", rmapbt: true },
  "v6.1-normap": { kernel: "6.1", rmapbt: false },
  "v6.12": { kernel: "6.12", rmapbt: true },
  "v6.12-normap": { kernel: "6.12", rmapbt: false },
};

/** The variants `reproduce` accepts. */
export const REPRODUCIBLE_VARIANTS: readonly string[] = Object.keys(KERNEL_VARIANTS);

/** The scenario and the kernel it runs on, or why the trace cannot be one. */
export type FromTrace =
  | {
      readonly ok: true; readonly kernel: Kernel; readonly scenario: Scenario; readonly dropped: readonly string[];
      /** Media errors made as the guest makes them: badblocks, then the software injection that makes the same memory_failure call. */
      readonly substituted: readonly string[];
    }
  | { readonly ok: false; readonly why: string };

/** Converts a counterexample (its actions and the states before each) into a scenario. */
export function scenarioFromTrace(
  id: string, variant: string, bounds: Bounds, L: Layout,
  actions: readonly DaxAction[], states: readonly DaxState[], label: (a: DaxAction) => string,
): FromTrace {
  const target = KERNEL_VARIANTS[variant];
  if (target === undefined) return { ok: false, why: `${variant} is not a kernel this oracle runs (use a counterexample of ${REPRODUCIBLE_VARIANTS.join(", ")})` };
  if (bounds.procs > 4) return { ok: false, why: "the guest's helper runs at most 4 processes" };
  const maps = procFiles(L, actions);
  if (typeof maps === "string") return { ok: false, why: maps };
  const events: ScenarioEvent[] = [];
  const dropped: string[] = [];
  const substituted: string[] = [];
  const pinnedBy = new Map<number, number>();
  for (const [i, a] of actions.entries()) {
    const e = eventOf(L, a, states[i], pinnedBy, maps);
    if (typeof e === "string") return { ok: false, why: `step ${i + 1} ${label(a)}: ${e}` };
    if (e === undefined) dropped.push(label(a));
    else events.push(e);
    if (a.kind === "consume") substituted.push(`${label(a)}: badblocks, then madvise(MADV_HWPOISON) by the consumer (memory_failure(pfn, MF_ACTION_REQUIRED) as the machine check would call it)`);
    if (a.kind === "scrub") substituted.push(`${label(a)}: badblocks, then corrupt-pfn (memory_failure(pfn, MF_SW_SIMULATED); the scrub's machine check calls it with flags 0)`);
  }
  const files = bounds.files > 1 ? (["A", "B"] as const) : (["A"] as const);
  return {
    ok: true,
    kernel: target.kernel,
    dropped,
    substituted,
    scenario: {
      id,
      description: `the user actions of a ${variant} counterexample, in order (the kernel's own steps left to the kernel)`,
      mkfs: { reflink: true, rmapbt: target.rmapbt },
      files: [...files],
      offsets: Math.min(2, bounds.offsets),
      procs: maps.map((f, p) => ({ maps: f, kill: p < bounds.early ? ("early" as const) : ("late" as const) })),
      events,
    },
  };
}

/** The one file each process maps in the scenario (the guest's processes map one file each), or why not. */
function procFiles(L: Layout, actions: readonly DaxAction[]): ("A" | "B")[] | string {
  const maps: ("A" | "B")[] = [];
  for (let p = 0; p < L.procs; p++) maps.push(fileName(p % L.files) as "A" | "B");
  const mapped = new Set<number>();
  for (const a of actions) {
    if (a.kind === "mmap") {
      if (mapped.has(a.proc)) return `process ${procName(a.proc)} maps a second file; the guest's processes map one file each`;
      maps[a.proc] = fileName(a.file) as "A" | "B";
    }
    if (a.kind === "munmap") mapped.add(a.proc);
    if ("slot" in a && "proc" in a) mapped.add(a.proc);
  }
  return maps;
}

type Slotted = Extract<DaxAction, { slot: number }>;

/** A user action as a scenario event; undefined for the kernel's own steps; a string says why it cannot be one. */
function eventOf(L: Layout, a: DaxAction, before: DaxState, pinnedBy: Map<number, number>, maps: readonly string[]): ScenarioEvent | undefined | string {
  const where = (x: Slotted): { file: "A" | "B"; offset: number } => ({ file: fileName(L.fileOf(x.slot)) as "A" | "B", offset: L.offsetOf(x.slot) });
  switch (a.kind) {
    case "mmap":
      return maps[a.proc] === fileName(a.file) ? undefined : "a second mmap";
    case "munmap":
      return { unmap: a.proc };
    case "fault":
      // The model's `fault` is a read or the write of an unshared block: for ownership the same, so a read.
      return { touch: { proc: a.proc, offset: L.offsetOf(a.slot), mode: "read" } };
    case "cow_fault":
      return { touch: { proc: a.proc, offset: L.offsetOf(a.slot), mode: "write" } };
    case "alloc":
      return { touch: { proc: a.proc, offset: L.offsetOf(a.slot), mode: "write" } };
    case "pin":
      pinnedBy.set(L.pteBlock(before, a.proc, a.slot), a.proc);
      return { pin: { proc: a.proc, offset: L.offsetOf(a.slot) } };
    case "unpin": {
      const p = pinnedBy.get(a.block);
      return p === undefined ? `no scenario process pinned ${blockName(a.block)}` : { unpin: p };
    }
    case "reflink":
      return { clone: { src: fileName(a.src) as "A" | "B", dst: fileName(a.dst) as "A" | "B" } };
    case "reflink_range":
      return { clone_range: { file: fileName(a.file) as "A" | "B", src: a.src, dst: a.dst } };
    case "truncate_begin":
      return { truncate: fileName(a.file) as "A" | "B" };
    case "evict":
      return { unlink_close: fileName(a.file) as "A" | "B" };
    case "madvise":
      return { poison: { method: "madvise", proc: a.proc, ...where(a) } };
    case "consume":
      return { poison: { method: "media", proc: a.proc, ...where(a) } };
    case "inject": {
      const by = mapperOf(L, before, a.block);
      if (by !== undefined) return { poison: { method: "corrupt-pfn", proc: by.proc, file: by.file, offset: by.offset } };
      const owner = extentOwner(L, before, a.block);
      return owner === undefined ? `no file holds ${blockName(a.block)}, so the guest cannot name its pfn` : { poison: { method: "corrupt-pfn", ...owner } };
    }
    case "scrub":
    case "ars": {
      // The guest learns a pfn from a process that touched the file (pfnSource): name the file offset that holds the block.
      const owner = extentOwner(L, before, a.block) ?? mapperOf(L, before, a.block);
      if (owner === undefined) return `no file holds ${blockName(a.block)}, so the guest cannot name its pfn`;
      return { poison: { method: a.kind === "scrub" ? "media" : "badblocks", file: owner.file, offset: owner.offset } };
    }
    case "fault_map": case "alloc_map": case "cow_alloc": case "cow_end": case "truncate_delete": case "truncate_free":
    case "mf_lock": case "mf_kill": case "mf_unlock": case "mf_query_rmap": case "mf_kill_owner": case "inodegc":
      return undefined;
  }
}

/** The first file offset whose extent is the block. */
function extentOwner(L: Layout, s: DaxState, block: number): { file: "A" | "B"; offset: number } | undefined {
  for (let slot = 0; slot < L.slots; slot++) {
    if (s[L.bmap + slot] === block + 1) return { file: fileName(L.fileOf(slot)) as "A" | "B", offset: L.offsetOf(slot) };
  }
  return undefined;
}

/** A process with a PTE on the block, and where it maps it. */
function mapperOf(L: Layout, s: DaxState, block: number): { proc: number; file: "A" | "B"; offset: number } | undefined {
  for (let p = 0; p < L.procs; p++) {
    for (let slot = 0; slot < L.slots; slot++) {
      if (L.pteBlock(s, p, slot) === block) return { proc: p, file: fileName(L.fileOf(slot)) as "A" | "B", offset: L.offsetOf(slot) };
    }
  }
  return undefined;
}
