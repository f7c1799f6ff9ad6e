/**
 * Which nodes and edges of an ownership graph break an invariant, as far as one state shows it
 * cheaply: the unsignalled PTE, the free pinned page, the page whose owner disagrees, the entry
 * off its extent, the wait edges, the kernel log line. Unknown properties mark nothing.
 */
import { slotName } from "../actions.js";
import { type Ctx, isCowStaging } from "../context.js";
import { waitsFor } from "../locks.js";
import { type DaxState, FAULT, MAPPING_NONE, MAPPING_SHARED, PAGE_BADBLOCK, PAGE_HWPOISON } from "../state.js";
import { LOG_ID, edgeKey, fileId, offsetId, operationId, pageId, procId, waitLabel } from "./graph-ids.js";

/** The marked node ids and edge keys (graph-ids.ts edgeKey). */
export interface Culprits {
  readonly nodes: Set<string>;
  readonly edges: Set<string>;
}

type Finder = (c: Ctx, s: DaxState, out: Culprits) => void;

const log: Finder = (_c, _s, out) => void out.nodes.add(LOG_ID);

/** Finders by invariant id (spec/invariants.ts). */
const FINDERS: Readonly<Record<string, readonly Finder[]>> = {
  no_oops: [log],
  no_warn_associate: [log],
  no_warn_disassociate: [log],
  no_warn_truncate_busy: [log, pinnedPages],
  no_free_while_pinned: [log, freePinnedPages],
  poison_reaches_every_mapping: [log, unsignalledPoisonPtes],
  no_spurious_signal: [log, spuriousSignals],
  backpointer_sound: [unsoundBackpointers],
  owner_lookup_complete: [unfoundEntries],
  share_count_exact: [wrongShareCounts],
  clean_when_unowned: [uncleanPages],
  entry_matches_extent: [entriesOffExtent],
  signalled_pte_gone: [signalledPtes],
  sole_owner_exact: [notSoleOwners],
  no_deadlock: [waitEdges],
  no_stuck_state: [waitEdges],
  no_leaked_entry_lock: [log, leakedLocks],
};

/** What to mark for `property` in state `s`. */
export function culprits(c: Ctx, s: DaxState, property: string): Culprits {
  const out: Culprits = { nodes: new Set(), edges: new Set() };
  for (const find of Object.hasOwn(FINDERS, property) ? FINDERS[property] : []) find(c, s, out);
  return out;
}

/** The PTE edges of process p, for the blocks `want` accepts. */
function markPtes(c: Ctx, s: DaxState, p: number, want: (b: number) => boolean, out: Culprits): void {
  const { L } = c;
  for (let i = 0; i < L.slots; i++) {
    const b = L.pteBlock(s, p, i);
    if (b >= 0 && want(b)) out.edges.add(edgeKey("pte", procId(p), pageId(b), `PTE ${slotName(L, i)}`));
  }
}

/** A page and, when it names a file, its ->mapping edge. */
function markPage(c: Ctx, s: DaxState, b: number, out: Culprits): void {
  out.nodes.add(pageId(b));
  const m = s[c.L.pageMapping + b];
  if (m !== MAPPING_NONE && m !== MAPPING_SHARED && m - 1 < c.L.files) out.edges.add(edgeKey("mapping", pageId(b), fileId(m - 1), "->mapping"));
}

const signalled = (c: Ctx, s: DaxState, p: number): number => s[c.L.sigAR + p] | s[c.L.sigAO + p] | s[c.L.sigKill + p];

/** PTEs to a page with a media error (HWPoison, or in badblocks when memory_failure gave up before setting it) whose process got no signal for it. */
function unsignalledPoisonPtes(c: Ctx, s: DaxState, out: Culprits): void {
  for (let p = 0; p < c.L.procs; p++) {
    const got = signalled(c, s, p);
    markPtes(c, s, p, (b) => (s[c.L.pageFlags + b] & (PAGE_HWPOISON | PAGE_BADBLOCK)) !== 0 && (got & (1 << b)) === 0, out);
  }
}

function signalledPtes(c: Ctx, s: DaxState, out: Culprits): void {
  for (let p = 0; p < c.L.procs; p++) {
    const got = s[c.L.sigAR + p] | s[c.L.sigAO + p];
    markPtes(c, s, p, (b) => (got & (1 << b)) !== 0, out);
  }
}

/** Processes signalled for a page none of their PTEs maps. */
function spuriousSignals(c: Ctx, s: DaxState, out: Culprits): void {
  const { L } = c;
  for (let p = 0; p < L.procs; p++) {
    let mapped = 0;
    for (let i = 0; i < L.slots; i++) if (L.pteBlock(s, p, i) >= 0) mapped |= 1 << L.pteBlock(s, p, i);
    if ((signalled(c, s, p) & ~mapped) !== 0) out.nodes.add(procId(p));
  }
}

function pinnedPages(c: Ctx, s: DaxState, out: Culprits): void {
  for (let b = 0; b < c.L.blocks; b++) if (s[c.L.pagePins + b] > 0) out.nodes.add(pageId(b));
}

function freePinnedPages(c: Ctx, s: DaxState, out: Culprits): void {
  const { L } = c;
  for (let b = 0; b < L.blocks; b++) if (s[L.pagePins + b] > 0 && L.refcount(s, b) === 0 && !isCowStaging(L, s, b)) out.nodes.add(pageId(b));
}

/** Pages whose (->mapping, ->index) names no entry mapping them back. */
function unsoundBackpointers(c: Ctx, s: DaxState, out: Culprits): void {
  const { v, L } = c;
  for (let b = 0; b < L.blocks; b++) {
    const m = s[L.pageMapping + b];
    if (m === MAPPING_NONE || m === MAPPING_SHARED) continue;
    const f = m - 1;
    const offsets = Array.from({ length: L.offsets }, (_, o) => o);
    const named = v.recordsIndex ? [s[L.pageIndex + b]].filter((o) => o < L.offsets) : offsets;
    if (f >= L.files || !named.some((o) => L.entryBlock(s, L.slot(f, o)) === b)) markPage(c, s, b, out);
  }
}

/** Entry edges the variant's memory_failure lookup would not find. */
function unfoundEntries(c: Ctx, s: DaxState, out: Culprits): void {
  const { v, L } = c;
  for (let i = 0; i < L.slots; i++) {
    const b = L.entryBlock(s, i);
    if (b < 0) continue;
    const byMapping = s[L.pageMapping + b] === L.fileOf(i) + 1;
    const found = v.lookup === "rmap" ? L.bmapBlock(s, i) === b : v.lookup === "whole-mapping" ? byMapping : byMapping && s[L.pageIndex + b] === L.offsetOf(i);
    if (!found) out.edges.add(edgeKey("entry", offsetId(L, i), pageId(b), "entry"));
  }
}

function wrongShareCounts(c: Ctx, s: DaxState, out: Culprits): void {
  const { L } = c;
  for (let b = 0; b < L.blocks; b++) if (s[L.pageMapping + b] === MAPPING_SHARED && s[L.pageIndex + b] !== L.entriesOn(s, b)) out.nodes.add(pageId(b));
}

function uncleanPages(c: Ctx, s: DaxState, out: Culprits): void {
  const { L } = c;
  for (let b = 0; b < L.blocks; b++) {
    if (L.entriesOn(s, b) === 0 && (s[L.pageMapping + b] !== MAPPING_NONE || s[L.pageIndex + b] !== 0)) markPage(c, s, b, out);
  }
}

/** Entries (and their extents) that disagree, outside an in-flight CoW's window. */
function entriesOffExtent(c: Ctx, s: DaxState, out: Culprits): void {
  const { L } = c;
  for (let i = 0; i < L.slots; i++) {
    const e = L.entryBlock(s, i);
    const x = L.bmapBlock(s, i);
    if (e < 0 || x === e || inCowWindow(c, s, i)) continue;
    out.edges.add(edgeKey("entry", offsetId(L, i), pageId(e), "entry"));
    out.nodes.add(offsetId(L, i));
    if (x >= 0) out.edges.add(edgeKey("bmap", offsetId(L, i), pageId(x), "bmap"));
  }
}

function inCowWindow({ L }: Ctx, s: DaxState, slot: number): boolean {
  for (let p = 0; p < L.procs; p++) {
    const phase = s[L.faultPhase + p];
    if ((phase === FAULT.cowMapped || phase === FAULT.cowFailed) && L.faultSlotOf(s, p) === slot) return true;
  }
  return false;
}

/** Pages with a regular owner not mapped by exactly one entry (by-index designs) or by entries of another file (whole mapping). */
function notSoleOwners(c: Ctx, s: DaxState, out: Culprits): void {
  const { v, L } = c;
  for (let b = 0; b < L.blocks; b++) {
    const m = s[L.pageMapping + b];
    if (m === MAPPING_NONE || m === MAPPING_SHARED) continue;
    const mappers = Array.from({ length: L.slots }, (_, i) => i).filter((i) => L.entryBlock(s, i) === b);
    const sole = v.recordsIndex ? mappers.length === 1 : mappers.length > 0 && mappers.every((i) => L.fileOf(i) === m - 1);
    if (sole) continue;
    markPage(c, s, b, out);
    for (const i of mappers) out.edges.add(edgeKey("entry", offsetId(L, i), pageId(b), "entry"));
  }
}

function waitEdges(c: Ctx, s: DaxState, out: Culprits): void {
  if (c.L.oopsed(s)) return;
  const w = waitsFor(c, s);
  for (let n = 0; n < w.length; n++) {
    for (let m = 0; m < w.length; m++) if ((w[n] & (1 << m)) !== 0) out.edges.add(edgeKey("wait", operationId(c.L, n), operationId(c.L, m), waitLabel(c, s, n)));
  }
}

function leakedLocks(c: Ctx, s: DaxState, out: Culprits): void {
  for (let i = 0; i < c.L.slots; i++) if ((s[c.L.leakedLocks] & (1 << i)) !== 0) out.nodes.add(offsetId(c.L, i));
}
