/**
 * The model's prediction for a conformance scenario: the scenario's events run through the
 * kernel variant's model one after another, the kernel finishing each (every interleaving of its
 * internal steps) before the next, and the set of observable outcomes of the quiet states.
 */
import { quiesce } from "../../src/engine/quiesce.js";
import { type DaxAction, type ActionKind, blockName, fileName, procName } from "../actions.js";
import type { Bounds } from "../bounds.js";
import { inFlight } from "../invariants.js";
import { buildModel } from "../model.js";
import { type DaxState, FAULT, MAPPING_NONE, MF, OUT, VIA } from "../state.js";
import { VARIANTS, type Variant } from "../variants.js";
import { type Scenario, type ScenarioEvent, pfnSource } from "./scenario.js";

/** The kernels the oracle runs. */
export type Kernel = "6.1" | "6.12";

/**
 * The signal a fault of a block in badblocks gets. __pmem_direct_access refuses it with -EIO in
 * 6.1.192 (drivers/nvdimm/pmem.c:285), which dax_fault_return (fs/dax.c:1543-1547) turns into
 * VM_FAULT_SIGBUS (BUS_ADRERR); with -EHWPOISON in 6.12.117 (pmem.c:273), VM_FAULT_HWPOISON
 * (BUS_MCEERR_AR, arch/x86/mm/fault.c do_sigbus).
 */
const REFUSED_FAULT_SIGNAL: Readonly<Record<Kernel, string>> = { "6.1": "BUS_ADRERR", "6.12": "BUS_MCEERR_AR" };

/**
 * The signal of a CoW fault whose copy from the old block fails: -EIO in both kernels, so
 * VM_FAULT_SIGBUS (BUS_ADRERR). 6.1.192 dax_iomap_cow_copy returns the pmem driver's -EIO
 * (fs/dax.c:1113-1115); 6.12.117 dax_iomap_copy_around turns -EHWPOISON into -EIO with
 * dax_mem2blk_err (fs/dax.c:1137, include/linux/dax.h:273-276).
 */
const FAILED_COPY_SIGNAL = "BUS_ADRERR";

/** What a scenario run shows: signals per scenario process, PTEs still present at the poisoned offset, kernel lines. */
export interface Observed {
  /** "0 AR", "1 AO", "1 KILL", sorted. */
  readonly signals: readonly string[];
  /** Scenario processes that still map the poisoned page, sorted. */
  readonly keepsPte: readonly number[];
  /** "WARN associate", "WARN disassociate", "WARN truncate-busy", "OOPS", "SHUTDOWN", sorted. */
  readonly kernel: readonly string[];
  /** Guest operations still running when the next event started (a truncate waiting for a pin), in order. */
  readonly blocked: readonly string[];
  /** Touches that got no page ("1 write BUS_ADRERR": the pmem driver refused the block; the SIGBUS code), in order. */
  readonly failedTouches: readonly string[];
  /** Each process's read of its page at the end ("0 ok", "1 SIGBUS BUS_ADRERR"), in process order. */
  readonly lateReads: readonly string[];
  /** memory_failure's verdict line per call, in order ("Recovered", "Failed"). */
  readonly verdicts: readonly string[];
  /** Every operation waits and none can run (a hung task), or an operation never finished. */
  readonly hung: boolean;
}

/** The model's prediction: the variant used and every outcome it allows. */
export interface Prediction {
  readonly variant: string;
  readonly bounds: Bounds;
  readonly outcomes: readonly Observed[];
  /** Scenario events the model had no enabled action for in some state (then skipped there): a scenario the model cannot follow. */
  readonly dropped: readonly string[];
}

/** The kernel's variant for a filesystem with or without the rmap btree. */
export function variantFor(kernel: Kernel, rmapbt: boolean): Variant {
  const id = `v${kernel}${rmapbt ? "" : "-normap"}`;
  const v = VARIANTS.find((x) => x.id === id);
  if (v === undefined) throw new Error(`no variant ${id}`);
  return v;
}

/** The internal steps: the kernel finishing what a user action started, before the action returns. */
const INTERNAL: ReadonlySet<ActionKind> = new Set<ActionKind>([
  "fault_map", "alloc_map", "cow_alloc", "cow_end", "truncate_delete", "truncate_free",
  "mf_lock", "mf_kill", "mf_unlock", "mf_query_rmap", "mf_kill_owner",
]);

/**
 * Background work that may or may not have run when the next event starts: inode inactivation
 * is queued to a per-cpu workqueue (xfs_inodegc_queue, 6.1.192 fs/xfs/xfs_icache.c; 6.12.117
 * the same) and the evicted inode stays XFS_NEED_INACTIVE, owning its blocks in the rmap, until
 * the worker runs. Observed: a corrupt-pfn right after an unlink found the inode still there and
 * shut XFS down (test/oracle/fixtures/runs/6.1/one-file-unlink-corrupt-pfn.log).
 */
const BACKGROUND: ReadonlySet<ActionKind> = new Set<ActionKind>(["inodegc"]);

/** One way a scenario can be going: a model state and the user operations still blocked in it. */
interface Going {
  readonly st: DaxState;
  /** Guest operations that had not finished when the next event started ("truncate"), in order. */
  readonly blocked: readonly string[];
  /** Touches that left the process without its page. */
  readonly failedTouches: readonly string[];
  /** Whether the last touch was a CoW fault (its failure is the copy's, not the fault's). */
  readonly touchCopies?: boolean;
  /** Each process's late read, as Observed.lateReads says. */
  readonly lateReads: readonly string[];
  /** memory_failure's verdict lines so far. */
  readonly verdicts: readonly string[];
  /** memory_failure's verdict as the state before the poison event decides it ("rmap": the walk decides). */
  readonly mfBefore?: string;
  /** The labels of a user action that could not start yet (a truncate sleeping in break layouts, an unlink whose file is still mapped), retried after every event. */
  readonly deferred: readonly string[];
}

/** Why the model cannot predict a scenario (an event it has no action for), or undefined. */
export function unpredictable(s: Scenario): string | undefined {
  for (const e of s.events) {
    if ("punch" in e && s.offsets !== 1) return "the model has no hole punch: it stands for one only in a one-page file, where it is a truncate";
    if ("clone_range" in e && s.offsets < 2) return "a range clone needs offsets: 2";
  }
  return undefined;
}

/** Runs the scenario through the model of `kernel`'s variant. */
export function predict(s: Scenario, kernel: Kernel): Prediction {
  const variant = variantFor(kernel, s.mkfs.rmapbt);
  const order = modelOrder(s);
  const bounds = boundsFor(s);
  const model = buildModel(variant, bounds);
  const L = model.layout;
  const busy = (st: DaxState): boolean => inFlight(L, st);
  /** Only a truncate is in flight: in the guest a worker runs it while the next steps go on. */
  const onlyTruncate = (st: DaxState): boolean => st[L.truncFile] !== 0 && st[L.mfPhase] === MF.none && [...Array(L.procs).keys()].every((p) => st[L.faultPhase + p] === FAULT.none);
  let starts: Going[] = [...model.initStates()].map((st) => ({ st, blocked: [], failedTouches: [], deferred: [], lateReads: [], verdicts: [] }));
  for (const labels of setupLabels(s, order)) starts = starts.flatMap((g) => apply(model, g.st, [labels]).map((st) => ({ ...g, st })));
  const hung: Going[] = [];
  const dropped = new Set<string>();
  let poisoned: number | undefined;
  /** The block each scenario process mapped after its last touch: the pfn the guest's helper recorded. */
  const touched = new Map<number, number>();
  /** A quiet state and the quiet states after any background work ran from it. */
  const withBackground = (st: DaxState): DaxState[] => {
    const out = [st];
    const seen = new Set([st.join()]);
    for (let i = 0; i < out.length; i++) {
      const candidates: DaxAction[] = [];
      model.actions(out[i], candidates);
      for (const a of candidates.filter((c) => BACKGROUND.has(c.kind))) {
        const next = model.nextState(out[i], a);
        if (next === undefined) continue;
        for (const x of quiesce(model, next, (y) => INTERNAL.has(y.kind), busy).quiet) {
          if (!seen.has(x.join())) {
            seen.add(x.join());
            out.push(x);
          }
        }
      }
    }
    return out;
  };
  /** The states after `st` and the kernel's internal steps: carried on, or hung. */
  const settle = (g: Going, st: DaxState, op: string | undefined, out: Going[]): void => {
    const q = quiesce(model, st, (x) => INTERNAL.has(x.kind), busy);
    out.push(...q.quiet.flatMap((x) => withBackground(x)).map((x) => ({ ...g, st: x })));
    for (const x of q.stuck) {
      if (!onlyTruncate(x)) hung.push({ ...g, st: x });
      else if (op !== undefined && !g.blocked.includes(op)) out.push({ ...g, st: x, blocked: [...g.blocked, op] });
      else if (g.blocked.length > 0) out.push({ ...g, st: x });
      else hung.push({ ...g, st: x });
    }
  };
  const retryDeferred = (going: readonly Going[]): Going[] =>
    going.flatMap((g) => {
      if (g.deferred.length === 0) return [g];
      const st = startAction(model, g.st, [g.deferred]);
      if (st === undefined) return [g];
      const out: Going[] = [];
      settle({ ...g, deferred: [] }, st, undefined, out);
      return out;
    });
  const hasPage = (st: DaxState, t: { proc: number; offset: number }): boolean =>
    L.oopsed(st) || L.pteBlock(st, order[t.proc], slotOf(L, s.procs[t.proc].maps, t.offset)) >= 0;
  /**
   * memory_failure's verdict line for a poison event: with the rmap walk (rmapbt=1) "Failed"
   * only when the walk errs or wants a shutdown (xfs_dax_notify_failure returns -EFSCORRUPTED;
   * memory_failure_dev_pagemap prints MF_FAILED for any rc, 6.1.192 mm/memory-failure.c:1976-1980,
   * 6.12.117 :2198-2206); through ->mapping, "Failed" when dax_lock_page()/dax_lock_folio() finds
   * it NULL (-EBUSY, 6.1.192 :1616-1618, 6.12.117 :1787-1789). Events run one at a time, so
   * ->mapping when the event starts is ->mapping when memory_failure reads it.
   */
  const mfVerdictBefore = (st: DaxState, block: number): "Recovered" | "Failed" | "rmap" =>
    variant.lookup === "rmap" ? "rmap" : block >= 0 && st[L.pageMapping + block] !== MAPPING_NONE ? "Recovered" : "Failed";
  const mfVerdictAfter = (g: Going): string => {
    const v = g.mfBefore ?? "Recovered";
    if (v !== "rmap") return v;
    return L.shutdown(g.st) ? "Failed" : "Recovered";
  };
  /** File sizes in pages after the events before `index` (the scenario's own bookkeeping: the model has no i_size). */
  const sizeAt = (file: string, index: number): number => {
    // A is written in full, B created as holes of the same size.
    let size = s.offsets;
    for (const e of s.events.slice(0, index)) {
      if ("truncate" in e && e.truncate === file) size = 0;
      if ("clone" in e && e.clone.dst === file) size = sizeAt(e.clone.src, s.events.indexOf(e));
    }
    return size;
  };
  /**
   * Each process reads its page again (the guest's `check late`): past the end of the file a
   * SIGBUS (BUS_ADRERR); a PTE still present reads without a fault; a hole reads the zero page
   * (dax_load_hole); otherwise the model's fault, and a refused one gets its kernel's SIGBUS code.
   */
  const lateReads = (from: readonly Going[], index: number): Going[] => {
    const unmapped = new Set(s.events.flatMap((x) => ("unmap" in x ? [x.unmap] : [])));
    let going = [...from];
    s.procs.forEach((p, i) => {
      if (unmapped.has(i)) return;
      const o = firstOffset(s, i);
      const slot = slotOf(L, p.maps, o);
      const next: Going[] = [];
      for (const g of going) {
        const read = (result: string): Going => ({ ...g, lateReads: [...g.lateReads, `${i} ${result}`] });
        if (L.oopsed(g.st)) next.push(g);
        else if (o >= sizeAt(p.maps, index)) next.push(read("SIGBUS BUS_ADRERR"));
        else if (L.pteBlock(g.st, order[i], slot) >= 0 || g.st[L.bmap + slot] === 0) next.push(read("ok"));
        else {
          const st = startAction(model, g.st, [[`fault(${procName(order[i])},${p.maps}[${o}])`]]);
          if (st === undefined && L.shutdown(g.st)) {
            // A shut-down XFS fails the fault in ->iomap_begin with -EIO (xfs_read_iomap_begin:
            // 6.1.192 fs/xfs/xfs_iomap.c:1249-1250, 6.12.117 :1291-1292): VM_FAULT_SIGBUS, BUS_ADRERR.
            next.push(read("SIGBUS BUS_ADRERR"));
            continue;
          }
          const after: Going[] = [];
          if (st === undefined) after.push(g);
          else settle(g, st, undefined, after);
          next.push(...after.map((x) => ({ ...x, lateReads: [...x.lateReads, `${i} ${L.oopsed(x.st) || L.pteBlock(x.st, order[i], slot) >= 0 ? "ok" : `SIGBUS ${REFUSED_FAULT_SIGNAL[kernel]}`}`] })));
        }
      }
      going = next;
    });
    return going;
  };
  const run = (from: readonly Going[], events: readonly ScenarioEvent[], first: number, evictOrder: readonly string[] = []): Going[] => {
    let going = [...from];
    for (const [k, e] of events.entries()) {
      if ("late_read" in e) {
        going = lateReads(going, first + k);
        continue;
      }
      if ("touch" in e && e.touch.offset >= sizeAt(s.procs[e.touch.proc].maps, first + k)) {
        // Past the end of the file (a truncated B): the fault gets VM_FAULT_SIGBUS before DAX is asked.
        going = going.map((g) => (L.oopsed(g.st) ? g : { ...g, failedTouches: [...g.failedTouches, `${e.touch.proc} ${e.touch.mode} BUS_ADRERR`] }));
        continue;
      }
      if ("poison" in e && going.length > 0) poisoned = poisonedBlock(model, going[0].st, order, e.poison, touched.get(pfnSource(s, first + k) ?? -1));
      const runsMemoryFailure = "poison" in e && e.poison.method !== "badblocks" && poisoned !== undefined;
      if (runsMemoryFailure) going = going.map((g) => ({ ...g, mfBefore: mfVerdictBefore(g.st, poisoned ?? -1) }));
      for (const step of eventSteps(s, order, e, poisoned, evictOrder)) {
        const next: Going[] = [];
        for (const g of going) {
          const labels = step(g.st, model);
          const started = firstEnabled(model, g.st, labels);
          const op = blockingOp(e);
          if (started !== undefined) settle("touch" in e ? { ...g, touchCopies: started.action.kind === "cow_fault" } : g, started.next, op, next);
          else if ((op !== undefined || "unlink_close" in e) && g.deferred.length === 0 && labels.length > 0) {
            next.push({ ...g, deferred: labels.flat(), blocked: op === undefined ? g.blocked : [...g.blocked, op] });
          } else {
            if (labels.length > 0 && !("umount" in e)) dropped.add(`${JSON.stringify(e)}: none of ${labels.flat().join(", ")} is enabled`);
            next.push(g);
          }
        }
        going = retryDeferred(next);
      }
      // An oops inside memory_failure ends it before its verdict line.
      if (runsMemoryFailure) going = going.map((g) => (L.oopsed(g.st) ? g : { ...g, verdicts: [...g.verdicts, mfVerdictAfter(g)] }));
      if ("touch" in e) going = going.map((g) => (hasPage(g.st, e.touch) ? g : { ...g, failedTouches: [...g.failedTouches, `${e.touch.proc} ${e.touch.mode} ${g.touchCopies ? FAILED_COPY_SIGNAL : REFUSED_FAULT_SIGNAL[kernel]}`] }));
      if ("touch" in e && going.length > 0) touched.set(e.touch.proc, L.pteBlock(going[0].st, order[e.touch.proc], slotOf(L, s.procs[e.touch.proc].maps, e.touch.offset)));
    }
    return going;
  };
  // Signals and PTEs are what the processes see before they exit; an ending umount adds only kernel lines.
  const end = s.events.findIndex((e) => "umount" in e || "late_read" in e);
  const during = end < 0 ? s.events : s.events.slice(0, end);
  const teardown = end < 0 ? [] : s.events.slice(end);
  const outcomes = new Map<string, Observed>();
  const add = (o: Observed): void => void outcomes.set(JSON.stringify(o), o);
  for (const g of run(starts, during, 0)) {
    const stillBlocked = g.blocked.length > 0 && (busy(g.st) || g.deferred.length > 0);
    const seen = observe(model, g, order, poisoned, stillBlocked);
    // The unmount evicts the inodes in an order the scenario does not control (evict_inodes walks sb->s_inodes).
    const orders = s.files.includes("B") ? [["A", "B"], ["B", "A"]] : [["A"]];
    const after = teardown.length === 0 || stillBlocked ? [g] : orders.flatMap((o) => run([g], teardown, during.length, o));
    for (const t of after) add({ ...seen, kernel: observe(model, t, order, poisoned, false).kernel, lateReads: t.lateReads });
  }
  for (const g of hung) add(observe(model, g, order, poisoned, true));
  return { variant: variant.id, bounds, outcomes: [...outcomes.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), dropped: [...dropped] };
}

/** The guest operation an event runs in a worker that may block, as the guest names it. */
function blockingOp(e: ScenarioEvent): string | undefined {
  if ("truncate" in e) return "truncate";
  if ("punch" in e) return "punch";
  return undefined;
}

type DaxModel = ReturnType<typeof buildModel>;

/** The model slot of a scenario file ("A", "B") at an offset. */
function slotOf(L: DaxModel["layout"], file: string, offset: number): number {
  return L.slot(file.charCodeAt(0) - 65, offset);
}

/** A scenario as the guest runs it: the helper ends with `check late` (each process reads its page again), then the guest unmounts. */
export function asGuestRuns(s: Scenario): Scenario {
  return { ...s, events: [...s.events, { late_read: true as const }, { umount: true as const }] };
}

/** The first of `alternatives` that is enabled (label lists tried in order) and the state after it, or undefined when none is. */
function firstEnabled(model: DaxModel, st: DaxState, alternatives: readonly (readonly string[])[]): { action: DaxAction; next: DaxState } | undefined {
  const candidates: DaxAction[] = [];
  model.actions(st, candidates);
  for (const labels of alternatives) {
    for (const label of labels) {
      const action = candidates.find((c) => model.actionLabel(c) === label);
      const next = action === undefined ? undefined : model.nextState(st, action);
      if (action !== undefined && next !== undefined) return { action, next };
    }
  }
  return undefined;
}

/** The state after the first of `alternatives` that is enabled, or undefined when none is. */
function startAction(model: DaxModel, st: DaxState, alternatives: readonly (readonly string[])[]): DaxState | undefined {
  return firstEnabled(model, st, alternatives)?.next;
}

/** The setup's state after an action, or the state unchanged when it is not enabled (a process already mapping its file). */
function apply(model: DaxModel, st: DaxState, alternatives: readonly (readonly string[])[]): DaxState[] {
  return [startAction(model, st, alternatives) ?? st];
}

/** Scenario process i is model process order[i]: the model's early-kill processes come first. */
function modelOrder(s: Scenario): number[] {
  const early = s.procs.map((p, i) => [p, i] as const).filter(([p]) => p.kill === "early").map(([, i]) => i);
  const late = s.procs.map((p, i) => [p, i] as const).filter(([p]) => p.kill === "late").map(([, i]) => i);
  const order = new Array<number>(s.procs.length);
  [...early, ...late].forEach((scenarioIndex, modelIndex) => (order[scenarioIndex] = modelIndex));
  return order;
}

/** The bounds the scenario needs. */
export function boundsFor(s: Scenario): Bounds {
  const events = s.events;
  const methods = events.flatMap((e) => ("poison" in e ? [e.poison.method] : []));
  let via = 0;
  for (const m of methods) via |= m === "madvise" ? VIA.madvise : m === "media" ? VIA.media : m === "badblocks" ? VIA.ars : VIA.corruptPfn;
  return {
    files: s.files.includes("B") ? 2 : 1,
    offsets: s.offsets,
    blocks: Math.min(8, s.offsets + 2),
    procs: s.procs.length,
    early: s.procs.filter((p) => p.kill === "early").length,
    pins: events.some((e) => "pin" in e) ? 1 : 0,
    poisons: Math.max(1, Math.min(3, methods.length)),
    cow: events.some((e) => "touch" in e && e.touch.mode === "write") ? 1 : 0,
    evict: events.some((e) => "unlink_close" in e || "umount" in e) ? 1 : 0,
    via: via === 0 ? VIA.media : via,
  };
}

/** munmap/mmap so each model process maps its scenario file (the model starts process i on file i mod files). */
function setupLabels(s: Scenario, order: readonly number[]): string[][] {
  const files = s.files.includes("B") ? 2 : 1;
  const out: string[][] = [];
  s.procs.forEach((p, i) => {
    const m = order[i];
    const initial = fileName(m % files);
    if (initial === p.maps) return;
    out.push([`munmap(${procName(m)},${initial})`], [`mmap(${procName(m)},${p.maps})`]);
  });
  return out.flat().map((l) => [l]);
}

/** An event as user actions one after another, each given as labels tried in order (it may depend on the state). */
function eventSteps(s: Scenario, order: readonly number[], e: ScenarioEvent, poisoned: number | undefined, evictOrder: readonly string[]): ((st: DaxState, model: DaxModel) => string[][])[] {
  if (!("umount" in e)) return [(st, model) => eventLabels(s, order, e, st, model, poisoned)];
  const exits = s.procs.map((p, i) => () => [[`munmap(${procName(order[i])},${p.maps})`]]);
  const evicts = evictOrder.map((f) => () => [[`evict(${f})`]]);
  return [...exits, ...evicts];
}

/** The offset process i maps in the guest: the one it first touches or pins (0 when none). */
export function firstOffset(s: Scenario, i: number): number {
  for (const e of s.events) {
    if ("touch" in e && e.touch.proc === i) return e.touch.offset;
    if ("pin" in e && e.pin.proc === i) return e.pin.offset;
  }
  return 0;
}

/** The user action of an event, as labels tried in order. */
function eventLabels(s: Scenario, order: readonly number[], e: ScenarioEvent, st: DaxState, model: DaxModel, poisoned: number | undefined): string[][] {
  const P = (i: number): string => procName(order[i]);
  const at = (i: number, offset: number): string => `${s.procs[i].maps}[${offset}]`;
  if ("clone" in e) return [[`reflink(${e.clone.src}->${e.clone.dst})`]];
  if ("touch" in e) {
    const slot = at(e.touch.proc, e.touch.offset);
    const p = P(e.touch.proc);
    return e.touch.mode === "read" ? [[`fault(${p},${slot})`]] : [[`cow_fault(${p},${slot})`, `alloc(${p},${slot})`, `fault(${p},${slot})`]];
  }
  if ("pin" in e) return [[`pin(${P(e.pin.proc)},${at(e.pin.proc, e.pin.offset)})`]];
  if ("unpin" in e) return [[...Array(model.layout.blocks).keys()].map((b) => `unpin(${blockName(b)})`)];
  if ("unmap" in e) return [[`munmap(${P(e.unmap)},${s.procs[e.unmap].maps})`]];
  if ("truncate" in e) return [[`truncate_begin(${e.truncate})`]];
  // In a one-page file (unpredictable() refuses others) punching the page is what the model's truncate does.
  if ("punch" in e) return [[`truncate_begin(${e.punch.file})`]];
  if ("clone_range" in e) return [[`reflink_range(${e.clone_range.file}[${e.clone_range.src}]->${e.clone_range.file}[${e.clone_range.dst}])`]];
  if ("unlink_close" in e) return [[`evict(${e.unlink_close})`]];
  if ("umount" in e || "late_read" in e) return [];
  const { method, proc, file, offset } = e.poison;
  const slot = `${file}[${offset}]`;
  if (method === "madvise" && proc !== undefined) return [[`madvise(${P(proc)},${slot})`]];
  if (method === "media" && proc !== undefined) return [[`consume(${P(proc)},${slot})`]];
  if (poisoned === undefined || poisoned < 0) return [["(no recorded pfn to poison)"]];
  // The model runs memory_failure only on pages in use. On a free page (a truncated or evicted
  // file's old block) the kernel signals nobody: ->mapping is NULL, dax_lock_page() fails
  // (6.1.192 mm/memory-failure.c:1616-1618; 6.12.117 dax_lock_folio :1787-1789), and with the rmap
  // btree the query finds no owner (memory_failure_dev_pagemap, 6.1.192 :1976; 6.12.117 :2198).
  const L = model.layout;
  if (method !== "media" && L.refcount(st, poisoned) === 0 && L.mappersOf(st, poisoned) === 0) return [];
  // corrupt-pfn and hard_offline_page both call memory_failure(pfn, MF_SW_SIMULATED): 6.1.192
  // mm/hwpoison-inject.c:51 and drivers/base/memory.c:573 (hard_offline_page_store); 6.12.117 :52 and :618.
  return [[method === "media" ? `scrub(${blockName(poisoned)})` : method === "badblocks" ? `ars(${blockName(poisoned)})` : `inject(${blockName(poisoned)})`]];
}

/**
 * The block an event poisons (-1: none): the caller's PTE for madvise and a consumed error; the
 * recorded pfn for corrupt-pfn and hard-offline; the extent's block for a patrol scrub.
 */
function poisonedBlock(model: DaxModel, st: DaxState, order: readonly number[], p: Extract<ScenarioEvent, { poison: unknown }>["poison"], recorded: number | undefined): number {
  const L = model.layout;
  const slot = slotOf(L, p.file, p.offset);
  if (p.proc !== undefined && (p.method === "madvise" || p.method === "media")) return L.pteBlock(st, order[p.proc], slot);
  if (p.method !== "madvise") return recorded ?? -1;
  return st[L.bmap + slot] - 1;
}

/** The observables of a state, in scenario process numbers. */
function observe(model: DaxModel, g: Going, order: readonly number[], poisoned: number | undefined, hung: boolean): Observed {
  const L = model.layout;
  const st = g.st;
  const signals: string[] = [];
  const keepsPte: number[] = [];
  order.forEach((m, i) => {
    if (st[L.sigAR + m] !== 0) signals.push(`${i} AR`);
    if (st[L.sigAO + m] !== 0) signals.push(`${i} AO`);
    if (st[L.sigKill + m] !== 0) signals.push(`${i} KILL`);
    if (poisoned === undefined) return;
    for (let slot = 0; slot < L.slots; slot++) {
      if (L.pteBlock(st, m, slot) === poisoned) {
        keepsPte.push(i);
        break;
      }
    }
  });
  const out = st[L.outcome];
  const kernel: string[] = [];
  if (out & OUT.warnAssociate) kernel.push("WARN associate");
  if (out & OUT.warnDisassociate) kernel.push("WARN disassociate");
  if (out & OUT.warnTruncateBusy) kernel.push("WARN truncate-busy");
  if (out & OUT.oops) kernel.push("OOPS");
  if (out & OUT.fsShutdown) kernel.push("SHUTDOWN");
  return { signals: signals.sort(), keepsPte: keepsPte.sort(), kernel: kernel.sort(), blocked: g.blocked, failedTouches: g.failedTouches, lateReads: g.lateReads, verdicts: g.verdicts, hung };
}
