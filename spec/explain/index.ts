/**
 * The DAX model's explanation facet: stories, pictures, lanes and id renaming for traces.
 * Presentation only: nothing here changes what the model explores, so the spec digest that
 * dates docs/verdicts.md covers spec/*.ts and not this folder.
 */
import type { Explainer } from "../../src/core/explain.js";
import type { DaxAction } from "../actions.js";
import { actionLabel } from "../actions.js";
import type { Bounds } from "../bounds.js";
import type { Ctx } from "../context.js";
import { type DaxState, Layout } from "../state.js";
import type { Variant } from "../variants.js";
import { viewState } from "../view.js";
import { stateGraph } from "./graph.js";
import { historyLines } from "./history.js";
import { actionIds, renameIds } from "./ids.js";
import { shortKernel } from "./kernel-name.js";
import { laneOf } from "./lanes.js";
import { statePicture } from "./picture.js";
import { stepStory } from "./story.js";
import { verdictLines } from "./verdict.js";
import { type StateView, asView } from "./view-types.js";

/** The notation of stories and pictures. */
export const GLOSSARY: readonly string[] = [
  "A, B          files on one XFS filesystem mounted -o dax (A starts with data written by write(2))",
  "A[0]          file A at page offset 0; its extent (bmap) and its DAX entry (the xarray slot)",
  "p1, p2        physical pmem pages (one struct page each); the file's data block is the page",
  "X, Y          processes; 'early' asked for early kill (PR_MCE_KILL_EARLY), 'late' did not",
  "->mapping     page->mapping: the owning file (address_space), NULL, or SHARED(0x1)",
  "SHARED(0x1)   PAGE_MAPPING_DAX_SHARED: the marker a page shared by several entries carries (6.0+)",
  "->index       page->index: the owner's offset; ->share: how many entries share the page",
  "[-]           no extent (a hole) or no DAX entry",
  "PTE X->p1     process X's page table maps that offset to p1",
  "entry lock    the DAX entry's lock bit (grab_mapping_entry, dax_lock_page/folio); AGF: XFS's allocation group header buffer lock",
  "AR / AO       SIGBUS with BUS_MCEERR_AR (action required) or BUS_MCEERR_AO (action optional)",
];

/** The explainer of one variant at one set of bounds. */
export function buildExplainer(v: Variant, b: Bounds): Explainer<DaxState, DaxAction> {
  const L = new Layout(b);
  const c: Ctx = { v, b, L };
  const views = new WeakMap<DaxState, Readonly<Record<string, unknown>>>();
  const raw = (s: DaxState): Readonly<Record<string, unknown>> => {
    let v = views.get(s);
    if (v === undefined) views.set(s, (v = viewState(c, s)));
    return v;
  };
  const view = (s: DaxState): StateView => asView(raw(s));
  return {
    lane: laneOf,
    ids: (a) => actionIds(L, a),
    rename: (path, mapping) => renameIds(L, path, mapping),
    initial: (s) => initialLines(view(s), b),
    step: (before, a, after) => stepStory(L, a, raw(before), raw(after)),
    verdict: (states, actions, property) => verdictLines(v, { views: states.map(view), labels: actions.map((a) => actionLabel(L, a)), lanes: actions.map(laneOf) }, property),
    summary: (states, actions, property) => summaryLines(v, states.map(view), actions, property),
    picture: (s) => statePicture(view(s)),
    graph: (s, property) => stateGraph(c, s, property),
    history: (property) => historyLines(v, property),
    glossary: GLOSSARY,
  };
}

/** The initial state in three or four lines. */
function initialLines(v: StateView, b: Bounds): string[] {
  const files = Object.entries(v.files).map(([n, f]) => {
    const data = f.extents.filter((e) => e !== "-");
    return data.length === 0 ? `${n} empty` : `${n} holds ${data.join(", ")} (no DAX entry yet)`;
  });
  const procs = Object.entries(v.processes).map(([n, p]) => `${n} (${p.kill} kill) mmaps ${p.vmas.join(", ") || "nothing"}`);
  const free = Object.entries(v.pages).filter(([, p]) => p.refcount === 0).map(([n]) => n);
  return [
    `files: ${files.join("; ")}`,
    `processes: ${procs.join("; ")}`,
    `free pages: ${free.join(", ") || "none"}; poison events allowed: ${b.poisons}; ${b.pins === 0 ? "no DMA pins" : `DMA pins up to ${b.pins}`}; CoW ${b.cow === 1 ? "on" : "off"}; eviction ${b.evict === 1 ? "on" : "off"}`,
  ];
}

/** Two or three lines: the verdict, the operations involved, how they interleave. */
function summaryLines(v: Variant, views: readonly StateView[], actions: readonly DaxAction[], property: string): string[] {
  const lanes: string[] = [];
  for (const a of actions) if (!lanes.includes(laneOf(a))) lanes.push(laneOf(a));
  let switches = 0;
  for (let i = 1; i < actions.length; i++) if (laneOf(actions[i]) !== laneOf(actions[i - 1])) switches++;
  const last = views[views.length - 1];
  return [
    `${v.id} (${shortKernel(v)}): ${property} is violated after ${actions.length} step${actions.length === 1 ? "" : "s"}.`,
    `${lanes.length} thread${lanes.length === 1 ? "" : "s"} of control (${lanes.join(", ")}), ${switches} switch${switches === 1 ? "" : "es"} between them${last.kernel_log.length > 0 ? `; the kernel logs: ${last.kernel_log[0]}` : ""}.`,
  ];
}
