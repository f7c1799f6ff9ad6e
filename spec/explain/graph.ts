/**
 * The ownership graph of one state, in kernel terms: each file's offsets with their extents
 * (bmap) and DAX entries, the pmem pages with ->mapping/->index or share, poison and pins, each
 * process's VMAs, PTEs, fault and signals, the operations in flight with the entry locks they
 * hold or sleep on, and the kernel log. What breaks the property is marked (graph-culprits.ts).
 */
import type { Graph, GraphEdge, GraphNode } from "../../src/core/explain.js";
import { blockName, fileName, procName, slotName } from "../actions.js";
import { type Ctx, isCowStaging } from "../context.js";
import { waitsFor } from "../locks.js";
import { type DaxState, MAPPING_NONE, MAPPING_SHARED, MF } from "../state.js";
import { viewState } from "../view.js";
import { culprits } from "./graph-culprits.js";
import {
  KERNEL_CLUSTER, LOG_ID, MF_ID, PAGES_CLUSTER, TRUNC_ID, edgeKey, waitLabel, fileCluster, fileId, offsetId, operationId, pageId, procCluster, procId,
} from "./graph-ids.js";

type Cluster = Graph["clusters"][number];
type Rec = Readonly<Record<string, unknown>>;

/** A graph under construction. */
interface Parts {
  readonly clusters: Cluster[];
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

/** Files and offsets, DAX entries, pages and their owners, processes and PTEs, locks and signals. */
export function stateGraph(c: Ctx, s: DaxState, property?: string): Graph {
  const view = viewState(c, s);
  const g: Parts = { clusters: [], nodes: [], edges: [] };
  addFiles(c, s, view, g);
  addPages(c, s, view, g);
  addProcesses(c, s, view, g);
  addOperations(c, s, view, g);
  addWaits(c, s, g);
  addLog(view, g);
  return property === undefined ? g : highlighted(g, culprits(c, s, property));
}

/** Marks the nodes and edges `bad` names. */
function highlighted(g: Parts, bad: { readonly nodes: ReadonlySet<string>; readonly edges: ReadonlySet<string> }): Graph {
  return {
    clusters: g.clusters,
    nodes: g.nodes.map((n) => (bad.nodes.has(n.id) ? { ...n, highlight: true } : n)),
    edges: g.edges.map((e) => (bad.edges.has(edgeKey(e.kind, e.from, e.to, e.label)) ? { ...e, highlight: true } : e)),
  };
}

const rec = (x: unknown): Rec => (typeof x === "object" && x !== null ? (x as Rec) : {});
const list = (x: unknown): readonly string[] => (Array.isArray(x) ? x.map(String) : []);

/** One cluster per file: its inode, and its offsets with the extent (bmap) and DAX entry edges. */
function addFiles(c: Ctx, s: DaxState, view: Rec, g: Parts): void {
  const { L } = c;
  for (let f = 0; f < L.files; f++) {
    const info = rec(rec(view.files)[fileName(f)]);
    const flags = [info.alive === true ? "" : "evicted", info.awaiting_inodegc === true ? "awaiting inodegc" : "", info.reflink_flag === true ? "REFLINK flag" : ""];
    g.clusters.push({ id: fileCluster(f), label: `file ${fileName(f)}` });
    g.nodes.push({ id: fileId(f), label: [`inode ${fileName(f)} (address_space)`, ...flags.filter((x) => x !== "")].join("\n"), kind: "file", cluster: fileCluster(f) });
    for (let o = 0; o < L.offsets; o++) addOffset(c, s, L.slot(f, o), g);
  }
}

/** One offset node, with its extent and entry edges. */
function addOffset({ L }: Ctx, s: DaxState, slot: number, g: Parts): void {
  const id = offsetId(L, slot);
  const leaked = (s[L.leakedLocks] & (1 << slot)) !== 0;
  g.nodes.push({ id, label: [slotName(L, slot), ...(leaked ? ["entry locked for ever"] : [])].join("\n"), kind: "offset", cluster: fileCluster(L.fileOf(slot)) });
  const extent = L.bmapBlock(s, slot);
  if (extent >= 0) g.edges.push({ from: id, to: pageId(extent), label: "bmap", kind: "bmap" });
  const entry = L.entryBlock(s, slot);
  if (entry >= 0) g.edges.push({ from: id, to: pageId(entry), label: "entry", kind: "entry" });
}

/** The pmem pages: ->mapping and ->index or share, poison, pins, refcount; an edge to the file ->mapping names. */
function addPages(c: Ctx, s: DaxState, view: Rec, g: Parts): void {
  const { L } = c;
  g.clusters.push({ id: PAGES_CLUSTER, label: "pmem pages" });
  for (let b = 0; b < L.blocks; b++) {
    const page = rec(rec(view.pages)[blockName(b)]);
    g.nodes.push({ id: pageId(b), label: pageLabel(c, s, b, page), kind: "page", cluster: PAGES_CLUSTER });
    const m = s[L.pageMapping + b];
    if (m !== MAPPING_NONE && m !== MAPPING_SHARED && m - 1 < L.files) g.edges.push({ from: pageId(b), to: fileId(m - 1), label: "->mapping", kind: "mapping" });
  }
}

/** A page's lines: name, owner, counts, flags. */
function pageLabel({ L }: Ctx, s: DaxState, b: number, page: Rec): string {
  const owner = "share" in page ? `->mapping ${String(page.mapping)}, share ${String(page.share)}` : `->mapping ${String(page.mapping)}, ->index ${String(page.index)}`;
  const free = L.refcount(s, b) === 0 && !isCowStaging(L, s, b);
  const flags = [page.hwpoison === true ? "HWPoison" : "", page.badblock === true ? "badblock" : "", free ? "free" : ""].filter((x) => x !== "");
  return [blockName(b), owner, `refcount ${String(page.refcount)}, pins ${String(page.pins)}`, ...(flags.length > 0 ? [flags.join(", ")] : [])].join("\n");
}

/** One cluster per process: its node (VMAs, fault, signals), PTE edges, and the entry its fault locks. */
function addProcesses(c: Ctx, s: DaxState, view: Rec, g: Parts): void {
  const { L } = c;
  for (let p = 0; p < L.procs; p++) {
    const info = rec(rec(view.processes)[procName(p)]);
    g.clusters.push({ id: procCluster(p), label: `process ${procName(p)}` });
    g.nodes.push({ id: procId(p), label: processLabel(p, info), kind: "process", cluster: procCluster(p) });
    for (let i = 0; i < L.slots; i++) {
      const b = L.pteBlock(s, p, i);
      if (b >= 0) g.edges.push({ from: procId(p), to: pageId(b), label: `PTE ${slotName(L, i)}`, kind: "pte" });
    }
    const locked = L.faultSlotOf(s, p);
    if (locked >= 0) g.edges.push({ from: procId(p), to: offsetId(L, locked), label: "locks", kind: "lock" });
    const staged = s[L.faultBlock + p] - 1;
    if (locked >= 0 && staged >= 0) g.edges.push({ from: procId(p), to: pageId(staged), label: "CoW staging", kind: "staging" });
  }
}

/** A process's lines: kill mode, VMAs, fault in flight, signals received. */
function processLabel(p: number, info: Rec): string {
  const vmas = list(info.vmas);
  const signals = [["SIGBUS AR", list(info.sigbus_ar)], ["SIGBUS AO", list(info.sigbus_ao)], ["SIGKILL", list(info.sigkill)]] as const;
  return [
    `process ${procName(p)} (${String(info.kill)} kill)`,
    `VMAs: ${vmas.length > 0 ? vmas.join(", ") : "none"}`,
    ...(info.fault !== "idle" ? [`fault: ${String(info.fault)}`] : []),
    ...signals.filter(([, bs]) => bs.length > 0).map(([name, bs]) => `${name}: ${bs.join(", ")}`),
  ].join("\n");
}

/** memory_failure and truncate in flight: their nodes, the page and entry locks they hold or sleep on, the file they truncate. */
function addOperations(c: Ctx, s: DaxState, view: Rec, g: Parts): void {
  const { L } = c;
  const mf = rec(view.memory_failure);
  const busy = s[L.mfPhase] !== MF.none || s[L.truncFile] !== 0;
  if (busy) g.clusters.push({ id: KERNEL_CLUSTER, label: "kernel operations in flight" });
  if (s[L.mfPhase] !== MF.none) {
    const current = mf.current !== "none" ? [`current: ${String(mf.current)}`] : [];
    g.nodes.push({ id: MF_ID, label: [`memory_failure(${String(mf.page)})`, String(mf.phase), ...current].join("\n"), kind: "operation", cluster: KERNEL_CLUSTER });
    const b = s[L.mfBlock] - 1;
    if (b >= 0) g.edges.push({ from: MF_ID, to: pageId(b), label: "poisoned", kind: "poison" });
    const locked = s[L.mfLocked] - 1;
    if (locked >= 0) g.edges.push({ from: MF_ID, to: offsetId(L, locked), label: "locks", kind: "lock" });
    const sleeps = s[L.mfWait] - 1;
    if (sleeps >= 0) g.edges.push({ from: MF_ID, to: offsetId(L, sleeps), label: "sleeps on", kind: "sleep", dashed: true });
  }
  const tf = s[L.truncFile] - 1;
  if (tf >= 0) {
    g.nodes.push({ id: TRUNC_ID, label: `truncate\n${String(view.truncate)}`, kind: "operation", cluster: KERNEL_CLUSTER });
    g.edges.push({ from: TRUNC_ID, to: fileId(tf), label: "truncates", kind: "truncate" });
  }
}

/** The wait-for graph between operations in flight (locks.ts): dashed edges. */
function addWaits(c: Ctx, s: DaxState, g: Parts): void {
  if (c.L.oopsed(s)) return;
  const out = waitsFor(c, s);
  for (let n = 0; n < out.length; n++) {
    for (let m = 0; m < out.length; m++) {
      if ((out[n] & (1 << m)) !== 0) g.edges.push({ from: operationId(c.L, n), to: operationId(c.L, m), label: waitLabel(c, s, n), kind: "wait", dashed: true });
    }
  }
}

/** The kernel log (WARNs, OOPS, shutdown, leaked locks) as a note, when it has lines. */
function addLog(view: Rec, g: Parts): void {
  const lines = list(view.kernel_log);
  if (lines.length > 0) g.nodes.push({ id: LOG_ID, label: ["kernel log", ...lines].join("\n"), kind: "log" });
}
