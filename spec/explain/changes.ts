/**
 * What a step changed, in kernel terms: the difference of two state views (spec/view.ts) told
 * as `p1->mapping = A`, `DAX entry A[0] -> p1 stored`, `X gets SIGBUS BUS_MCEERR_AR for p1`.
 */
import { type Change, diffViews, formatLeaf } from "../../src/trace/flatten.js";

/** The changes between two views, one phrase each, ownership first. */
export function changePhrases(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const c of diffViews(before, after)) out.push(...phrasesOf(c));
  return out;
}

/** Whether a phrase is about ownership (what the one-line story leads with). */
export function isOwnership(phrase: string): boolean {
  return /->mapping|->index|->share|^DAX entry|'s PTE|SIGBUS|SIGKILL|^kernel:|freed|^extent/.test(phrase) && !/'s fault|^memory_failure:/.test(phrase);
}

type Rule = readonly [RegExp, (m: RegExpExecArray, c: Change) => string[]];

const RULES: readonly Rule[] = [
  [/^files\.(\w+)\.extents$/, (m, c) => listDiff(c).map(([o, b, a]) => extentPhrase(`${m[1]}[${o}]`, b, a))],
  [/^files\.(\w+)\.entries$/, (m, c) => listDiff(c).map(([o, b, a]) => entryPhrase(`${m[1]}[${o}]`, b, a))],
  [/^files\.(\w+)\.alive$/, (m, c) => [c.after === false ? `${m[1]} evicted: its last reference is gone` : `${m[1]} alive again`]],
  [/^files\.(\w+)\.awaiting_inodegc$/, (m, c) => [c.after === true ? `${m[1]} awaits inodegc (XFS_NEED_INACTIVE), still owning its blocks` : `${m[1]} inactivated by inodegc`]],
  [/^files\.(\w+)\.reflink_flag$/, (m, c) => [c.after === true ? `${m[1]} gets the reflink flag (XFS_DIFLAG2_REFLINK)` : `${m[1]} loses the reflink flag`]],
  [/^pages\.(\w+)\.mapping$/, (m, c) => [`${m[1]}->mapping = ${formatLeaf(c.after)}`]],
  [/^pages\.(\w+)\.(index|share)$/, (m, c) => (c.after === undefined ? [] : [`${m[1]}->${m[2]} = ${formatLeaf(c.after)}`])],
  [/^pages\.(\w+)\.hwpoison$/, (m, c) => [c.after === true ? `PageHWPoison(${m[1]}) set` : `PageHWPoison(${m[1]}) cleared`]],
  [/^pages\.(\w+)\.badblock$/, (m, c) => [c.after === true ? `${m[1]} added to the pmem badblocks` : `${m[1]} cleared from badblocks`]],
  [/^pages\.(\w+)\.pins$/, (m, c) => [`${m[1]} DMA pins ${formatLeaf(c.before)} -> ${formatLeaf(c.after)}`]],
  [/^pages\.(\w+)\.refcount$/, (m, c) => (c.after === 0 ? [`${m[1]} freed: no extent references it`] : [])],
  [/^processes\.(\w+)\.vmas$/, (m, c) => setDiff(c).map(([added, f]) => (added ? `${m[1]} mmaps ${f}` : `${m[1]} munmaps ${f}`))],
  [/^processes\.(\w+)\.ptes\.(.+)$/, (m, c) => [ptePhrase(m[1], m[2], c)]],
  [/^processes\.(\w+)\.fault$/, (m, c) => [c.after === "idle" ? `${m[1]}'s fault returns` : `${m[1]}'s fault: ${formatLeaf(c.after)}`]],
  [/^processes\.(\w+)\.sigbus_ar$/, (m, c) => added(c).map((b) => `${m[1]} gets SIGBUS BUS_MCEERR_AR for ${b}`)],
  [/^processes\.(\w+)\.sigbus_ao$/, (m, c) => added(c).map((b) => `${m[1]} gets SIGBUS BUS_MCEERR_AO for ${b}`)],
  [/^processes\.(\w+)\.sigkill$/, (m, c) => added(c).map((b) => `${m[1]} gets SIGKILL for ${b}`)],
  [/^truncate$/, (_m, c) => [`truncate ${formatLeaf(c.after)}`]],
  [/^memory_failure\.phase$/, (_m, c) => [`memory_failure: ${formatLeaf(c.after)}`]],
  [/^memory_failure\.page$/, (_m, c) => (c.after === undefined ? [] : [`memory_failure(${formatLeaf(c.after)}) starts`])],
  [/^memory_failure\.current$/, (_m, c) => (c.after === undefined || c.after === "none" ? [] : [`current = ${formatLeaf(c.after)}`])],
  [/^memory_failure\.mapped_by$/, (_m, c) => (c.after === undefined ? [] : [Array.isArray(c.after) && c.after.length === 0 ? "no process maps the page" : `mapped by ${formatLeaf(c.after)}`])],
  [/^memory_failure\.entry_locked$/, (_m, c) => entryLockPhrase(c)],
  [/^memory_failure\.sleeps_on$/, (_m, c) => [c.after === undefined ? "memory_failure wakes" : `memory_failure sleeps on entry ${formatLeaf(c.after)}`]],
  [/^memory_failure\.owners_left$/, (_m, c) => (c.after === undefined ? [] : [`rmap owners left: ${formatLeaf(c.after)}`])],
  [/^kernel_log$/, (_m, c) => added(c).map((line) => `kernel: ${line}`)],
];

function phrasesOf(c: Change): string[] {
  for (const [re, f] of RULES) {
    const m = re.exec(c.path);
    if (m !== null) return f(m, c);
  }
  return [];
}

function extentPhrase(at: string, before: string, after: string): string {
  if (before === "-") return `extent ${at} = ${after} (bmap)`;
  if (after === "-") return `extent ${at} (${before}) unmapped`;
  return `extent ${at} remapped ${before} -> ${after}`;
}

function entryPhrase(at: string, before: string, after: string): string {
  if (before === "-") return `DAX entry ${at} -> ${after} stored`;
  if (after === "-") return `DAX entry ${at} (-> ${before}) deleted`;
  return `DAX entry ${at} now -> ${after} (was ${before})`;
}

function ptePhrase(proc: string, at: string, c: Change): string {
  if (c.before === undefined) return `${proc}'s PTE ${at} -> ${formatLeaf(c.after)} installed`;
  if (c.after === undefined) return `${proc}'s PTE ${at} (-> ${formatLeaf(c.before)}) zapped`;
  return `${proc}'s PTE ${at} now -> ${formatLeaf(c.after)}`;
}

function entryLockPhrase(c: Change): string[] {
  if (c.after === undefined) return [];
  if (c.after === "-") return c.before === undefined || c.before === "-" ? [] : [`memory_failure drops entry lock ${formatLeaf(c.before)}`];
  return [`memory_failure holds entry lock ${formatLeaf(c.after)}`];
}

/** Positions of two equal-length lists that differ, as [index, before, after]. */
function listDiff(c: Change): [number, string, string][] {
  const a = Array.isArray(c.before) ? c.before : [];
  const b = Array.isArray(c.after) ? c.after : [];
  const out: [number, string, string][] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) out.push([i, String(a[i] ?? "-"), String(b[i] ?? "-")]);
  return out;
}

/** Items added to (true) or removed from (false) a list. */
function setDiff(c: Change): [boolean, string][] {
  const a = Array.isArray(c.before) ? c.before.map(String) : [];
  const b = Array.isArray(c.after) ? c.after.map(String) : [];
  return [...b.filter((x) => !a.includes(x)).map((x): [boolean, string] => [true, x]), ...a.filter((x) => !b.includes(x)).map((x): [boolean, string] => [false, x])];
}

function added(c: Change): string[] {
  return setDiff(c).filter(([isNew]) => isNew).map(([, x]) => x);
}
