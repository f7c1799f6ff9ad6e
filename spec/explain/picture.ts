/** A small text picture of a state that reads in a terminal: offsets -> entries -> pages and owners -> PTEs. */
import { type PageView, type StateView, entriesOf, ownerText, signalsFor, slotsOf } from "./view-types.js";

/** Lines of the picture, at most about 72 columns each. */
export function statePicture(v: StateView): string[] {
  const lines: string[] = [];
  const shown = new Set<string>();
  for (const s of slotsOf(v)) {
    const extent = s.f.extents[s.offset];
    const entry = s.f.entries[s.offset];
    const ptes = Object.entries(v.processes).filter(([, p]) => p.ptes[s.at] !== undefined).map(([n, p]) => `${n}->${p.ptes[s.at]}`);
    const dead = s.f.alive ? "" : s.f.awaiting_inodegc === true ? " (evicted, awaiting inodegc)" : " (evicted)";
    lines.push(`${s.at}${dead}: extent ${extent === "-" ? "[-]" : extent}, entry ${entry === "-" ? "[-]" : entry}${ptes.length > 0 ? `, PTE ${ptes.join(" ")}` : ""}`);
    for (const page of [entry, extent]) {
      if (page === "-" || shown.has(page)) continue;
      shown.add(page);
      lines.push(`  ${pageLine(page, v.pages[page], v)}`);
    }
  }
  for (const [page, p] of Object.entries(v.pages)) {
    if (shown.has(page) || (p.mapping === "NULL" && !p.hwpoison && !p.badblock && p.pins === 0)) continue;
    lines.push(`${page} (no extent or entry): ${pageFacts(p).join(", ")}`);
  }
  lines.push(...inFlight(v));
  for (const line of v.kernel_log) lines.push(`kernel: ${line}`);
  return lines;
}

function pageLine(page: string, p: PageView, v: StateView): string {
  const signalled = Object.entries(v.processes).flatMap(([n, proc]) => signalsFor(proc, page).map((s) => `${n} ${s}`));
  const entries = entriesOf(v, page);
  return `${page}: ${pageFacts(p).join(", ")}; entries ${entries.length === 0 ? "none" : entries.join(" ")}${signalled.length > 0 ? `; signalled ${signalled.join(", ")}` : ""}`;
}

function pageFacts(p: PageView): string[] {
  const facts = [ownerText(p)];
  if (p.hwpoison) facts.push("HWPoison");
  if (p.badblock) facts.push("badblock");
  if (p.pins > 0) facts.push(`pins ${p.pins}`);
  return facts;
}

/** The operations in flight, one line each. */
export function inFlight(v: StateView): string[] {
  const lines: string[] = [];
  for (const [n, p] of Object.entries(v.processes)) if (p.fault !== "idle") lines.push(`${n} in a fault: ${p.fault}`);
  if (v.truncate !== "idle") lines.push(`truncate ${v.truncate}`);
  const mf = v.memory_failure;
  if (mf.phase !== "idle") {
    const lock = mf.entry_locked !== undefined && mf.entry_locked !== "-" ? `, holds entry lock ${mf.entry_locked}` : "";
    const sleep = mf.sleeps_on !== undefined ? `, sleeps on entry ${mf.sleeps_on}` : "";
    lines.push(`memory_failure(${mf.page ?? "?"}): ${mf.phase}${lock}${sleep}`);
  }
  return lines;
}
