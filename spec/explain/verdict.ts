/** The violated invariant stated for one trace: which page, entry, process or lock breaks it, in kernel terms. */
import type { Variant } from "../variants.js";
import { inFlight } from "./picture.js";
import { type StateView, entriesOf, ownerText, signalsFor, slotsOf } from "./view-types.js";

/** The views of the trace's states and the labels and lanes of its steps. */
export interface TraceViews {
  readonly views: readonly StateView[];
  readonly labels: readonly string[];
  readonly lanes: readonly string[];
}

/** One to three lines stating how the last state violates `property`. */
export function verdictLines(v: Variant, t: TraceViews, property: string): string[] {
  const last = t.views[t.views.length - 1];
  const witness = WITNESS[property]?.(v, t, last) ?? [];
  return witness.length > 0 ? witness : [`${property} is violated in the last state`];
}

type Witness = (v: Variant, t: TraceViews, last: StateView) => string[];

const logged = (needle: RegExp): Witness => (_v, t, last) => {
  const line = last.kernel_log.find((l) => needle.test(l));
  if (line === undefined) return [];
  const k = t.views.findIndex((view) => view.kernel_log.includes(line));
  const where = k > 0 ? ` (step ${k}: ${t.labels[k - 1]}, in ${t.lanes[k - 1]})` : "";
  return [`kernel: ${line}${where}`];
};

const WITNESS: Readonly<Record<string, Witness>> = {
  no_oops: logged(/^OOPS/),
  no_warn_associate: logged(/dax_associate_entry/),
  no_warn_disassociate: logged(/another file/),
  no_warn_truncate_busy: logged(/truncating a pinned page/),
  no_free_while_pinned: (v, t, last) => [...logged(/freed while pinned/)(v, t, last), ...freedPinned(last)],
  no_spurious_signal: logged(/SIGBUS or SIGKILL/),
  no_leaked_entry_lock: logged(/stays locked/),
  poison_reaches_every_mapping: (v, t, last) => missedKill(v, t, last),
  backpointer_sound: (_v, _t, last) => pageWitness(last, (page, p) => {
    if (p.mapping === "NULL" || p.share !== undefined || p.mapping.startsWith("SHARED") || p.mapping.startsWith("NULL")) return undefined;
    const f = last.files[p.mapping];
    const entry = f?.entries[p.index ?? 0];
    return entry === page ? undefined : `${page}->mapping = ${p.mapping}, ->index ${p.index ?? 0}, but DAX entry ${p.mapping}[${p.index ?? 0}] is ${entry === "-" || entry === undefined ? "empty" : `-> ${entry}`}`;
  }),
  sole_owner_exact: (_v, _t, last) => pageWitness(last, (page, p) => {
    if (p.mapping === "NULL" || p.share !== undefined || p.mapping.startsWith("SHARED") || p.mapping.startsWith("NULL")) return undefined;
    const entries = entriesOf(last, page);
    return entries.length === 1 ? undefined : `${page}->mapping = ${p.mapping} names one owner, but ${entries.length} DAX entries map it${entries.length > 0 ? `: ${entries.join(", ")}` : ""}`;
  }),
  share_count_exact: (_v, _t, last) => pageWitness(last, (page, p) => {
    if (p.share === undefined && !p.mapping.startsWith("SHARED")) return undefined;
    const entries = entriesOf(last, page);
    const share = p.share ?? p.index ?? 0;
    return share === entries.length ? undefined : `${page}->share = ${share}, but ${entries.length} DAX entries map it${entries.length > 0 ? `: ${entries.join(", ")}` : ""}`;
  }),
  clean_when_unowned: (_v, _t, last) => pageWitness(last, (page, p) => {
    if (entriesOf(last, page).length > 0) return undefined;
    const dirty = p.mapping !== "NULL" || (p.index ?? 0) !== 0 || (p.share ?? 0) !== 0;
    return dirty ? `no DAX entry maps ${page}, yet ${ownerText(p)}` : undefined;
  }),
  entry_matches_extent: (_v, _t, last) => slotsOf(last).flatMap((s) => {
    const entry = s.f.entries[s.offset];
    const extent = s.f.extents[s.offset];
    return entry !== "-" && entry !== extent ? [`DAX entry ${s.at} -> ${entry}, but extent ${s.at} is ${extent === "-" ? "a hole" : extent}`] : [];
  }).slice(0, 3),
  owner_lookup_complete: (v, _t, last) => ownerLookup(v, last),
  signalled_pte_gone: (_v, _t, last) => Object.entries(last.processes).flatMap(([n, p]) =>
    Object.entries(p.ptes).filter(([, page]) => signalsFor(p, page).length > 0).map(([at, page]) =>
      `${n} got ${signalsFor(p, page).join(" and ")} for ${page} and still maps it through ${at} after memory_failure returned`,
    ),
  ).slice(0, 3),
  no_deadlock: (_v, _t, last) => ["the operations in flight wait on each other in a cycle:", ...waits(last).map((l) => `  ${l}`)],
  no_stuck_state: (_v, _t, last) => ["operations are in flight and no step is enabled:", ...waits(last).map((l) => `  ${l}`)],
};

function pageWitness(last: StateView, f: (page: string, p: StateView["pages"][string]) => string | undefined): string[] {
  return Object.entries(last.pages).flatMap(([page, p]) => {
    const w = f(page, p);
    return w === undefined ? [] : [w];
  }).slice(0, 3);
}

function freedPinned(last: StateView): string[] {
  return Object.entries(last.pages).filter(([, p]) => p.pins > 0 && p.refcount === 0).map(([page, p]) =>
    `${page} has ${p.pins} DMA pin(s) but no extent holds it: the allocator may hand it out while the device still writes it`,
  );
}

/** How memory_failure looked the page's owners up, in the variant's design. */
function lookupText(v: Variant, start: StateView, page: string): string {
  const p = start.pages[page];
  if (v.lookup === "rmap") return "asked XFS, which walked the rmap btree";
  if (v.lookup === "whole-mapping") return `scanned every entry of ${p?.mapping ?? "?"}`;
  if (p === undefined) return "looked the page up";
  if (p.mapping === "NULL") return `found ${page}->mapping = NULL and gave up (dax_lock_page finds no mapping: "Failed")`;
  return `followed ${page}${ownerText(p).replace("->mapping ", "->mapping = ")} only`;
}

function missedKill(v: Variant, t: TraceViews, last: StateView): string[] {
  let k = t.views.length - 1;
  while (k > 0 && t.views[k].memory_failure.page === undefined) k--;
  const start = t.views[k];
  const page = start.memory_failure.page;
  if (page === undefined) return [];
  let first = k;
  while (first > 0 && t.views[first - 1].memory_failure.page === page) first--;
  const current = start.memory_failure.current;
  const missed = Object.entries(last.processes).filter(([n, p]) => {
    const maps = Object.values(p.ptes).includes(page) || (t.views[first].processes[n]?.ptes !== undefined && Object.values(t.views[first].processes[n].ptes).includes(page));
    const entitled = p.kill === "early" || n === current;
    return maps && entitled && signalsFor(p, page).length === 0;
  });
  const lines = [`memory_failure(${page}) ${lookupText(v, t.views[first], page)}`];
  for (const [n, p] of missed) {
    const at = Object.entries(p.ptes).find(([, b]) => b === page)?.[0] ?? Object.entries(t.views[first].processes[n].ptes).find(([, b]) => b === page)?.[0] ?? "?";
    lines.push(`${n} (${n === current ? "current" : `${p.kill}-kill`}) maps ${page} through ${at} and was never signalled`);
  }
  const shutdown = last.kernel_log.find((l) => l.includes("shutdown"));
  if (shutdown !== undefined) lines.push(`kernel: ${shutdown}`);
  return lines;
}

function ownerLookup(v: Variant, last: StateView): string[] {
  for (const [page, p] of Object.entries(last.pages)) {
    const entries = entriesOf(last, page);
    if (entries.length === 0) continue;
    const found = v.lookup === "rmap"
      ? slotsOf(last).filter((s) => s.f.extents[s.offset] === page).map((s) => s.at)
      : v.lookup === "whole-mapping"
        ? entries.filter((e) => e.startsWith(p.mapping))
        : entries.filter((e) => e === `${p.mapping}[${p.index ?? 0}]`);
    const missed = entries.filter((e) => !found.includes(e));
    if (missed.length === 0) continue;
    const how = v.lookup === "rmap" ? "the rmap btree names" : `${ownerText(p)} leads to`;
    const these = entries.length === 1 ? `DAX entry ${entries[0]} maps` : `DAX entries ${entries.join(", ")} map`;
    return [`${these} ${page}; ${how} ${found.length === 0 ? "no file offset" : found.join(", ")}, so ${missed.join(", ")} ${missed.length === 1 ? "is" : "are"} never looked up`];
  }
  return [];
}

/** Each operation in flight with the lock it holds and the one it waits for, where the view tells. */
function waits(last: StateView): string[] {
  const lines: string[] = [];
  const lockedBy = new Map<string, string>();
  for (const [n, p] of Object.entries(last.processes)) {
    const m = /^(?:write |CoW )?([A-Z]\[\d+\])/.exec(p.fault);
    if (p.fault === "idle" || m === null) continue;
    lockedBy.set(m[1], n);
    const next = p.fault.includes("iomap_begin") ? "the AGF in ->iomap_begin (xfs_read_iomap_begin / xfs_direct_write_iomap_begin)"
      : p.fault.includes("xfs_reflink") ? "the AGF in xfs_dax_write_iomap_end" : "its next step";
    lines.push(`${n} holds entry lock ${m[1]} (grab_mapping_entry) and needs ${next}`);
  }
  const mf = last.memory_failure;
  if (mf.phase !== "idle") {
    const holdsAgf = mf.phase.includes("under the AGF");
    const owner = mf.owners_left?.find((o) => lockedBy.has(o));
    const wants = mf.sleeps_on ?? owner;
    const holder = wants === undefined ? undefined : lockedBy.get(wants);
    lines.push(`memory_failure(${mf.page ?? "?"})${holdsAgf ? " holds the AGF (xfs_dax_notify_failure)" : ""}${wants !== undefined ? ` and needs entry lock ${wants}${holder !== undefined ? `, which ${holder} holds` : ""}` : `: ${mf.phase}`}`);
  }
  if (last.truncate !== "idle") lines.push(`truncate ${last.truncate} (holds the MMAPLOCK exclusive)`);
  return lines.length > 0 ? lines : inFlight(last);
}
