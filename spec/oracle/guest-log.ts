/**
 * Reading a guest's serial log (oracle/run-guest.sh frames each scenario) back into the
 * observables the model predicts: signals per process, PTEs kept to the poisoned page, and the
 * kernel's WARN, oops, shutdown and hung-task lines with the functions they name.
 */
import type { Observed } from "./predict.js";

/** One scenario's observables, with the kernel lines they came from. */
export interface GuestOutcome {
  readonly id: string;
  readonly observed: Observed;
  /** The WARN/BUG/Oops/hung/shutdown/memory-failure lines, as printed. */
  readonly lines: readonly string[];
  /** The helper's `RESULT error=` lines and a missing end marker: the run itself went wrong. */
  readonly errors: readonly string[];
}

/** Every scenario section of a log. */
export function parseGuestLog(log: string): GuestOutcome[] {
  const out: GuestOutcome[] = [];
  const re = /SCENARIO BEGIN (\S+)\r?\n([\s\S]*?)(?:SCENARIO END \1[^\n]*|$)/g;
  for (let m = re.exec(log); m !== null; m = re.exec(log)) {
    const ended = m[0].includes(`SCENARIO END ${m[1]}`);
    out.push(parseSection(m[1], m[2], ended));
    if (!ended) break;
  }
  return out;
}

const KERNEL_LINE = /(WARNING: .*|BUG: .*|Oops: .*|RIP: .*|Memory failure: .*|.*blocked for more than \d+ seconds.*|.*[Ss]hut(ting)? ?down filesystem.*|.*xfs_do_force_shutdown.*)/;

function parseSection(id: string, text: string, ended: boolean): GuestOutcome {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/^\[\s*\d+\.\d+\]\s*/, "").trim());
  const signals = new Set<string>();
  const ptes = new Map<number, string>();
  const pfnOf = new Map<number, string>();
  let poisonedPfn: string | undefined;
  const errors: string[] = [];
  const kernelLines: string[] = [];
  const blocked: string[] = [];
  const failedTouches: string[] = [];
  /** The SIGBUS of a process's own failed touch (reported again by `check`): not memory_failure's. */
  const ownFaults = new Set<string>();
  let neverFinished = false;
  const lateReads: string[] = [];
  /** From the dmesg dump only: the console carries the same lines again. */
  const verdicts: string[] = [];
  let inDmesg = false;
  for (const line of lines) {
    if (line.startsWith("DMESG BEGIN ")) inDmesg = true;
    if (line.startsWith("DMESG END ")) inDmesg = false;
    const verdict = /recovery action for dax page: (\w+)/.exec(line);
    if (inDmesg && verdict !== null) verdicts.push(verdict[1]);
    const r = /^RESULT (.*)$/.exec(line);
    if (r === null) {
      const k = KERNEL_LINE.exec(line);
      if (k !== null) kernelLines.push(k[1]);
      continue;
    }
    const kv = Object.fromEntries(r[1].split(/\s+/).map((w) => [w.slice(0, w.indexOf("=") < 0 ? w.length : w.indexOf("=")), w.slice(w.indexOf("=") + 1)]));
    const proc = kv.proc === undefined ? undefined : Number(kv.proc);
    if (kv.error !== undefined) errors.push(r[1]);
    if (proc !== undefined && kv.sig === "SIGBUS" && !ownFaults.has(`${proc} ${kv.code}`)) signals.add(`${proc} ${kv.code === "BUS_MCEERR_AR" ? "AR" : kv.code === "BUS_MCEERR_AO" ? "AO" : kv.code}`);
    if (proc !== undefined && kv.died === "SIGKILL") signals.add(`${proc} KILL`);
    if (proc !== undefined && kv.touch !== undefined && kv.pfn !== undefined) pfnOf.set(proc, kv.pfn);
    if (proc !== undefined && kv.touch !== undefined && kv.result !== undefined && kv.result !== "ok") {
      failedTouches.push(`${proc} ${kv.touch} ${kv.code ?? kv.result}`);
      ownFaults.add(`${proc} ${kv.code}`);
    }
    if (proc !== undefined && kv.late !== undefined) lateReads.push(`${proc} ${kv.result === "ok" ? "ok" : `${kv.result} ${kv.code}`}`);
    if (proc !== undefined && kv.madvise !== undefined) poisonedPfn = pfnOf.get(proc);
    if ((kv["corrupt-pfn"] ?? kv["hard-offline"] ?? kv.badblock) !== undefined) poisonedPfn = kv.pfn;
    if (kv.op !== undefined && kv.blocked === "1" && !blocked.includes(kv.op)) blocked.push(kv.op);
    if ((kv.op !== undefined && kv["still-blocked"] === "1") || (proc !== undefined && kv.died === "hung")) neverFinished = true;
    if (proc !== undefined && kv.pte !== undefined) ptes.set(proc, kv.pte === "present" ? kv.pfn ?? "?" : kv.pte);
  }
  if (!ended) errors.push("the section has no SCENARIO END: the guest stopped or timed out inside it");
  const keepsPte = [...ptes].filter(([, pfn]) => poisonedPfn !== undefined && pfn === poisonedPfn).map(([p]) => p).sort((a, b) => a - b);
  return { id, observed: { signals: [...signals].sort(), keepsPte, kernel: kernelClasses(kernelLines), blocked, failedTouches, lateReads, verdicts, hung: neverFinished || kernelLines.some((l) => /blocked for more than/.test(l)) }, lines: kernelLines, errors };
}

/**
 * The fs/dax.c lines of the WARNs the model names, per kernel: the function a WARNING line shows
 * is where the code was inlined (6.1's dax_associate_entry shows as dax_insert_entry), so the
 * source line says which WARN fired. 6.1.192: dax_associate_entry :380, dax_disassociate_entry
 * :398 (trunc and pinned) and :404 (another mapping); 6.12.117: :372, :390, :396.
 */
const DAX_WARN_LINES: Readonly<Record<string, string>> = {
  380: "WARN associate", 398: "WARN truncate-busy", 404: "WARN disassociate",
  372: "WARN associate", 390: "WARN truncate-busy", 396: "WARN disassociate",
};

/** The kernel lines as the model names them. */
function kernelClasses(lines: readonly string[]): string[] {
  const out = new Set<string>();
  for (const l of lines) {
    const warn = /^WARNING: .* at fs\/dax\.c:(\d+) /.exec(l);
    if (warn !== null && DAX_WARN_LINES[warn[1]] !== undefined) out.add(DAX_WARN_LINES[warn[1]]);
    if (/^(BUG: |Oops: )/.test(l)) out.add("OOPS");
    if (/shut(ting)? ?down|force_shutdown/i.test(l)) out.add("SHUTDOWN");
  }
  return [...out].sort();
}
