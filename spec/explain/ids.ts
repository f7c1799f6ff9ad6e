/** The ids an action names and how to rename them: what the shrinker needs for "fewer, lower ids". */
import { match } from "ts-pattern";
import type { DaxAction } from "../actions.js";
import type { Layout } from "../state.js";

/** An id: `proc:0`, `file:1`, `block:2`. */
type IdKind = "proc" | "file" | "block";

/** The ids `a` names, files of slots included. */
export function actionIds(L: Layout, a: DaxAction): string[] {
  const proc = (p: number): string => `proc:${p}`;
  const file = (f: number): string => `file:${f}`;
  const block = (b: number): string => `block:${b}`;
  return match(a)
    .with({ kind: "mmap" }, { kind: "munmap" }, (x) => [proc(x.proc), file(x.file)])
    .with({ kind: "fault" }, { kind: "alloc" }, { kind: "cow_fault" }, { kind: "pin" }, { kind: "consume" }, { kind: "madvise" }, (x) => [proc(x.proc), file(L.fileOf(x.slot))])
    .with({ kind: "fault_map" }, { kind: "cow_end" }, (x) => [proc(x.proc)])
    .with({ kind: "alloc_map" }, { kind: "cow_alloc" }, (x) => [proc(x.proc), block(x.block)])
    .with({ kind: "unpin" }, { kind: "scrub" }, { kind: "inject" }, { kind: "ars" }, (x) => [block(x.block)])
    .with({ kind: "reflink" }, (x) => [file(x.src), file(x.dst)])
    .with({ kind: "reflink_range" }, { kind: "truncate_begin" }, { kind: "evict" }, { kind: "inodegc" }, (x) => [file(x.file)])
    .with({ kind: "truncate_delete" }, { kind: "truncate_free" }, { kind: "mf_lock" }, { kind: "mf_kill" }, { kind: "mf_unlock" }, { kind: "mf_query_rmap" }, { kind: "mf_kill_owner" }, () => [])
    .exhaustive();
}

/** `path` with ids substituted by `mapping` (`proc:1` -> `proc:0`); undefined when a pair mixes kinds or names no id. */
export function renameIds(L: Layout, path: readonly DaxAction[], mapping: ReadonlyMap<string, string>): DaxAction[] | undefined {
  const subst: Record<IdKind, Map<number, number>> = { proc: new Map(), file: new Map(), block: new Map() };
  for (const [from, to] of mapping) {
    const [kf, nf] = parseId(from);
    const [kt, nt] = parseId(to);
    if (kf === undefined || kf !== kt) return undefined;
    subst[kf].set(nf, nt);
  }
  const p = (n: number): number => subst.proc.get(n) ?? n;
  const f = (n: number): number => subst.file.get(n) ?? n;
  const b = (n: number): number => subst.block.get(n) ?? n;
  const slot = (s: number): number => L.slot(f(L.fileOf(s)), L.offsetOf(s));
  return path.map((a): DaxAction =>
    match(a)
      .with({ kind: "mmap" }, { kind: "munmap" }, (x) => ({ ...x, proc: p(x.proc), file: f(x.file) }))
      .with({ kind: "fault" }, { kind: "alloc" }, { kind: "cow_fault" }, { kind: "pin" }, { kind: "consume" }, { kind: "madvise" }, (x) => ({ ...x, proc: p(x.proc), slot: slot(x.slot) }))
      .with({ kind: "fault_map" }, { kind: "cow_end" }, (x) => ({ ...x, proc: p(x.proc) }))
      .with({ kind: "alloc_map" }, { kind: "cow_alloc" }, (x) => ({ ...x, proc: p(x.proc), block: b(x.block) }))
      .with({ kind: "unpin" }, { kind: "scrub" }, { kind: "inject" }, { kind: "ars" }, (x) => ({ ...x, block: b(x.block) }))
      .with({ kind: "reflink" }, (x) => ({ ...x, src: f(x.src), dst: f(x.dst) }))
      .with({ kind: "reflink_range" }, { kind: "truncate_begin" }, { kind: "evict" }, { kind: "inodegc" }, (x) => ({ ...x, file: f(x.file) }))
      .otherwise((x) => x),
  );
}

function parseId(id: string): [IdKind | undefined, number] {
  const m = /^(proc|file|block):(\d+)$/.exec(id);
  return m === null ? [undefined, -1] : [m[1] as IdKind, Number(m[2])];
}
