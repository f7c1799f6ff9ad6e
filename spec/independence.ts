/**
 * Which DAX steps commute, for the engine's sleep sets (`Model.independence`). Only mmap() and
 * munmap() fall asleep: each reads the file's liveness and the process's own VMAs and fault
 * phase, and writes only the process's VMA bit for the file (munmap also zaps the process's PTEs
 * of that file). So they commute with any step that neither reads nor writes those:
 *
 * - another mmap or munmap (another process, or another file of the same one);
 * - a step of another process (fault, allocation, CoW, pin): it reads and writes its own VMAs,
 *   PTEs and fault, the file's entries and extents and the pages, never this process's;
 * - the later truncate phases and the rmap query, which read no VMA and zap PTEs the way munmap
 *   does (truncateDelete, truncateFree, mfQueryRmap);
 * - a step that breaks DAX layouts (truncate_begin, reflink, reflink_range) on other files, or on
 *   this file while another process maps it: dax_layout_busy_page() returns at once only when no
 *   process maps the file (mapping_mapped(), 6.1.192 fs/dax.c:701; `breakLayouts`), so there an
 *   mmap or munmap could change whether the step waits; with another mapper it cannot.
 *
 * Not the process's own faults (they hold mmap_lock, which mmap and munmap wait for: `inFault`),
 * eviction (it waits for the last VMA), memory_failure()'s collection of processes (it reads
 * every VMA), unpin, consume and the poison steps. `npm run bench -- --sleep` measured this
 * relation in every variant at `tiny` against both orders wherever a declared pair met, and
 * test/spec/independence.test.ts checks it on the reachable states of every variant and mutant.
 */
import type { Independence } from "../src/core/model.js";
import { ACTION_KINDS, type ActionKind, type DaxAction, range } from "./actions.js";
import { LIMITS } from "./bounds.js";
import type { DaxState, Layout } from "./state.js";

/** How a step commutes with an mmap or munmap of (p, f). */
const enum Rule {
  /** With none. */
  None,
  /** With every one (other mmaps and munmaps, steps blind to VMAs). */
  All,
  /** With those of other processes (the step is one of process `proc`'s own). */
  OtherProcess,
  /** With those of other files, or of its files while another process maps them (the step breaks layouts). */
  Layouts,
}

const RULES: Readonly<Partial<Record<ActionKind, Rule>>> = {
  mmap: Rule.All, munmap: Rule.All, truncate_delete: Rule.All, truncate_free: Rule.All, mf_query_rmap: Rule.All,
  fault: Rule.OtherProcess, alloc: Rule.OtherProcess, cow_fault: Rule.OtherProcess, fault_map: Rule.OtherProcess,
  alloc_map: Rule.OtherProcess, cow_alloc: Rule.OtherProcess, cow_end: Rule.OtherProcess, pin: Rule.OtherProcess,
  truncate_begin: Rule.Layouts, reflink: Rule.Layouts, reflink_range: Rule.Layouts,
};

/** The rule of each kind, by index into ACTION_KINDS. */
const RULE_OF_KIND: readonly Rule[] = ACTION_KINDS.map((k) => RULES[k] ?? Rule.None);

// Two sleep bits a (process, file): the bounds' limits keep them within the 32 of a mask.
if (LIMITS.procs[1] * LIMITS.files[1] * 2 > 32) throw new RangeError("independence: more (process, file) pairs than sleep bits");

/** The DAX independence relation at these bounds: mmap and munmap of each (process, file) have a sleep bit. */
export function daxIndependence(L: Layout): Independence<DaxState, DaxAction> {
  const F = L.files;
  const pairBits = (p: number, f: number): number => (3 << ((p * F + f) * 2)) >>> 0;
  const procBits = range(L.procs).map((p) => range(F).reduce((m, f) => m | pairBits(p, f), 0));
  const fileBits = range(F).map((f) => range(L.procs).reduce((m, p) => m | pairBits(p, f), 0));
  /** Bits of the mmaps and munmaps of file f that a layout-breaking step does not commute with: those of a process no other process shares f with. */
  const alone = (s: DaxState, f: number): number => {
    let mappers = 0;
    let only = -1;
    for (let q = 0; q < L.procs; q++) {
      if ((s[L.vmas + q] & (1 << f)) === 0) continue;
      mappers++;
      only = q;
    }
    return mappers === 0 ? fileBits[f] : mappers === 1 ? pairBits(only, f) : 0;
  };
  return {
    sleepBit: (a) => {
      if (a.kind === "mmap") return (a.proc * F + a.file) * 2;
      if (a.kind === "munmap") return (a.proc * F + a.file) * 2 + 1;
      return -1;
    },
    sleepsAfter: (s, o, kind, done) => {
      switch (RULE_OF_KIND[kind]) {
        case Rule.All:
          return done;
        case Rule.OtherProcess:
          return done & ~procBits[(o as { proc: number }).proc];
        case Rule.Layouts:
          if (o.kind === "reflink") return done & ~(alone(s, o.src) | alone(s, o.dst));
          return done & ~alone(s, (o as { file: number }).file);
        default:
          return 0;
      }
    },
    // A sleep bit names a process; blocks may be renamed freely.
    renamedBy: ["processes"],
  };
}
