/**
 * A scenario as the guest helper's step lines (oracle/helper.c documents the format): what the
 * real kernel is asked to do for the same events the model runs. Each process maps one page:
 * the offset it first touches (0 when it touches none).
 */
import { firstOffset } from "./predict.js";
import { type Scenario, type ScenarioEvent, pfnSource } from "./scenario.js";

/** The helper's lines, or why this scenario cannot run in the guest yet. */
export type GuestSteps = { readonly ok: true; readonly lines: readonly string[] } | { readonly ok: false; readonly why: string };

/** Translates a scenario into helper steps. */
export function guestSteps(s: Scenario): GuestSteps {
  const lines = [`id ${s.id}`, `mkfs reflink=${s.mkfs.reflink ? 1 : 0} rmapbt=${s.mkfs.rmapbt ? 1 : 0}`, `file A ${s.offsets}`];
  const cloned = new Set(s.events.flatMap((e) => ("clone" in e ? [e.clone.dst] : [])));
  // B starts as holes (the model's B has no extents): a write fault there allocates, as `alloc` does.
  if (s.files.includes("B") && !cloned.has("B")) lines.push(`sparse B ${s.offsets}`);
  const mapped = new Set<number>();
  const page = (i: number): number => firstOffset(s, i);
  const ensureMapped = (i: number): void => {
    if (mapped.has(i)) return;
    mapped.add(i);
    lines.push(`proc ${i} map ${s.procs[i].maps} ${s.procs[i].kill} ${page(i)}`);
  };
  for (const [index, e] of s.events.entries()) {
    const step = eventStep(s, index, ensureMapped);
    if (typeof step !== "string" && !Array.isArray(step)) return step;
    lines.push(...(Array.isArray(step) ? step : [step]));
  }
  s.procs.forEach((_, i) => ensureMapped(i));
  lines.push("check late");
  return { ok: true, lines };
}

function eventStep(s: Scenario, index: number, ensureMapped: (i: number) => void): string | string[] | { ok: false; why: string } {
  const e: ScenarioEvent = s.events[index];
  if ("clone" in e) return `clone ${e.clone.src} ${e.clone.dst}`;
  if ("touch" in e) {
    ensureMapped(e.touch.proc);
    return `touch ${e.touch.proc} ${e.touch.mode}`;
  }
  if ("pin" in e) {
    ensureMapped(e.pin.proc);
    return `pin ${e.pin.proc}`;
  }
  if ("unpin" in e) return `unpin ${e.unpin}`;
  if ("unmap" in e) return `unmap ${e.unmap}`;
  if ("truncate" in e) return `truncate ${e.truncate}`;
  if ("punch" in e) return `punch ${e.punch.file} ${e.punch.offset}`;
  if ("clone_range" in e) return `clone-range ${e.clone_range.file} ${e.clone_range.src} ${e.clone_range.file} ${e.clone_range.dst}`;
  if ("unlink_close" in e) return `unlink ${e.unlink_close}`;
  if ("umount" in e || "late_read" in e) return [];
  const { method, proc, file } = e.poison;
  if (method === "madvise") {
    if (proc === undefined) return { ok: false, why: "madvise needs the process that calls it" };
    ensureMapped(proc);
    return `poison madvise ${proc}`;
  }
  const by = pfnSource(s, index);
  if (by === undefined) return { ok: false, why: `${method} needs a process that touched ${file}, whose pfn it poisons` };
  // A media error is the pmem driver's badblocks and then memory_failure: consumed by a load,
  // memory_failure(pfn, MF_ACTION_REQUIRED) with the consumer as current (what madvise calls);
  // found by a patrol scrub, memory_failure(pfn, 0) (what corrupt-pfn calls, with MF_SW_SIMULATED).
  if (method === "badblocks") return `badblock ${by}`;
  if (method === "media") return [`badblock ${by}`, proc === undefined ? `poison corrupt-pfn ${by}` : `poison madvise ${proc}`];
  return `poison ${method} ${by}`;
}
